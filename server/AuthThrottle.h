#pragma once
// Failed-login throttling per peer address, shared by all sessions: after 5 failures within 10 minutes,
// every auth from that address is refused until a delay passes; the delay doubles with further failures.

#include <QDateTime>
#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>

namespace ferry {

class AuthThrottle {
public:
    static constexpr int FreeFailures = 5;
    static constexpr qint64 WindowMs = 10 * 60 * 1000;
    static constexpr qint64 FirstDelayMs = 2000;
    static constexpr qint64 MaxDelayMs = 10 * 60 * 1000;

    // Seconds the address must still wait (0: may try now).
    int retryAfterSeconds(const QString &address, qint64 nowMs = QDateTime::currentMSecsSinceEpoch());
    void recordFailure(const QString &address, qint64 nowMs = QDateTime::currentMSecsSinceEpoch());
    void recordSuccess(const QString &address);

private:
    struct Record {
        QList<qint64> failures;   // times within the window
        qint64 blockedUntilMs = 0;
    };
    void prune(Record &record, qint64 nowMs) const;

    QMutex m_mutex;
    QHash<QString, Record> m_records;
};

} // namespace ferry
