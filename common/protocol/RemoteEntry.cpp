#include "RemoteEntry.h"

#include "Frame.h"
#include "Protocol.h"

#include <QRegularExpression>

namespace ferry {

RemoteEntry RemoteEntry::fromJson(const QJsonObject &object)
{
    RemoteEntry entry;
    entry.name = object.value(Field::Name).toString();
    entry.isDir = object.value(Field::Type).toString() == EntryType::Dir;
    // Sizes and times are exact integers on the wire; a malformed one reads as 0 rather than a guess.
    entry.size = jsonInteger(object, Field::Size).value_or(0);
    entry.mtimeMs = jsonInteger(object, Field::Mtime).value_or(0);
    const QString sha256 = object.value(Field::Sha256).toString();
    if (sha256.size() == 64 && QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(sha256).hasMatch())
        entry.sha256 = sha256.toLatin1();   // anything else is ignored: it only ever saves a transfer
    return entry;
}

} // namespace ferry
