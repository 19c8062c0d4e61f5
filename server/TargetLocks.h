#pragma once
// Which upload targets are being written right now, across all sessions: a second writer gets busy, and
// so does a rename or remove that would touch one. Keys come from StorageHome::lockKey().

#include <QMutex>
#include <QSet>
#include <QString>

namespace ferry {

class TargetLocks {
public:
    // False when another session holds it.
    bool tryLock(const QString &key)
    {
        QMutexLocker lock(&m_mutex);
        if (m_locked.contains(key))
            return false;
        m_locked.insert(key);
        return true;
    }
    void unlock(const QString &key)
    {
        QMutexLocker lock(&m_mutex);
        m_locked.remove(key);
    }

    // Whether `key` or a key below it (key + "/"…) is locked: a rename or remove would touch an upload.
    bool anyAtOrUnder(const QString &key)
    {
        QMutexLocker lock(&m_mutex);
        const QString below = key.endsWith(u'/') ? key : key + u'/';
        for (const QString &locked : std::as_const(m_locked)) {
            if (locked == key || locked.startsWith(below))
                return true;
        }
        return false;
    }
    bool isLocked(const QString &key)
    {
        QMutexLocker lock(&m_mutex);
        return m_locked.contains(key);
    }

private:
    QMutex m_mutex;
    QSet<QString> m_locked;
};

} // namespace ferry
