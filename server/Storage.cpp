#include "Storage.h"

#include "Protocol.h"

namespace ferry {

QJsonObject EntryInfo::toJson() const
{
    return QJsonObject{{Field::Name, name},
                       {Field::Type, QString(isDir ? EntryType::Dir : EntryType::File)},
                       {Field::Size, size},
                       {Field::Mtime, mtimeMs}};
}

Result<UploadTarget> StorageHome::uploadTarget(const VirtualPath &target) const
{
    const Result<EntryInfo> folder = stat(target.parent());
    if (!folder)
        return folder.error();
    if (!folder->isDir)
        return Error::make(ErrorCode::NotADirectory,
                           QStringLiteral("\"%1\" is not a folder.").arg(target.parent().toString()));
    UploadTarget found;
    const Result<EntryInfo> existing = stat(target);
    if (existing)
        found.existing = *existing;
    else if (existing.error().code != ErrorCode::NotFound)
        return existing.error();
    found.lockKey = lockKey(target);
    return found;
}

} // namespace ferry
