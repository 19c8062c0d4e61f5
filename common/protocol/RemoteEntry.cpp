#include "RemoteEntry.h"

#include "Frame.h"
#include "Protocol.h"

namespace ferry {

RemoteEntry RemoteEntry::fromJson(const QJsonObject &object)
{
    RemoteEntry entry;
    entry.name = object.value(Field::Name).toString();
    entry.isDir = object.value(Field::Type).toString() == EntryType::Dir;
    // Sizes and times are exact integers on the wire; a malformed one reads as 0 rather than a guess.
    entry.size = jsonInteger(object, Field::Size).value_or(0);
    entry.mtimeMs = jsonInteger(object, Field::Mtime).value_or(0);
    return entry;
}

} // namespace ferry
