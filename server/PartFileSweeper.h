#pragma once
// Deletes part files that no put has touched for the configured lifetime (PROTOCOL.md, Upload 5) and takes
// their bytes out of the quota usage. Runs over a home at server start and then at most once an hour per
// user, when the user logs in; part files of uploads open right now are never touched.

#include <QDateTime>
#include <QHash>
#include <QMutex>
#include <QString>

namespace ferry {

struct ServerServices;

class PartFileSweeper {
public:
    static constexpr qint64 IntervalMs = 60 * 60 * 1000;

    // Sweeps `user`'s home unless it was swept less than IntervalMs ago (force: always). Returns bytes freed.
    qint64 sweep(ServerServices &services, const QString &user, bool force = false);

private:
    QMutex m_mutex;
    QHash<QString, qint64> m_lastSweepMs;
};

} // namespace ferry
