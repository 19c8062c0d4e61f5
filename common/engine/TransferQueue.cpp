// TransferQueue: the public operations. The item list's bookkeeping (rows, jobs, tallies, signals) is in
// TransferQueueList.cpp; which items run and how, in TransferQueueScheduler.cpp.

#include "TransferQueuePrivate.h"

#include "DownloadTask.h"
#include "Protocol.h"
#include "UploadRunner.h"
#include "VirtualPath.h"

#include <QDir>
#include <QFileInfo>

#include <cmath>

namespace ferry {

namespace {
TransferItem failedItem(TransferItem item, const Error &error)
{
    item.state = TransferState::Failed;
    item.error = error;
    return item;
}

// A new item uploading localPath into the remote folder (remoteDir as given) as name.
TransferItem uploadItem(const QString &localPath, const Result<VirtualPath> &folder, const QString &remoteDir,
                        const QString &name, ConflictPolicy policy)
{
    const QFileInfo info(QDir::cleanPath(QFileInfo(localPath).absoluteFilePath()));
    const Result<VirtualPath> target = folder ? folder->child(name) : Result<VirtualPath>(folder.error());
    TransferItem item;
    item.direction = TransferDirection::Upload;
    item.conflict = policy;
    item.localPath = info.absoluteFilePath();
    item.remotePath = target ? target->toString() : remoteDir + QLatin1Char('/') + name;
    if (!target)
        return failedItem(item, target.error());
    if (!info.exists())
        return failedItem(item, Error::make(ErrorCode::NotFound,
                                            TransferQueue::tr("%1 does not exist.").arg(item.localPath)));
    if (info.isDir()) {
        item.isDir = true;
    } else if (info.isFile()) {
        item.size = info.size();
        item.mtimeMs = info.lastModified().toMSecsSinceEpoch();
    } else {
        return failedItem(item, Error::make(ErrorCode::IoError,
                                            TransferQueue::tr("%1 is not a file or a folder.").arg(item.localPath)));
    }
    return item;
}

// A new item downloading remotePath into localDir as name.
TransferItem downloadItem(const QString &remotePath, const QString &localDir, const QString &name,
                          ConflictPolicy policy)
{
    const Result<VirtualPath> source = VirtualPath::fromWire(remotePath);
    TransferItem item;
    item.direction = TransferDirection::Download;
    item.conflict = policy;
    item.remotePath = source ? source->toString() : remotePath;
    item.localPath = QDir::cleanPath(QDir(localDir).absoluteFilePath(name));
    item.size = -1;   // file or folder: a stat tells when it starts
    if (!source)
        return failedItem(item, source.error());
    if (source->isRoot()) {
        item.isDir = true;
        item.size = 0;
    }
    return item;
}
} // namespace

TransferQueue::TransferQueue(ClientSession *session, QObject *parent)
    : QObject(parent), d(std::make_unique<Private>(this, session))
{
}

TransferQueue::~TransferQueue() = default;

void TransferQueue::setStateFile(const QString &path)
{
    d->stateFile.setPath(path);
    d->stateFile.markDirty();
}

bool TransferQueue::restore()
{
    const Result<QList<TransferItem>> saved = d->stateFile.load();
    if (!saved) {
        qWarning("%s", qPrintable(saved.error().message));
        return false;
    }
    // New ids: the saved ones may collide with items queued before restore() was called.
    QHash<qint64, qint64> jobIds;
    QList<qint64> order;
    QHash<qint64, QList<TransferItem>> byJob;
    for (const TransferItem &item : *saved) {
        if (!jobIds.contains(item.jobId)) {
            jobIds.insert(item.jobId, d->newJob(item.direction));
            order.append(item.jobId);
        }
        byJob[item.jobId].append(item);
    }
    for (const qint64 oldJob : std::as_const(order))
        d->insertItems(jobIds.value(oldJob), byJob.value(oldJob));
    return true;
}

void TransferQueue::setConflictResolver(ConflictResolver *resolver)
{
    d->arbiter.setResolver(resolver);
}

void TransferQueue::setAutoStart(bool enabled)
{
    d->autoStart = enabled;
    if (enabled)
        d->requestSchedule();
}

bool TransferQueue::autoStart() const
{
    return d->autoStart;
}

qint64 TransferQueue::upload(const QStringList &localPaths, const QString &remoteDir, ConflictPolicy policy)
{
    const qint64 jobId = d->newJob(TransferDirection::Upload);
    const Result<VirtualPath> folder = VirtualPath::fromWire(remoteDir);
    QList<TransferItem> items;
    for (const QString &path : localPaths) {
        const QString name = QFileInfo(QDir::cleanPath(QFileInfo(path).absoluteFilePath())).fileName();
        items.append(uploadItem(path, folder, remoteDir, name, policy));
    }
    d->insertItems(jobId, items);
    return jobId;
}

qint64 TransferQueue::uploadAs(const QString &localPath, const QString &remoteDir, const QString &name,
                              ConflictPolicy policy)
{
    const qint64 jobId = d->newJob(TransferDirection::Upload);
    d->insertItems(jobId, {uploadItem(localPath, VirtualPath::fromWire(remoteDir), remoteDir, name, policy)});
    return jobId;
}

qint64 TransferQueue::download(const QStringList &remotePaths, const QString &localDir, ConflictPolicy policy)
{
    const qint64 jobId = d->newJob(TransferDirection::Download);
    QList<TransferItem> items;
    for (const QString &path : remotePaths) {
        const Result<VirtualPath> source = VirtualPath::fromWire(path);
        // The whole home ("/") has no name: its content goes into localDir.
        const QString name = source ? source->name() : path.section(QLatin1Char('/'), -1);
        items.append(downloadItem(path, localDir, name, policy));
    }
    d->insertItems(jobId, items);
    return jobId;
}

qint64 TransferQueue::downloadAs(const QString &remotePath, const QString &localDir, const QString &name,
                                ConflictPolicy policy)
{
    const qint64 jobId = d->newJob(TransferDirection::Download);
    d->insertItems(jobId, {downloadItem(remotePath, localDir, name, policy)});
    return jobId;
}

void TransferQueue::pause(qint64 itemId)
{
    const int row = d->rowOf(itemId);
    if (row < 0)
        return;
    if (d->itemAt(row).state == TransferState::Running)
        d->stopTask(itemId, TransferTask::StopReason::Pause, TransferState::Paused);
    else if (d->itemAt(row).state == TransferState::Queued)
        d->setState(row, TransferState::Paused);
}

void TransferQueue::resume(qint64 itemId)
{
    const int row = d->rowOf(itemId);
    if (row < 0)
        return;
    const TransferState state = d->itemAt(row).state;
    if (state == TransferState::Paused || state == TransferState::Failed || state == TransferState::Cancelled)
        d->setState(row, TransferState::Queued);
}

void TransferQueue::cancel(qint64 itemId)
{
    const int row = d->rowOf(itemId);
    if (row < 0)
        return;
    TransferItem &item = d->itemAt(row);
    if (item.state == TransferState::Running) {
        d->stopTask(itemId, TransferTask::StopReason::Cancel, TransferState::Cancelled);   // discards on the wire
    } else if (item.state == TransferState::Queued || item.state == TransferState::Paused) {
        if (item.direction == TransferDirection::Download)
            DownloadTask::discardPartFile(item);
        else if (item.started && d->belongsToSession(item))
            UploadRunner::discardPart(d->session, item.remotePath, item.size);
        d->setState(row, TransferState::Cancelled);
    } else {
        return;
    }
    // What arrived is gone: a retry starts from zero and settles its conflict again.
    TransferItem &cancelled = d->itemAt(row);
    cancelled.started = false;
    cancelled.done = 0;
    cancelled.resumedFrom = 0;
    cancelled.replacesSize = -1;
    cancelled.replacesMtimeMs = -1;
}

void TransferQueue::pauseAll()
{
    QList<qint64> ids;
    for (int row = 0; row < d->items.size(); ++row) {
        const TransferItem &item = d->itemAt(row);
        if (item.state == TransferState::Queued || item.state == TransferState::Running)
            ids.append(item.id);
    }
    for (const qint64 id : std::as_const(ids))
        pause(id);
}

void TransferQueue::resumeAll()
{
    for (int row = 0; row < d->items.size(); ++row) {
        if (d->itemAt(row).state == TransferState::Paused)
            d->setState(row, TransferState::Queued);
    }
}

void TransferQueue::clearFinished()
{
    d->removeFinished([](const TransferItem &) { return true; });
}

void TransferQueue::removeJob(qint64 jobId)
{
    d->removeFinished([jobId](const TransferItem &item) { return item.jobId == jobId; });
}

int TransferQueue::count() const
{
    return d->items.size();
}

const TransferItem &TransferQueue::at(int row) const
{
    return d->itemAt(row);
}

int TransferQueue::rowOf(qint64 itemId) const
{
    return d->rowOf(itemId);
}

TransferTotals TransferQueue::totals() const
{
    TransferTotals totals;
    qint64 remaining = 0;
    for (int row = 0; row < d->items.size(); ++row) {
        const TransferItem &item = d->itemAt(row);
        if (item.isDir || item.batch != d->batch)
            continue;
        ++totals.filesTotal;
        if (item.state == TransferState::Done || item.state == TransferState::Skipped)
            ++totals.filesDone;
        else if (item.state == TransferState::Failed)
            ++totals.filesFailed;
        else if (item.state == TransferState::Cancelled)
            ++totals.filesCancelled;
        else if (item.state == TransferState::Running)
            ++totals.filesActive;
        if (item.state == TransferState::Skipped || item.state == TransferState::Cancelled)
            continue;   // bytes that will never move
        const qint64 size = qMax<qint64>(0, item.size);
        const qint64 done = item.state == TransferState::Done ? size : qBound<qint64>(0, item.done, size);
        totals.bytesTotal += size;
        totals.bytesDone += done;
        if (!item.isFinished())
            remaining += size - done;
    }
    // Measured on all bytes moved, not summed per item: many small files each run too briefly for a rate.
    totals.rate = d->runningCount > 0 ? d->totalMeter.rate() : 0;
    if (remaining == 0)
        totals.etaSeconds = 0;
    else if (totals.rate >= 1)
        totals.etaSeconds = qint64(std::ceil(double(remaining) / totals.rate));
    return totals;
}

TransferQueue::FolderSummary TransferQueue::folderSummary(int row) const
{
    const TransferItem &folder = d->itemAt(row);
    FolderSummary summary;
    summary.state = folder.state;
    const QString &target = folder.direction == TransferDirection::Upload ? folder.remotePath : folder.localPath;
    const QString prefix = target.endsWith(QLatin1Char('/')) ? target : target + QLatin1Char('/');
    bool running = false, queued = false, paused = false, failed = false;
    // A job's rows stay together and a folder's content comes after it.
    for (int i = row + 1; i < d->items.size() && d->itemAt(i).jobId == folder.jobId; ++i) {
        const TransferItem &item = d->itemAt(i);
        const QString &path = item.direction == TransferDirection::Upload ? item.remotePath : item.localPath;
        if (item.isDir || !path.startsWith(prefix))
            continue;
        ++summary.files;
        summary.size += qMax<qint64>(0, item.size);
        summary.done += item.state == TransferState::Done ? qMax<qint64>(0, item.size) : qMax<qint64>(0, item.done);
        summary.filesDone += item.state == TransferState::Done || item.state == TransferState::Skipped;
        summary.filesFailed += item.state == TransferState::Failed;
        running |= item.state == TransferState::Running;
        queued |= item.state == TransferState::Queued;
        paused |= item.state == TransferState::Paused;
        failed |= item.state == TransferState::Failed;
    }
    if (folder.state != TransferState::Done)
        return summary;   // not listed yet, or it failed itself
    summary.state = running ? TransferState::Running
                  : queued  ? TransferState::Queued
                  : paused  ? TransferState::Paused
                  : failed  ? TransferState::Failed
                            : TransferState::Done;
    return summary;
}

bool TransferQueue::isIdle() const
{
    return d->queuedCount == 0 && d->runningCount == 0;
}

int TransferQueue::activeCount() const
{
    return d->queuedCount + d->runningCount;
}

QList<TransferItem> TransferQueue::jobItems(qint64 jobId) const
{
    QList<TransferItem> items;
    forEachJobItem(jobId, [&items](const TransferItem &item) { items.append(item); });
    return items;
}

void TransferQueue::forEachJobItem(qint64 jobId, const std::function<void(const TransferItem &)> &visit) const
{
    for (int row = 0; row < d->items.size(); ++row) {
        const TransferItem &item = d->itemAt(row);
        if (item.jobId == jobId)
            visit(item);
    }
}

} // namespace ferry
