#include "UploadTask.h"

#include "ClientSession.h"
#include "ConflictArbiter.h"
#include "Protocol.h"
#include "TransferNames.h"
#include "VirtualPath.h"

#include <QSet>

namespace ferry {

namespace {
// Another client may take the free name we picked before our put arrives; try a few more.
constexpr int MaxRenames = 5;
} // namespace

UploadTask::UploadTask(ClientSession *session, ConflictArbiter *arbiter, const TransferItem &item, QObject *parent)
    : TransferTask(session, item, parent), m_arbiter(arbiter)
{
}

void UploadTask::start()
{
    if (m_item.started)
        run(UploadRunner::Mode::Resume);
    else if (m_item.conflict == ConflictPolicy::Overwrite)
        run(UploadRunner::Mode::Overwrite);
    else if (m_item.conflict == ConflictPolicy::Resume)
        run(UploadRunner::Mode::Resume);
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
    m_runner = new UploadRunner(m_session, m_item.localPath, m_item.remotePath, mode, this);
    connect(m_runner, &UploadRunner::accepted, this, [this](qint64 offset, qint64 size) {
        m_item.size = size;
        m_item.mtimeMs = m_runner->mtimeMs();
        m_item.resumedFrom = offset;
        m_item.done = offset;
        m_item.started = true;
        emit changed();
    });
    connect(m_runner, &UploadRunner::progress, this, [this](qint64 done) {
        m_item.done = done;
        emit progressed();
    });
    connect(m_runner, &UploadRunner::finished, this, &UploadTask::onFinished);
    m_runner->start();
}

void UploadTask::onFinished(const Status &status)
{
    if (m_stopped)
        return;
    if (!status.ok() && status.error().code == ErrorCode::Exists && m_mode == UploadRunner::Mode::New) {
        onExists(status.error());
        return;
    }
    if (!status.ok() && status.error().code == ErrorCode::ChecksumMismatch && m_mode == UploadRunner::Mode::Resume
        && m_item.resumedFrom > 0 && !m_restartedFromZero) {
        m_restartedFromZero = true;
        run(UploadRunner::Mode::Resume);   // the server removed the part file: this time from 0
        return;
    }
    finishWith(status.error());
}

void UploadTask::onExists(const Error &error)
{
    if (m_decided) {
        apply(*m_decided, error);
        return;
    }
    if (m_item.conflict != ConflictPolicy::Ask || !m_arbiter) {
        apply(m_item.conflict == ConflictPolicy::Ask ? ConflictPolicy::Fail : m_item.conflict, error);
        return;
    }
    // Tell the resolver what is there before asking.
    QPointer<UploadTask> self(this);
    m_session->stat(m_item.remotePath, [self, error](const Result<RemoteEntry> &entry) {
        if (!self || self->m_stopped)
            return;
        if (!entry && entry.error().code == ErrorCode::ConnectionLost) {
            self->finishWith(entry.error());
            return;
        }
        ConflictResolver::Conflict conflict;
        conflict.item = self->m_item;
        if (entry) {
            conflict.existingSize = entry->size;
            conflict.existingMtimeMs = entry->mtimeMs;
        }
        // The server's part files are invisible; only our own earlier attempt tells us one may exist.
        conflict.canResume = self->m_item.started || self->m_item.done > 0;
        self->m_arbiter->decide(conflict, self, [self, error](ConflictPolicy policy) {
            if (self && !self->m_stopped)
                self->apply(policy, error);
        });
    });
}

void UploadTask::apply(ConflictPolicy policy, const Error &existsError)
{
    m_decided = policy;
    switch (policy) {
    case ConflictPolicy::Overwrite:
        run(UploadRunner::Mode::Overwrite);
        return;
    case ConflictPolicy::Resume:
        run(UploadRunner::Mode::Resume);
        return;
    case ConflictPolicy::Rename:
        renameAndRun();
        return;
    case ConflictPolicy::Skip:
        m_stopped = true;
        emit finished(TransferState::Skipped, {});
        return;
    case ConflictPolicy::Ask:
    case ConflictPolicy::Fail:
        break;
    }
    finishWith(existsError);
}

void UploadTask::renameAndRun()
{
    const Result<VirtualPath> target = VirtualPath::fromWire(m_item.remotePath);
    if (!target || ++m_renames > MaxRenames) {
        finishWith(target ? Error::make(ErrorCode::Exists, tr("No free name was found for %1.").arg(m_item.remotePath))
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
            self->finishWith(Error::make(ErrorCode::Exists, tr("No free name was found for %1.").arg(self->m_item.remotePath)));
            return;
        }
        self->m_item.remotePath = renamed->toString();
        emit self->changed();
        self->run(UploadRunner::Mode::New);
    });
}

void UploadTask::stop(StopReason reason)
{
    Q_UNUSED(reason);   // the server keeps its part file in every case; it cannot be removed from here
    m_stopped = true;
    if (m_runner)
        m_runner->stop();
}

} // namespace ferry
