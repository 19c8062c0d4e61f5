#include "InProcessQuotaLedger.h"

#include "Protocol.h"

#include <QJsonObject>
#include <QLocale>

namespace ferry {

namespace {

// English sizes for wire messages (formatSize() is translated, wire messages are not).
QString englishSize(qint64 bytes)
{
    static const char *const units[] = {"KiB", "MiB", "GiB", "TiB", "PiB"};
    if (bytes < 1024)
        return QString::number(bytes) + QStringLiteral(" B");
    double value = double(bytes);
    int unit = -1;
    while (value >= 1024.0 && unit < 4) {
        value /= 1024.0;
        ++unit;
    }
    QString number = QLocale::c().toString(value, 'f', value < 10.0 ? 1 : 0);
    if (number.endsWith(QLatin1String(".0")))
        number.chop(2);
    return number + QLatin1Char(' ') + QLatin1String(units[unit]);
}

Error quotaExceeded(qint64 used, qint64 reserved, qint64 limit, qint64 needed)
{
    QString message = QStringLiteral("Quota exceeded: %1 used of %2").arg(englishSize(used), englishSize(limit));
    if (reserved > 0)
        message += QStringLiteral(" (and %1 held for uploads in progress)").arg(englishSize(reserved));
    message += QStringLiteral(", this upload needs %1 more than is free.").arg(englishSize(needed));
    return Error::make(ErrorCode::QuotaExceeded, message,
                       QJsonObject{{Field::Used, used},
                                   {Field::Limit, limit},
                                   {Field::Needed, needed}});
}

} // namespace

qint64 InProcessQuotaLedger::used(const QString &user)
{
    QMutexLocker lock(&m_mutex);
    return m_accounts.value(user).used;
}

qint64 InProcessQuotaLedger::reserved(const QString &user)
{
    QMutexLocker lock(&m_mutex);
    return m_accounts.value(user).reserved;
}

void InProcessQuotaLedger::setUsed(const QString &user, qint64 bytes)
{
    QMutexLocker lock(&m_mutex);
    Account &account = m_accounts[user];
    account.used = qMax<qint64>(0, bytes);
    account.known = true;
}

bool InProcessQuotaLedger::isKnown(const QString &user)
{
    QMutexLocker lock(&m_mutex);
    const auto found = m_accounts.constFind(user);
    return found != m_accounts.constEnd() && found->known;
}

Result<qint64> InProcessQuotaLedger::reserve(const QString &user, qint64 bytes, std::optional<qint64> limit)
{
    bytes = qMax<qint64>(0, bytes);
    QMutexLocker lock(&m_mutex);
    Account &account = m_accounts[user];
    if (limit) {
        const qint64 wanted = account.used + account.reserved + bytes;
        const qint64 cap = qMax<qint64>(0, *limit);
        if (wanted > cap)
            return quotaExceeded(account.used, account.reserved, cap, wanted - cap);
    }
    account.reserved += bytes;
    const qint64 id = m_nextReservationId++;
    m_reservations.insert(id, Reservation{user, bytes});
    return id;
}

void InProcessQuotaLedger::settle(qint64 reservationId, qint64 usedDelta)
{
    QMutexLocker lock(&m_mutex);
    const auto found = m_reservations.find(reservationId);
    if (found == m_reservations.end())
        return;
    Account &account = m_accounts[found->user];
    account.reserved -= found->bytes;
    account.used = qMax<qint64>(0, account.used + usedDelta);
    m_reservations.erase(found);
}

void InProcessQuotaLedger::adjustUsed(const QString &user, qint64 delta)
{
    QMutexLocker lock(&m_mutex);
    Account &account = m_accounts[user];
    account.used = qMax<qint64>(0, account.used + delta);
}

} // namespace ferry
