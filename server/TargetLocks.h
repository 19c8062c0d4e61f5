#pragma once
// Which upload targets are being written right now, across all sessions: a second writer gets busy.

#include <QMutex>
#include <QSet>
#include <QString>

namespace ferry {

class TargetLocks {
public:
    // False when another session holds it.
    bool tryLock(const QString &realPath)
    {
        QMutexLocker lock(&m_mutex);
        if (m_locked.contains(realPath))
            return false;
        m_locked.insert(realPath);
        return true;
    }
    void unlock(const QString &realPath)
    {
        QMutexLocker lock(&m_mutex);
        m_locked.remove(realPath);
    }

private:
    QMutex m_mutex;
    QSet<QString> m_locked;
};

} // namespace ferry
