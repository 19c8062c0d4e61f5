// TransferQueue::Private, the list half: rows and their ids, jobs and their tallies, and the signals that
// tell views and clients what changed.

#include "TransferQueuePrivate.h"

namespace ferry {

TransferQueue::Private::Private(TransferQueue *queue, ClientSession *session)
    : q(queue), session(session), stateFile([this] { return snapshot(); })
{
    clock.start();
    ticker.setInterval(ProgressIntervalMs);
    connect(&ticker, &QTimer::timeout, this, &Private::tick);
    retryTimer.setSingleShot(true);
    connect(&retryTimer, &QTimer::timeout, this, [this] {
        // Some busy item's time came: forget the past ones, wait for the next, and look at the list again.
        qint64 next = -1;
        for (auto it = notBefore.begin(); it != notBefore.end();) {
            if (*it <= clock.elapsed()) {
                it = notBefore.erase(it);
            } else {
                next = next < 0 ? *it : qMin(next, *it);
                ++it;
            }
        }
        if (next >= 0)
            retryTimer.start(int(next - clock.elapsed()));
        scanFrom = 0;
        requestSchedule();
    });
    if (session) {
        connect(session, &ClientSession::stateChanged, this, &Private::onSessionStateChanged);
        connect(session, &ClientSession::writable, this, [this] {
            if (waitingForWritable)
                requestSchedule();
        });
    }
}

TransferQueue::Private::~Private()
{
    // Running items stop on the wire (their part files stay) and are saved as running, which restore()
    // turns into queued. No signal may leave a queue that is being destroyed.
    for (Running &entry : running) {
        entry.task->disconnect(this);
        entry.task->stop(TransferTask::StopReason::Pause);
    }
    stateFile.markDirty();
    stateFile.flush();
}

QString TransferQueue::Private::sourceKey(const TransferItem &item)
{
    return item.direction == TransferDirection::Upload ? item.localPath : item.remotePath;
}

int TransferQueue::Private::rowOf(qint64 itemId) const
{
    if (rowsMoved) {
        rowById.clear();
        rowById.reserve(items.size());
        for (int row = 0; row < items.size(); ++row)
            rowById.insert(itemAt(row).id, row);
        rowsMoved = false;
    }
    return rowById.value(itemId, -1);
}

qint64 TransferQueue::Private::newJob(TransferDirection direction)
{
    const qint64 jobId = nextJobId++;
    jobs[jobId].direction = direction;
    return jobId;
}

void TransferQueue::Private::insertItems(qint64 jobId, const QList<TransferItem> &newItems)
{
    Job &job = jobs[jobId];
    if (queuedCount == 0 && runningCount == 0)
        ++batch;   // the totals start over with what comes to an idle queue
    QList<std::shared_ptr<TransferItem>> accepted;
    accepted.reserve(newItems.size());
    for (const TransferItem &newItem : newItems) {
        QString key = sourceKey(newItem);
        if (job.paths.contains(key))
            continue;
        job.paths.insert(std::move(key));
        // Copied once, into its place (a folder's children come from a signal: the list stays the sender's).
        auto item = std::make_shared<TransferItem>(newItem);
        item->id = nextItemId++;
        item->jobId = jobId;
        stampAccount(*item);
        item->batch = batch;
        accepted.append(std::move(item));
    }
    checkJobLater(jobId);
    if (accepted.isEmpty())
        return;

    // A job's rows stay together: a folder's content goes after the job's last row.
    int first = items.size();
    for (int row = items.size() - 1; row >= 0; --row) {
        if (itemAt(row).jobId == jobId) {
            first = row + 1;
            break;
        }
    }
    const int last = first + accepted.size() - 1;
    emit q->itemsAboutToBeInserted(first, last);
    if (first == items.size()) {
        for (const std::shared_ptr<TransferItem> &item : std::as_const(accepted)) {
            if (!rowsMoved)
                rowById.insert(item->id, items.size());
            items.append(item);
        }
    } else {
        items.insert(first, accepted.size(), nullptr);
        std::move(accepted.begin(), accepted.end(), items.begin() + first);
        rowsMoved = true;
    }
    for (int row = first; row <= last; ++row)
        account(itemAt(row), +1);
    scanFrom = qMin(scanFrom, first);
    emit q->itemsInserted(first, last);
    stateFile.markDirty();
    requestSchedule();
}

QString TransferQueue::Private::sessionServer() const
{
    return session ? session->host() + QLatin1Char(':') + QString::number(session->port()) : QString();
}

void TransferQueue::Private::stampAccount(TransferItem &item) const
{
    if (!item.user.isEmpty() || !session || session->state() != ClientSession::State::Ready)
        return;
    item.server = sessionServer();
    item.user = session->user();
}

bool TransferQueue::Private::belongsToSession(const TransferItem &item) const
{
    if (item.user.isEmpty())
        return true;
    return session && item.user == session->user() && item.server.compare(sessionServer(), Qt::CaseInsensitive) == 0;
}

void TransferQueue::Private::removeRows(int first, int last)
{
    emit q->itemsAboutToBeRemoved(first, last);
    QSet<qint64> touchedJobs;
    for (int row = first; row <= last; ++row) {
        account(itemAt(row), -1);
        touchedJobs.insert(itemAt(row).jobId);
    }
    items.remove(first, last - first + 1);
    rowsMoved = true;
    scanFrom = 0;
    for (const qint64 jobId : std::as_const(touchedJobs)) {
        if (const auto job = jobs.constFind(jobId); job != jobs.constEnd() && job->items == 0) {
            jobs.remove(jobId);
            arbiter.forgetJob(jobId);
        }
    }
    emit q->itemsRemoved(first, last);
    stateFile.markDirty();
}

void TransferQueue::Private::removeFinished(const std::function<bool(const TransferItem &)> &which)
{
    // From the end, one contiguous run of matching finished rows at a time.
    const auto matches = [&](int row) { return itemAt(row).isFinished() && which(itemAt(row)); };
    int row = items.size() - 1;
    while (row >= 0) {
        if (!matches(row)) {
            --row;
            continue;
        }
        const int last = row;
        while (row > 0 && matches(row - 1))
            --row;
        removeRows(row, last);
        --row;
    }
}

void TransferQueue::Private::account(const TransferItem &item, int sign)
{
    Job &job = jobs[item.jobId];
    job.items += sign;
    if (!item.isFinished())
        job.unfinished += sign;
    if (item.state == TransferState::Failed)
        job.failed += sign;
    if (item.state == TransferState::Queued)
        queuedCount += sign;
    else if (item.state == TransferState::Running)
        runningCount += sign;
    if (queuedCount + runningCount > 0)
        wasIdle = false;
}

void TransferQueue::Private::setState(int row, TransferState state, const Error &error)
{
    TransferItem &item = itemAt(row);
    account(item, -1);
    item.state = state;
    // A skipped item may say why (an identical target); other states carry no error.
    item.error = state == TransferState::Failed || state == TransferState::Skipped ? error : Error();
    account(item, +1);
    if (state != TransferState::Running) {
        item.rate = 0;
        item.etaSeconds = -1;
        unsentProgress.remove(item.id);
    }
    if (state == TransferState::Queued) {
        scanFrom = qMin(scanFrom, row);
        requestSchedule();
    }
    checkJobLater(item.jobId);
    stateFile.markDirty();
    emit q->itemChanged(row);
}

void TransferQueue::Private::checkJobLater(qint64 jobId)
{
    if (jobsToCheck.isEmpty())
        QMetaObject::invokeMethod(this, &Private::reportFinishedJobs, Qt::QueuedConnection);
    jobsToCheck.insert(jobId);
}

void TransferQueue::Private::reportFinishedJobs()
{
    // From the event loop: a slot may start new jobs or clear the list without hurting the code that ended
    // the job's last item.
    const QSet<qint64> ids = std::exchange(jobsToCheck, {});
    QPointer<TransferQueue> guard(q);
    for (const qint64 jobId : ids) {
        const auto job = jobs.constFind(jobId);
        if (job != jobs.constEnd() && job->unfinished == 0)
            emit q->jobFinished(jobId, job->failed);
        if (!guard)
            return;
    }
    if (!wasIdle && queuedCount == 0 && runningCount == 0) {
        wasIdle = true;
        emit q->idle();
    }
}

QList<TransferItem> TransferQueue::Private::snapshot() const
{
    QList<TransferItem> unfinished;
    for (const std::shared_ptr<TransferItem> &item : items) {
        const auto job = jobs.constFind(item->jobId);
        if (job != jobs.constEnd() && job->unfinished > 0)
            unfinished.append(*item);
    }
    return unfinished;
}

} // namespace ferry
