#include "PartFileSweeper.h"

#include "QuotaLedger.h"
#include "ServerConfig.h"
#include "Storage.h"
#include "TargetLocks.h"

namespace ferry {

qint64 PartFileSweeper::sweep(ServerServices &services, const QString &user, bool force)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    {
        QMutexLocker lock(&m_mutex);
        if (!force && now - m_lastSweepMs.value(user, -IntervalMs - 1) < IntervalMs)
            return 0;
        m_lastSweepMs.insert(user, now);
    }
    const Result<std::shared_ptr<StorageHome>> home = services.storage->openHome(user);
    if (!home)
        return 0;
    const qint64 freed = (*home)->removeStaleParts(services.live.partFileLifetimeSeconds() * 1000, [&](const QString &key) {
        return services.targetLocks->isLocked(key);
    });
    if (freed > 0)
        services.ledger->adjustUsed(user, -freed);
    return freed;
}

} // namespace ferry
