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

namespace {
int decimalDigits(qint64 value)
{
    int digits = value < 0 ? 2 : 1;
    for (quint64 rest = value < 0 ? 0 - quint64(value) : quint64(value); rest >= 10; rest /= 10)
        ++digits;
    return digits;
}
} // namespace

qint64 EntryInfo::compactJsonBytesAtMost() const
{
    // {"mtime":M,"name":"N","size":S,"type":"T"}: 38 bytes around the values.
    qint64 bytes = 38 + decimalDigits(mtimeMs) + decimalDigits(size) + (isDir ? 3 : 4);
    // The name as UTF-8: a quote or backslash takes two bytes, a control character up to six (\u001f).
    for (const char c : name.toUtf8()) {
        const auto byte = uchar(c);
        bytes += byte == '"' || byte == '\\' ? 2 : byte < 0x20 ? 6 : 1;
    }
    return bytes;
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
