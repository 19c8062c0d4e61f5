#pragma once
// Hashes a whole local file with SHA-256 a slice per event-loop turn, so that comparing a large file with
// its remote copy never freezes the window or the queue.

#include <QByteArray>
#include <QObject>
#include <QString>

#include <functional>

namespace ferry {

// Calls `done` later with the file's lowercase hex SHA-256, or an empty array when it cannot be read.
// Nothing is called once `context` is destroyed.
void hashLocalFile(const QString &path, QObject *context, std::function<void(const QByteArray &sha256Hex)> done);

} // namespace ferry
