#pragma once
// A small JSON object kept in a file of the user's config folder (known servers, login salts): read whole,
// written whole and atomically (QSaveFile), its folder made when missing.

#include <QJsonObject>
#include <QString>

namespace ferry {

// Empty when the file is missing, unreadable or not a JSON object.
QJsonObject readJsonConfig(const QString &path);
// Empty on success, else why the file could not be written.
QString writeJsonConfig(const QString &path, const QJsonObject &object);

} // namespace ferry
