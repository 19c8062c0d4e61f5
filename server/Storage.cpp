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

} // namespace ferry
