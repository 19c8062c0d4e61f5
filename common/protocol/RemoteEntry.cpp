#include "RemoteEntry.h"

#include "Frame.h"

namespace ferry {

RemoteEntry RemoteEntry::fromJson(const QJsonObject &object)
{
    RemoteEntry entry;
    entry.name = object.value(QLatin1String("name")).toString();
    entry.isDir = object.value(QLatin1String("type")).toString() == QLatin1String("dir");
    // Sizes and times are exact integers on the wire; a malformed one reads as 0 rather than a guess.
    entry.size = jsonInteger(object, QLatin1String("size")).value_or(0);
    entry.mtimeMs = jsonInteger(object, QLatin1String("mtime")).value_or(0);
    return entry;
}

} // namespace ferry
