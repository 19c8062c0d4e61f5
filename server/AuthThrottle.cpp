#include "AuthThrottle.h"

#include <QMutexLocker>

namespace ferry {

AuthThrottle::AuthThrottle(Clock clock) : m_clock(std::move(clock))
{
}

void AuthThrottle::prune(Record &record, qint64 nowMs)
{
    while (!record.failures.isEmpty() && record.failures.first() < nowMs - WindowMs)
        record.failures.removeFirst();
}

void AuthThrottle::fail(Table &table, const QString &key, const Policy &policy, qint64 nowMs)
{
    Record &record = table[key];
    prune(record, nowMs);
    record.failures.append(nowMs);
    const int over = int(record.failures.size()) - policy.freeFailures;
    if (over >= 0)
        record.blockedUntilMs = nowMs + qMin(policy.maxDelayMs, policy.firstDelayMs << qMin(over, 20));
    // Keep the table small when many addresses or names fail once.
    if (table.size() > MaxRecords)
        pruneTable(table, nowMs);
}

void AuthThrottle::pruneTable(Table &table, qint64 nowMs)
{
    for (auto it = table.begin(); it != table.end();) {
        prune(*it, nowMs);
        if (it->failures.isEmpty() && it->blockedUntilMs <= nowMs)
            it = table.erase(it);
        else
            ++it;
    }
}

qint64 AuthThrottle::waitMs(const Table &table, const QString &key, qint64 nowMs)
{
    const auto it = table.constFind(key);
    return it == table.constEnd() ? 0 : qMax<qint64>(0, it->blockedUntilMs - nowMs);
}

int AuthThrottle::retryAfterSeconds(const QString &address, const QString &account)
{
    QMutexLocker lock(&m_mutex);
    const qint64 now = m_clock();
    qint64 wait = waitMs(m_addresses, address, now);
    if (!account.isEmpty())
        wait = qMax(wait, waitMs(m_accounts, account, now));
    return int((wait + 999) / 1000);
}

void AuthThrottle::recordFailure(const QString &address, const QString &account)
{
    QMutexLocker lock(&m_mutex);
    const qint64 now = m_clock();
    fail(m_addresses, address, AddressPolicy, now);
    if (!account.isEmpty())
        fail(m_accounts, account, AccountPolicy, now);
}

void AuthThrottle::recordSuccess(const QString &address)
{
    QMutexLocker lock(&m_mutex);
    m_addresses.remove(address);
}

int AuthThrottle::recordCount() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_addresses.size() + m_accounts.size());
}

} // namespace ferry
