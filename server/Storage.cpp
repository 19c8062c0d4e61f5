#include "Storage.h"

namespace ferry {

QJsonObject EntryInfo::toJson() const
{
    return QJsonObject{{QStringLiteral("name"), name},
                       {QStringLiteral("type"), isDir ? QStringLiteral("dir") : QStringLiteral("file")},
                       {QStringLiteral("size"), size},
                       {QStringLiteral("mtime"), mtimeMs}};
}

} // namespace ferry
