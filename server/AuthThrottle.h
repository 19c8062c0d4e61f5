#pragma once
// Failed-login throttling shared by all sessions, counted per peer address and per account name.
// Per address (docs/PROTOCOL.md): after 5 failures within 10 minutes every auth from it is refused until a delay
// passes, doubling with further failures up to 10 minutes. Per account: a name guessed from many addresses
// slows down too, but only after more failures and with a short cap, so a stranger cannot lock the owner
// out for long. The clock is injected so tests can drive time.

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>

#include <functional>

namespace ferry {

class AuthThrottle {
public:
    using Clock = std::function<qint64()>;   // milliseconds

    struct Policy {
        int freeFailures;
        qint64 firstDelayMs;
        qint64 maxDelayMs;
    };
    static constexpr qint64 WindowMs = 10 * 60 * 1000;
    static constexpr Policy AddressPolicy{5, 2000, 10 * 60 * 1000};
    static constexpr Policy AccountPolicy{20, 1000, 30 * 1000};
    static constexpr int MaxRecords = 10000;

    explicit AuthThrottle(Clock clock = [] { return QDateTime::currentMSecsSinceEpoch(); });

    // Seconds the address (and, once known, the account) must still wait; 0: may try now.
    int retryAfterSeconds(const QString &address, const QString &account = {});
    void recordFailure(const QString &address, const QString &account);
    // A success clears the address's record; the account's record is left to age out (another address
    // guessing it must not be reset by the owner's login).
    void recordSuccess(const QString &address);
    int recordCount() const;

private:
    struct Record {
        QList<qint64> failures;   // times within the window
        qint64 blockedUntilMs = 0;
    };
    using Table = QHash<QString, Record>;
    static void prune(Record &record, qint64 nowMs);
    static void fail(Table &table, const QString &key, const Policy &policy, qint64 nowMs);
    static qint64 waitMs(const Table &table, const QString &key, qint64 nowMs);
    static void pruneTable(Table &table, qint64 nowMs);

    Clock m_clock;
    mutable QMutex m_mutex;
    Table m_addresses;
    Table m_accounts;
};

} // namespace ferry
