#include "AuthThrottle.h"

#include <QMutexLocker>

namespace ferry {

void AuthThrottle::prune(Record &record, qint64 nowMs) const
{
    while (!record.failures.isEmpty() && record.failures.first() < nowMs - WindowMs)
        record.failures.removeFirst();
}

int AuthThrottle::retryAfterSeconds(const QString &address, qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    const auto it = m_records.constFind(address);
    if (it == m_records.constEnd() || it->blockedUntilMs <= nowMs)
        return 0;
    return int((it->blockedUntilMs - nowMs + 999) / 1000);
}

void AuthThrottle::recordFailure(const QString &address, qint64 nowMs)
{
    QMutexLocker lock(&m_mutex);
    Record &record = m_records[address];
    prune(record, nowMs);
    record.failures.append(nowMs);
    const int over = int(record.failures.size()) - FreeFailures;
    if (over >= 0) {
        const qint64 delay = qMin(MaxDelayMs, FirstDelayMs << qMin(over, 20));
        record.blockedUntilMs = nowMs + delay;
    }
    // Keep the table small when many addresses fail once.
    if (m_records.size() > 10000) {
        for (auto it = m_records.begin(); it != m_records.end();) {
            prune(*it, nowMs);
            if (it->failures.isEmpty() && it->blockedUntilMs <= nowMs)
                it = m_records.erase(it);
            else
                ++it;
        }
    }
}

void AuthThrottle::recordSuccess(const QString &address)
{
    QMutexLocker lock(&m_mutex);
    m_records.remove(address);
}

} // namespace ferry
