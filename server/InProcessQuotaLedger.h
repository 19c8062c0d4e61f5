#pragma once
// The quota ledger in this process's memory: one instance shared by every session and worker thread,
// every call atomic under one mutex (so two puts can never both take the last free bytes).

#include "QuotaLedger.h"

#include <QHash>
#include <QMutex>

namespace ferry {

class InProcessQuotaLedger : public QuotaLedger {
public:
    InProcessQuotaLedger() = default;

    qint64 used(const QString &user) override;
    qint64 reserved(const QString &user) override;
    void setUsed(const QString &user, qint64 bytes) override;
    bool isKnown(const QString &user) override;

    Result<qint64> reserve(const QString &user, qint64 bytes, std::optional<qint64> limit) override;
    void settle(qint64 reservationId, qint64 usedDelta) override;
    void adjustUsed(const QString &user, qint64 delta) override;

private:
    struct Account {
        qint64 used = 0;
        qint64 reserved = 0;  // sum of the open reservations
        bool known = false;   // setUsed() was called: `used` comes from the disk
    };
    struct Reservation {
        QString user;
        qint64 bytes = 0;
    };

    QMutex m_mutex;
    QHash<QString, Account> m_accounts;
    QHash<qint64, Reservation> m_reservations;
    qint64 m_nextReservationId = 1;
};

} // namespace ferry
