#include "BusyRetry.h"

#include "Protocol.h"

#include <QPointer>
#include <QTimer>

namespace ferry::cli {

BusyRetry::BusyRetry(TransferQueue *queue, QObject *parent) : QObject(parent), m_queue(queue)
{
}

bool BusyRetry::retryLater(const TransferItem &item)
{
    if (item.state != TransferState::Failed || item.error.code != ErrorCode::Busy
        || item.error.extra.value(QStringLiteral("local")).toBool() || m_waiting.contains(item.id))
        return m_waiting.contains(item.id);
    int &attempts = m_attempts[item.id];
    if (attempts >= MaxAttempts)
        return false;
    const int delayMs = qMin(MaxDelayMs, FirstDelayMs << attempts);
    ++attempts;
    m_waiting.insert(item.id);
    const qint64 id = item.id;
    QTimer::singleShot(delayMs, this, [this, id] {
        m_waiting.remove(id);
        m_queue->resume(id);   // Failed -> Queued
    });
    return true;
}

} // namespace ferry::cli
