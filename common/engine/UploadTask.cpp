#include "UploadTask.h"

#include "ClientSession.h"
#include "ConflictArbiter.h"
#include "ConflictRules.h"
#include "LocalFileHash.h"
#include "Protocol.h"
#include "TransferNames.h"
#include "VirtualPath.h"

#include <QSet>

namespace ferry {

namespace {
// Another client may take the free name we picked before our put arrives; try a few more.
constexpr int MaxRenames = 5;
} // namespace

UploadTask::UploadTask(ClientSession *session, ConflictArbiter *arbiter, std::shared_ptr<TransferItem> item,
                       QObject *parent)
    : TransferTask(session, std::move(item), parent), m_arbiter(arbiter)
{
}

void UploadTask::start()
{
    const bool replaces = m_item->conflict == ConflictPolicy::Overwrite || m_item->conflict == ConflictPolicy::Resume;
    if (m_item->started && replaces)
        run(UploadRunner::Mode::Resume);   // the job said to replace whatever is there
    else if (m_item->started)
        checkTargetBeforeResume();
    else if (m_item->conflict == ConflictPolicy::Overwrite)
        run(UploadRunner::Mode::Overwrite);
    else if (m_item->conflict == ConflictPolicy::Resume)
        resumeUnlessComplete();
    else
        run(UploadRunner::Mode::New);   // the server tells whether the target exists
}

void UploadTask::run(UploadRunner::Mode mode)
{
    if (m_stopped)
        return;
    if (m_runner)
        m_runner->deleteLater();
    m_mode = mode;
    m_runner = new UploadRunner(m_session, m_item->localPath, m_item->remotePath, mode, this);
    connect(m_runner, &UploadRunner::accepted, this, whileRunning([this](qint64 offset, qint64 size) {
        m_item->size = size;
        m_item->mtimeMs = m_runner->mtimeMs();
        m_item->resumedFrom = offset;
        m_item->done = offset;
        m_item->started = true;
        if (m_mode == UploadRunner::Mode::New) {
            m_item->replacesSize = -1;   // nothing was there
            m_item->replacesMtimeMs = -1;
        }
        emit changed();
    }));
    connect(m_runner, &UploadRunner::progress, this, whileRunning([this](qint64 done) {
        m_item->done = done;
        emit progressed();
    }));
    connect(m_runner, &UploadRunner::finished, this,
            whileRunning([this](const Status &status) { onFinished(status); }));
    m_runner->start();
}

void UploadTask::onFinished(const Status &status)
{
    if (!status.ok() && status.error().code == ErrorCode::Exists && m_mode == UploadRunner::Mode::New) {
        onExists(status.error());
        return;
    }
    if (!status.ok() && status.error().code == ErrorCode::ChecksumMismatch && m_mode == UploadRunner::Mode::Resume
        && m_item->resumedFrom > 0 && !m_restartedFromZero) {
        m_restartedFromZero = true;
        run(UploadRunner::Mode::Resume);   // the server removed the part file: this time from 0
        return;
    }
    finishWith(status.error());
}

void UploadTask::resumeUnlessComplete()
{
    QPointer<UploadTask> self(this);
    m_session->stat(m_item->remotePath, [self](const Result<RemoteEntry> &entry) {
        if (!self || self->m_stopped)
            return;
        if (!entry && entry.error().code == ErrorCode::ConnectionLost) {
            self->finishWith(entry.error());
            return;
        }
        if (entry && !entry->isDir)
            self->m_existing = *entry;
        self->apply(ConflictPolicy::Resume, {});
    });
}

bool UploadTask::skipIfComplete()
{
    if (!m_existing || !isCompleteCopy({m_item->size, m_item->mtimeMs}, {m_existing->size, m_existing->mtimeMs}))
        return false;
    discardEarlierPart();
    m_stopped = true;
    emit finished(TransferState::Skipped,
                  Error::make(SkipReason::Complete,
                              tr("%1 is already complete on the server.").arg(m_item->remotePath)));
    return true;
}

void UploadTask::checkTargetBeforeResume()
{
    // A resume replaces the target when it completes: only the one the user agreed to replace (or none).
    QPointer<UploadTask> self(this);
    m_session->stat(m_item->remotePath, [self](const Result<RemoteEntry> &entry) {
        if (!self || self->m_stopped)
            return;
        if (!entry && entry.error().code == ErrorCode::NotFound) {
            self->run(UploadRunner::Mode::Resume);
            return;
        }
        if (!entry) {
            self->finishWith(entry.error());
            return;
        }
        if (entry->size == self->m_item->replacesSize && entry->mtimeMs == self->m_item->replacesMtimeMs) {
            self->run(UploadRunner::Mode::Resume);
            return;
        }
        self->settle(entry, Error::make(ErrorCode::Exists, tr("%1 appeared on the server while the upload was "
                                                               "interrupted.").arg(self->m_item->remotePath)));
    });
}

void UploadTask::onExists(const Error &error)
{
    if (m_decided) {
        apply(*m_decided, error);
        return;
    }
    // Tell the resolver what is there before asking.
    QPointer<UploadTask> self(this);
    m_session->stat(m_item->remotePath, [self, error](const Result<RemoteEntry> &entry) {
        if (self && !self->m_stopped)
            self->settle(entry, error);
    });
}

void UploadTask::settle(const Result<RemoteEntry> &entry, const Error &existsError)
{
    if (!entry && entry.error().code == ErrorCode::ConnectionLost) {
        finishWith(entry.error());
        return;
    }
    if (entry) {
        m_existing = *entry;
    }
    if (entry && !m_identityChecked && !entry->isDir && !entry->sha256.isEmpty() && entry->size == m_item->size
        && skipsIdenticalTarget(m_item->conflict)) {
        skipIfIdentical(*entry, existsError);
        return;
    }
    if (m_item->conflict != ConflictPolicy::Ask || !m_arbiter) {
        apply(m_item->conflict == ConflictPolicy::Ask ? ConflictPolicy::Fail : m_item->conflict, existsError);
        return;
    }
    ConflictResolver::Conflict conflict;
    conflict.item = *m_item;
    if (entry) {
        conflict.existingSize = entry->size;
        conflict.existingMtimeMs = entry->mtimeMs;
    }
    // The server's part files are invisible; only our own earlier attempt tells us one may exist.
    conflict.canResume = m_item->started || m_item->done > 0;
    QPointer<UploadTask> self(this);
    m_arbiter->decide(conflict, this, [self, existsError](ConflictPolicy policy) {
        if (self && !self->m_stopped)
            self->apply(policy, existsError);
    });
}

void UploadTask::skipIfIdentical(const RemoteEntry &entry, const Error &existsError)
{
    m_identityChecked = true;
    QPointer<UploadTask> self(this);
    hashLocalFile(m_item->localPath, this, [self, entry, existsError](const QByteArray &sha256) {
        if (!self || self->m_stopped)
            return;
        if (sha256 != entry.sha256) {
            self->settle(entry, existsError);
            return;
        }
        self->discardEarlierPart();
        self->m_stopped = true;
        emit self->finished(TransferState::Skipped,
                            Error::make(SkipReason::Identical, tr("The same file is already on the server.")));
    });
}

void UploadTask::apply(ConflictPolicy policy, const Error &existsError)
{
    const FileFacts existing{m_existing ? m_existing->size : -1, m_existing ? m_existing->mtimeMs : -1};
    const ConflictPolicy chosen = policy;
    policy = settleConditional(policy, {m_item->size, m_item->mtimeMs}, existing);
    m_decided = policy;
    if (policy == ConflictPolicy::Overwrite || policy == ConflictPolicy::Resume) {
        // What the user agreed to replace; a later resume asks again if something else is there.
        m_item->replacesSize = m_existing ? m_existing->size : -1;
        m_item->replacesMtimeMs = m_existing ? m_existing->mtimeMs : -1;
    }
    switch (policy) {
    case ConflictPolicy::Overwrite:
        run(UploadRunner::Mode::Overwrite);
        return;
    case ConflictPolicy::Resume:
        if (!skipIfComplete())
            run(UploadRunner::Mode::Resume);
        return;
    case ConflictPolicy::Rename:
        discardEarlierPart();
        renameAndRun();
        return;
    case ConflictPolicy::Skip:
        discardEarlierPart();
        m_stopped = true;
        emit finished(TransferState::Skipped, skipReason(chosen));
        return;
    case ConflictPolicy::Ask:
    case ConflictPolicy::Fail:
    case ConflictPolicy::OverwriteIfNewer:   // settled above
    case ConflictPolicy::OverwriteIfSizeDiffers:
        break;
    }
    finishWith(existsError);
}

void UploadTask::renameAndRun()
{
    const Result<VirtualPath> target = VirtualPath::fromWire(m_item->remotePath);
    if (!target || ++m_renames > MaxRenames) {
        finishWith(target ? Error::make(ErrorCode::Exists, tr("No free name was found for %1.").arg(m_item->remotePath))
                          : target.error());
        return;
    }
    const VirtualPath folder = target->parent();
    const QString name = target->name();
    QPointer<UploadTask> self(this);
    m_session->list(folder.toString(), [self, folder, name](const Result<QList<RemoteEntry>> &entries) {
        if (!self || self->m_stopped)
            return;
        if (!entries) {
            self->finishWith(entries.error());
            return;
        }
        QSet<QString> taken;
        for (const RemoteEntry &entry : *entries)
            taken.insert(entry.name);
        const QString free = freeName(name, [&taken](const QString &candidate) { return taken.contains(candidate); });
        const Result<VirtualPath> renamed = folder.child(free);
        if (free.isEmpty() || !renamed) {
            self->finishWith(Error::make(ErrorCode::Exists,
                                         tr("No free name was found for %1.").arg(self->m_item->remotePath)));
            return;
        }
        self->m_item->remotePath = renamed->toString();
        emit self->changed();
        self->run(UploadRunner::Mode::New);
    });
}

void UploadTask::discardEarlierPart()
{
    if (!m_item->started)
        return;
    UploadRunner::discardPart(m_session, m_item->remotePath, m_item->size);
    m_item->started = false;
}

void UploadTask::halt(StopReason reason)
{
    const bool discard = reason == StopReason::Cancel;
    const bool cancelledOnWire = m_runner && m_runner->stop(discard);
    // Cancelled while no put was open (asking, or between attempts): the part file of an earlier attempt.
    if (discard && !cancelledOnWire && m_item->started)
        UploadRunner::discardPart(m_session, m_item->remotePath, m_item->size);
}

} // namespace ferry
