#include "DownloadTask.h"

#include "ClientSession.h"
#include "ConflictArbiter.h"
#include "ConflictRules.h"
#include "LocalFileHash.h"
#include "Protocol.h"
#include "TransferNames.h"

#include <QFileInfo>

namespace ferry {

DownloadTask::DownloadTask(ClientSession *session, ConflictArbiter *arbiter, std::shared_ptr<TransferItem> item,
                           QObject *parent)
    : TransferTask(session, std::move(item), parent), m_arbiter(arbiter)
{
}

void DownloadTask::discardPartFile(const TransferItem &item)
{
    if (item.started && !item.isDir)
        QFile::remove(localPartPath(item.localPath));
}

void DownloadTask::start()
{
    if (m_item->size < 0)
        statThenPrepare();
    else
        prepare();
}

void DownloadTask::statThenPrepare()
{
    QPointer<DownloadTask> self(this);
    m_session->stat(m_item->remotePath, [self](const Result<RemoteEntry> &entry) {
        if (!self || self->m_stopped)
            return;
        if (!entry) {
            self->finishWith(entry.error());
            return;
        }
        self->m_item->mtimeMs = entry->mtimeMs;
        if (entry->isDir) {
            // A folder after all: the queue runs it again as a folder item.
            self->m_item->isDir = true;
            self->m_item->size = 0;
            self->m_stopped = true;
            emit self->changed();
            emit self->finished(TransferState::Queued, {});
            return;
        }
        self->m_item->size = entry->size;
        emit self->changed();
        self->prepare();
    });
}

void DownloadTask::prepare()
{
    if (m_item->started) {
        run(true, true);   // our own part file from an earlier attempt, whose conflict was settled then
        return;
    }
    const bool free = m_item->localNameFree || !localNameTaken(m_item->localPath);
    m_item->localNameFree = false;
    if (free) {
        run(m_item->conflict == ConflictPolicy::Resume, false);
        return;
    }
    const QFileInfo target(m_item->localPath);
    if (target.isDir()) {
        finishWith(Error::make(ErrorCode::IsADirectory, tr("%1 is a folder.").arg(m_item->localPath)));
        return;
    }
    if (!m_identityChecked && skipsIdenticalTarget(m_item->conflict) && target.size() == m_item->size) {
        skipIfIdentical();
        return;
    }
    if (m_item->conflict != ConflictPolicy::Ask || !m_arbiter) {
        apply(m_item->conflict == ConflictPolicy::Ask ? ConflictPolicy::Fail : m_item->conflict);
        return;
    }
    ConflictResolver::Conflict conflict;
    conflict.item = *m_item;
    conflict.existingSize = target.size();
    conflict.existingMtimeMs = target.lastModified().toMSecsSinceEpoch();
    conflict.canResume = QFileInfo(localPartPath(m_item->localPath)).size() > 0;
    QPointer<DownloadTask> self(this);
    m_arbiter->decide(conflict, this, [self](ConflictPolicy policy) {
        if (self && !self->m_stopped)
            self->apply(policy);
    });
}

void DownloadTask::skipIfIdentical()
{
    m_identityChecked = true;
    QPointer<DownloadTask> self(this);
    m_session->stat(m_item->remotePath, [self](const Result<RemoteEntry> &entry) {
        if (!self || self->m_stopped)
            return;
        if (!entry && entry.error().code == ErrorCode::ConnectionLost) {
            self->finishWith(entry.error());
            return;
        }
        if (!entry || entry->sha256.isEmpty() || entry->size != self->m_item->size) {
            self->prepare();   // nothing to compare with: the usual conflict
            return;
        }
        hashLocalFile(self->m_item->localPath, self, [self, remote = entry->sha256](const QByteArray &local) {
            if (!self || self->m_stopped)
                return;
            if (local != remote) {
                self->prepare();
                return;
            }
            self->m_stopped = true;
            emit self->finished(TransferState::Skipped,
                                Error::make(SkipReason::Identical, tr("The same file is already on this computer.")));
        });
    });
}

void DownloadTask::apply(ConflictPolicy policy)
{
    const QFileInfo target(m_item->localPath);
    const ConflictPolicy chosen = policy;
    policy = settleConditional(policy, {m_item->size, m_item->mtimeMs},
                               {target.size(), target.lastModified().toMSecsSinceEpoch()});
    switch (policy) {
    case ConflictPolicy::Overwrite:
        run(false, true);
        return;
    case ConflictPolicy::Resume:
        if (isCompleteCopy({m_item->size, m_item->mtimeMs},
                           {target.size(), target.lastModified().toMSecsSinceEpoch()})) {
            m_stopped = true;
            emit finished(TransferState::Skipped, Error::make(SkipReason::Complete,
                                                              tr("%1 is already complete.").arg(m_item->localPath)));
            return;
        }
        run(true, true);
        return;
    case ConflictPolicy::Rename: {
        const QString free = freeName(target.fileName(), [folder = target.path()](const QString &candidate) {
            const QString path = folder + QLatin1Char('/') + candidate;
            return localNameTaken(path) || QFileInfo::exists(localPartPath(path));
        });
        if (free.isEmpty()) {
            finishWith(Error::make(ErrorCode::Exists, tr("No free name was found for %1.").arg(m_item->localPath)));
            return;
        }
        m_item->localPath = target.path() + QLatin1Char('/') + free;
        emit changed();
        run(false, false);
        return;
    }
    case ConflictPolicy::Skip:
        m_stopped = true;
        emit finished(TransferState::Skipped, skipReason(chosen));
        return;
    case ConflictPolicy::Ask:
    case ConflictPolicy::Fail:
    case ConflictPolicy::OverwriteIfNewer:   // settled above
    case ConflictPolicy::OverwriteIfSizeDiffers:
        break;
    }
    finishWith(Error::make(ErrorCode::Exists, tr("%1 already exists.").arg(m_item->localPath)));
}

void DownloadTask::run(bool resume, bool replaceTarget)
{
    if (m_stopped)
        return;
    m_runner = new DownloadRunner(m_session, m_item->remotePath, m_item->localPath, resume, replaceTarget, this);
    connect(m_runner, &DownloadRunner::accepted, this, whileRunning([this](qint64 offset, qint64 size, qint64 mtimeMs) {
        m_item->size = size;
        m_item->mtimeMs = mtimeMs;
        m_item->resumedFrom = offset;
        m_item->done = offset;
        m_item->started = true;
        emit changed();
    }));
    connect(m_runner, &DownloadRunner::progress, this, whileRunning([this](qint64 done) {
        m_item->done = done;
        emit progressed();
    }));
    connect(m_runner, &DownloadRunner::finished, this,
            whileRunning([this](const Status &status) { finishWith(status.error()); }));
    m_runner->start();
}

void DownloadTask::halt(StopReason reason)
{
    if (m_runner) {
        m_runner->stop();
        if (reason == StopReason::Cancel)
            QFile::remove(localPartPath(m_item->localPath));   // we wrote (or truncated) it: ours to remove
    }
}

} // namespace ferry
