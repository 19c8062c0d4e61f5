#include "CompleteTargetFilter.h"

#include "ClientSession.h"

#include <QFileInfo>

namespace ferry::cli {

CompleteTargetFilter::CompleteTargetFilter(ClientSession *session, TransferQueue *queue, QObject *parent)
    : QObject(parent), m_session(session), m_queue(queue)
{
    connect(queue, &TransferQueue::itemsInserted, this, &CompleteTargetFilter::onItemsInserted);
}

void CompleteTargetFilter::addKnownSource(const QString &remotePath, const RemoteEntry &entry)
{
    m_knownSources.insert(remotePath, entry);
}

bool CompleteTargetFilter::sameFile(qint64 size, qint64 mtimeMs, qint64 otherSize, qint64 otherMtimeMs)
{
    if (size < 0 || size != otherSize || mtimeMs < 0 || otherMtimeMs < 0)
        return false;
    return mtimeMs / 1000 == otherMtimeMs / 1000;
}

void CompleteTargetFilter::onItemsInserted(int first, int last)
{
    // Called while the queue inserts: the items have not started yet (the queue starts them from the
    // event loop), so holding one back here means it never touches its part file or target.
    struct Check {
        qint64 id;
        QString remotePath;
        qint64 size;
        qint64 mtimeMs;
    };
    QList<Check> uploads;
    QList<qint64> completeDownloads;
    for (int row = first; row <= last; ++row) {
        const TransferItem &item = m_queue->at(row);
        if (item.isDir || item.state != TransferState::Queued)
            continue;
        if (item.direction == TransferDirection::Upload)
            uploads.append({item.id, item.remotePath, item.size, item.mtimeMs});
        else if (downloadTargetIsComplete(item))
            completeDownloads.append(item.id);
    }
    for (const qint64 id : std::as_const(completeDownloads))
        markComplete(id);
    for (const Check &check : std::as_const(uploads)) {
        m_queue->pause(check.id);
        checkUpload(check.id, check.remotePath, check.size, check.mtimeMs);
    }
}

void CompleteTargetFilter::checkUpload(qint64 itemId, const QString &remotePath, qint64 size, qint64 mtimeMs)
{
    if (!m_session)
        return;
    QPointer<CompleteTargetFilter> self(this);
    m_session->stat(remotePath, [self, itemId, size, mtimeMs](const Result<RemoteEntry> &entry) {
        if (!self)
            return;
        if (entry && !entry->isDir && sameFile(size, mtimeMs, entry->size, entry->mtimeMs))
            self->markComplete(itemId);
        else
            self->m_queue->resume(itemId);   // not there, different, or unknown: the upload itself will tell
    });
}

bool CompleteTargetFilter::downloadTargetIsComplete(const TransferItem &item) const
{
    const QFileInfo target(item.localPath);
    if (!target.isFile())
        return false;
    qint64 size = item.size;
    qint64 mtimeMs = item.mtimeMs;
    if (size < 0) {
        const auto known = m_knownSources.constFind(item.remotePath);
        if (known == m_knownSources.constEnd())
            return false;
        size = known->size;
        mtimeMs = known->mtimeMs;
    }
    return sameFile(size, mtimeMs, target.size(), target.lastModified().toMSecsSinceEpoch());
}

void CompleteTargetFilter::markComplete(qint64 itemId)
{
    m_complete.insert(itemId);
    m_queue->cancel(itemId);   // not started: nothing of ours to remove, the target stays as it is
}

} // namespace ferry::cli
