// TransferQueue::Private, the running half: which queued items start (a pipelining window of small items,
// one large file at a time, uploads only while the socket takes more), their tasks' reports, throttled
// progress with smoothed rates, and what a lost or regained session means for them.

#include "TransferQueuePrivate.h"

#include "Protocol.h"

#include <utility>

namespace ferry {

bool TransferQueue::Private::canStart() const
{
    return autoStart && session && session->state() == ClientSession::State::Ready;
}

void TransferQueue::Private::requestSchedule()
{
    if (scheduleRequested)
        return;
    scheduleRequested = true;
    QMetaObject::invokeMethod(this, &Private::schedule, Qt::QueuedConnection);
}

void TransferQueue::Private::schedule()
{
    scheduleRequested = false;
    waitingForWritable = false;
    if (!canStart())
        return;
    int firstWaiting = -1;
    int started = 0;
    for (int row = scanFrom; row < items.size(); ++row) {
        if (started == MaxStartsPerPass) {
            // The tasks started so far run first (their start is queued before this next pass).
            scanFrom = firstWaiting < 0 ? row : firstWaiting;
            requestSchedule();
            return;
        }
        const TransferItem &item = itemAt(row);
        if (item.state != TransferState::Queued)
            continue;
        if (!belongsToSession(item) || isWaitingToRetry(item.id)) {
            // Another account's item waits for a session there (looked at again after a login); a busy one
            // for its next try (the retry timer schedules again).
            if (firstWaiting < 0)
                firstWaiting = row;
            continue;
        }
        const bool large = TransferTask::isLarge(item);
        bool blocked = large ? largeRunning >= MaxLargeRunning : smallRunning >= smallWindow(item);
        if (!blocked && TransferTask::waitsForRoom(item, *session)) {
            blocked = true;
            waitingForWritable = true;
        }
        if (blocked) {
            if (firstWaiting < 0)
                firstWaiting = row;
            if (large)
                continue;   // small items behind it may still go
            break;
        }
        startTask(row);
        ++started;
    }
    scanFrom = firstWaiting < 0 ? items.size() : firstWaiting;
}

void TransferQueue::Private::startTask(int row)
{
    stampAccount(itemAt(row));   // queued while offline: it belongs to the account it first runs on
    const TransferItem &item = itemAt(row);
    TransferTask *task = TransferTask::create(session, &arbiter, items.at(row), this);
    connect(task, &TransferTask::changed, this, [this, task] { onTaskChanged(task); });
    connect(task, &TransferTask::progressed, this, [this, task] { onTaskProgressed(task); });
    connect(task, &TransferTask::childrenFound, this,
            [this, task](const QList<TransferItem> &children) { insertItems(task->item().jobId, children); });
    connect(task, &TransferTask::finished, this,
            [this, task](TransferState state, const Error &error) { onTaskFinished(task, state, error); });

    if (running.isEmpty())
        totalMeter.start(bytesMoved);
    Running &entry = running[item.id];
    entry.task = task;
    entry.large = TransferTask::isLarge(item);
    entry.meter.start(item.done);
    entry.countedDone = item.done;
    (entry.large ? largeRunning : smallRunning) += 1;
    entry.smallDownloadBytes = smallDownloadBytes(item);
    smallDownloadBytesRunning += entry.smallDownloadBytes;
    setState(row, TransferState::Running);
    if (!ticker.isActive())
        ticker.start();
    // From the event loop, so a task that fails at once does not change the list under schedule().
    if (createdTasks.isEmpty())
        QMetaObject::invokeMethod(this, &Private::startCreatedTasks, Qt::QueuedConnection);
    createdTasks.append(task);
}

// How many small items may run when this one starts (it may start below that): uploads hold nothing while they
// wait, downloads hold their data until their commit.
int TransferQueue::Private::smallWindow(const TransferItem &item) const
{
    if (item.direction == TransferDirection::Upload)
        return MaxSmallUploadsRunning;
    if (smallDownloadBytesRunning > 0 && smallDownloadBytesRunning + smallDownloadBytes(item) > MaxSmallDownloadBytes)
        return 0;
    return MaxSmallDownloadsRunning;
}

qint64 TransferQueue::Private::smallDownloadBytes(const TransferItem &item)
{
    const bool smallDownload = item.direction == TransferDirection::Download && !item.isDir
                               && !TransferTask::isLarge(item);
    return smallDownload ? qMax<qint64>(item.size, 0) : 0;
}

void TransferQueue::Private::startCreatedTasks()
{
    const QList<QPointer<TransferTask>> tasks = std::exchange(createdTasks, {});
    for (const QPointer<TransferTask> &task : tasks) {
        if (task && !task->isStopped())
            task->start();
    }
}

void TransferQueue::Private::releaseTask(Running &entry)
{
    (entry.large ? largeRunning : smallRunning) -= 1;
    smallDownloadBytesRunning -= entry.smallDownloadBytes;
    entry.task->disconnect(this);
    entry.task->deleteLater();
    requestSchedule();
}

void TransferQueue::Private::stopTask(qint64 itemId, TransferTask::StopReason reason, TransferState state)
{
    auto it = running.find(itemId);
    if (it == running.end())
        return;
    it->task->stop(reason);
    const int row = rowOf(itemId);
    releaseTask(*it);
    running.erase(it);
    setState(row, state);
}

void TransferQueue::Private::onTaskFinished(TransferTask *task, TransferState state, const Error &error)
{
    const qint64 itemId = task->item().id;
    auto it = running.find(itemId);
    if (it == running.end() || it->task != task)
        return;
    const int row = rowOf(itemId);
    TransferItem &item = itemAt(row);
    if (state == TransferState::Failed && retryBusyLater(itemId, error))
        state = TransferState::Queued;
    else
        busyAttempts.remove(itemId);
    if (state == TransferState::Done && !item.isDir) {
        bytesMoved += qMax<qint64>(0, item.size - item.done);
        item.done = item.size;
    }
    releaseTask(*it);
    running.erase(it);
    setState(row, state, error);
}

void TransferQueue::Private::onTaskChanged(TransferTask *task)
{
    const int row = rowOf(task->item().id);
    auto it = running.find(task->item().id);
    if (row < 0 || it == running.end())
        return;
    it->meter.start(task->item().done);   // accepted or restarted: the prefix already there is no speed
    it->countedDone = task->item().done;
    unsentProgress.remove(task->item().id);
    // lastEmitMs stays: the first bytes after a start show at once, the throttle is for the stream after.
    stateFile.markDirty();   // `started` and a renamed target must survive a restart
    emit q->itemChanged(row);
}

void TransferQueue::Private::onTaskProgressed(TransferTask *task)
{
    const int row = rowOf(task->item().id);
    auto it = running.find(task->item().id);
    if (row < 0 || it == running.end())
        return;
    // The task moved the item's `done` on: only the bytes since the last report count.
    const qint64 done = itemAt(row).done;
    bytesMoved += qMax<qint64>(0, done - it->countedDone);
    it->countedDone = done;
    it->meter.sample(done);
    totalMeter.sample(bytesMoved);
    if (clock.elapsed() - it->lastEmitMs >= ProgressIntervalMs)
        noteProgress(row, *it);
    else
        unsentProgress.insert(task->item().id);   // the ticker sends it
}

void TransferQueue::Private::noteProgress(int row, Running &entry)
{
    TransferItem &item = itemAt(row);
    item.rate = entry.meter.rate();
    item.etaSeconds = item.size >= 0 ? entry.meter.etaSeconds(item.size - item.done) : -1;
    entry.lastEmitMs = clock.elapsed();
    unsentProgress.remove(item.id);
    emit q->itemChanged(row);
}

void TransferQueue::Private::tick()
{
    if (running.isEmpty()) {
        ticker.stop();
        return;
    }
    // Rates are refreshed even without new bytes, so a stalled transfer shows its rate falling.
    totalMeter.sample(bytesMoved);
    const QList<qint64> ids = running.keys();
    QPointer<TransferQueue> guard(q);
    for (const qint64 id : ids) {
        auto it = running.find(id);
        const int row = rowOf(id);
        if (it == running.end() || row < 0 || itemAt(row).isDir)
            continue;
        it->meter.sample(itemAt(row).done);
        const double oldRate = itemAt(row).rate;
        if (unsentProgress.contains(id) || !qFuzzyCompare(oldRate + 1, it->meter.rate() + 1))
            noteProgress(row, *it);
        if (!guard)
            return;
    }
}

void TransferQueue::Private::onSessionStateChanged(ClientSession::State state)
{
    if (state == ClientSession::State::Ready) {
        scanFrom = 0;   // maybe another account: items skipped before may run now
        requestSchedule();
        return;
    }
    // The connection is gone: running items wait in the queue and resume after the next login.
    const QList<qint64> ids = running.keys();
    for (const qint64 id : ids)
        stopTask(id, TransferTask::StopReason::Interrupt, TransferState::Queued);
}

bool TransferQueue::Private::retryBusyLater(qint64 itemId, const Error &error)
{
    // A local part-file lock (DownloadRunner) is another transfer on this machine: waiting would not help.
    if (error.code != ErrorCode::Busy || error.extra.value(ErrorExtra::Local).toBool())
        return false;
    int &attempts = busyAttempts[itemId];
    if (attempts >= MaxBusyAttempts)
        return false;
    const qint64 delayMs = qMin(MaxBusyDelayMs, FirstBusyDelayMs << attempts);
    ++attempts;
    notBefore.insert(itemId, clock.elapsed() + delayMs);
    if (!retryTimer.isActive() || retryTimer.remainingTime() > delayMs)
        retryTimer.start(int(delayMs));
    return true;
}

bool TransferQueue::Private::isWaitingToRetry(qint64 itemId) const
{
    const auto it = notBefore.constFind(itemId);
    return it != notBefore.constEnd() && *it > clock.elapsed();
}

} // namespace ferry
