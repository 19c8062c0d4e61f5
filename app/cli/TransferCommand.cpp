#include "TransferCommand.h"

#include "ClientSession.h"
#include "Console.h"
#include "ErrorText.h"
#include "ProgressBar.h"
#include "Protocol.h"
#include "TerminalText.h"
#include "TransferQueue.h"
#include "TransferReport.h"

#include <QDir>
#include <QFileInfo>

#include <memory>
#include <utility>

namespace ferry::cli {

TransferCommand::TransferCommand(SessionKeeper *keeper, const CliCommand &command, ProgressMode progress,
                                 QObject *parent)
    : QObject(parent), m_keeper(keeper), m_session(keeper->session()), m_command(command),
      m_showProgress(progress == ProgressMode::Bar
                     || (progress == ProgressMode::Auto && TerminalText::stderrIsTerminal())),
      m_direction(command.kind == CommandKind::Put ? TransferDirection::Upload : TransferDirection::Download)
{
    connect(keeper, &SessionKeeper::retryScheduled, this, &TransferCommand::onReconnecting);
    connect(keeper, &SessionKeeper::online, this, [this](bool reconnected) {
        if (reconnected)
            onReconnected();
    });
    connect(keeper, &SessionKeeper::failed, this, &TransferCommand::onKeeperFailed);
}

TransferCommand::~TransferCommand() = default;

void TransferCommand::start()
{
    if (m_direction == TransferDirection::Upload)
        checkUploadSources();
    else
        checkDownloadSources();
}

void TransferCommand::checkUploadSources()
{
    for (const QString &local : std::as_const(m_command.localPaths)) {
        const QFileInfo info(QDir::cleanPath(QFileInfo(local).absoluteFilePath()));
        if (!info.exists())
            report(tr("cannot upload '%1': no such file or folder").arg(local));
        else if (info.isDir() && !m_command.recursive)
            report(tr("cannot upload '%1': it is a folder (use -r to upload folders)").arg(local));
        else if (!info.isDir() && !info.isFile())
            report(tr("cannot upload '%1': not a regular file or folder").arg(local));
        else
            m_sources.append(local);
    }
    if (m_sources.isEmpty()) {
        finish(ExitFailed);
        return;
    }
    checkUploadTarget();
}

void TransferCommand::checkUploadTarget()
{
    const QString folder = m_command.remotePaths.first();
    QPointer<TransferCommand> self(this);
    m_session->stat(folder, [self, folder](const Result<RemoteEntry> &entry) {
        if (!self || self->m_done)
            return;
        if (!entry && entry.error().code == ErrorCode::ConnectionLost) {
            self->checkAgainAfterReconnect();
            return;
        }
        if (!entry || !entry->isDir) {
            const QString reason = entry ? ErrorText::reason(Error::make(ErrorCode::NotADirectory, {}))
                                         : ErrorText::reason(entry.error());
            self->report(tr("cannot upload into '%1': %2").arg(folder, reason));
            self->finish(ExitFailed);
            return;
        }
        self->startQueue();
    });
}

void TransferCommand::checkDownloadSources()
{
    const QString folder = m_command.localPaths.first();
    const QFileInfo info(folder);
    if (!info.isDir()) {
        report(tr("cannot download into '%1': %2")
                       .arg(folder, info.exists() ? tr("not a folder") : tr("no such folder")));
        finish(ExitFailed);
        return;
    }
    statDownloadSources();
}

void TransferCommand::statDownloadSources()
{
    // One stat per source, pipelined: what each is decides whether it may go (a folder needs -r).
    struct Pending {
        QList<Result<RemoteEntry>> entries;
        int waiting = 0;
    };
    auto pending = std::make_shared<Pending>();
    pending->waiting = int(m_command.remotePaths.size());
    for (int i = 0; i < m_command.remotePaths.size(); ++i)
        pending->entries.append(Result<RemoteEntry>(Error::make(ErrorCode::ConnectionLost, {})));
    QPointer<TransferCommand> self(this);
    for (int i = 0; i < m_command.remotePaths.size(); ++i) {
        m_session->stat(m_command.remotePaths.at(i), [self, pending, i](const Result<RemoteEntry> &entry) {
            pending->entries[i] = entry;
            if (--pending->waiting == 0 && self && !self->m_done)
                self->onDownloadSourcesChecked(pending->entries);
        });
    }
}

void TransferCommand::onDownloadSourcesChecked(const QList<Result<RemoteEntry>> &entries)
{
    for (const Result<RemoteEntry> &entry : entries) {
        if (!entry && entry.error().code == ErrorCode::ConnectionLost) {
            checkAgainAfterReconnect();   // nothing reported yet: all of them again
            return;
        }
    }
    for (int i = 0; i < entries.size(); ++i) {
        const QString &path = m_command.remotePaths.at(i);
        const Result<RemoteEntry> &entry = entries.at(i);
        if (!entry)
            report(tr("cannot download '%1': %2").arg(path, ErrorText::reason(entry.error())));
        else if (entry->isDir && !m_command.recursive)
            report(tr("cannot download '%1': it is a folder (use -r to download folders)").arg(path));
        else
            m_downloadSources.append({path, *entry});
    }
    for (const auto &source : std::as_const(m_downloadSources))
        m_sources.append(source.first);
    if (m_sources.isEmpty()) {
        finish(ExitFailed);
        return;
    }
    startQueue();
}

void TransferCommand::startQueue()
{
    m_queue = new TransferQueue(m_session, this);
    connect(m_queue, &TransferQueue::itemsInserted, this, &TransferCommand::onItemsInserted);
    connect(m_queue, &TransferQueue::itemChanged, this, &TransferCommand::onItemChanged);
    connect(m_queue, &TransferQueue::jobFinished, this, &TransferCommand::onJobFinished);
    if (m_showProgress)
        m_bar = new ProgressBar(m_queue, this);

    const ConflictPolicy policy = m_command.overwrite ? ConflictPolicy::Overwrite
                                  : m_command.resume  ? ConflictPolicy::Resume
                                                      : ConflictPolicy::Fail;
    m_clock.start();
    const QString &name = m_command.targetName;
    if (m_direction == TransferDirection::Upload) {
        const QString &folder = m_command.remotePaths.first();
        m_jobId = name.isEmpty() ? m_queue->upload(m_sources, folder, policy)
                                 : m_queue->uploadAs(m_sources.first(), folder, name, policy);
    } else {
        const QString &folder = m_command.localPaths.first();
        m_jobId = name.isEmpty() ? m_queue->download(m_sources, folder, policy)
                                 : m_queue->downloadAs(m_sources.first(), folder, name, policy);
    }
    if (m_bar)
        m_bar->start();
}

void TransferCommand::onItemsInserted(int first, int last)
{
    // Items may be born failed (a local name the wire does not allow): no itemChanged() tells of those.
    for (int row = first; row <= last; ++row) {
        if (m_queue->at(row).state == TransferState::Failed)
            reportFailure(m_queue->at(row));
    }
}

void TransferCommand::onItemChanged(int row)
{
    const TransferItem &item = m_queue->at(row);
    if (item.state == TransferState::Failed)
        reportFailure(item);   // final: the queue retries busy targets itself before an item fails
}

void TransferCommand::reportFailure(const TransferItem &item)
{
    if (m_reported.contains(item.id))
        return;
    m_reported.insert(item.id);
    report(TransferReport::failure(item));
}

void TransferCommand::onJobFinished(qint64 jobId)
{
    if (jobId != m_jobId || m_done)
        return;
    m_queue->forEachJobItem(m_jobId, [this](const TransferItem &item) {
        if (item.state == TransferState::Failed)
            reportFailure(item);
    });
    endDisplay();
    finish(m_failed ? ExitFailed : ExitOk);
}

void TransferCommand::checkAgainAfterReconnect()
{
    // The keeper decides next: onReconnected() checks again, onKeeperFailed() ends the command.
    m_checkAgain = true;
}

void TransferCommand::onReconnecting(const Error &error, int delayMs)
{
    if (m_done)
        return;
    if (m_bar)
        m_bar->clear();
    Console::error(tr("%1; reconnecting in %2 s").arg(ErrorText::reason(error)).arg((delayMs + 999) / 1000));
}

void TransferCommand::onReconnected()
{
    if (m_done)
        return;
    if (m_bar)
        m_bar->clear();
    Console::error(tr("reconnected; the transfer continues"));
    if (!std::exchange(m_checkAgain, false))
        return;   // the queue starts its items again by itself
    if (m_direction == TransferDirection::Upload)
        checkUploadTarget();
    else
        statDownloadSources();
}

void TransferCommand::onKeeperFailed(const Error &error, SessionKeeper::Failure failure)
{
    if (m_done)
        return;
    QString why = ErrorText::reason(error);
    const qint64 limitMs = m_keeper->backoff().giveUpAfterMs;
    if (failure == SessionKeeper::Failure::LoginRefused)
        why = tr("cannot log in again as '%1': %2").arg(m_keeper->account().user, ErrorText::loginReason(error));
    else if (failure == SessionKeeper::Failure::GaveUp && limitMs > 0)
        why = tr("%1 (no reconnect within %2 s)").arg(why).arg(limitMs / 1000);
    onConnectionLost(why);
}

void TransferCommand::onConnectionLost(const QString &why)
{
    if (m_done)
        return;
    // Before the queue exists, every source argument is still to do.
    int unfinished = int(m_direction == TransferDirection::Upload ? m_command.localPaths.size()
                                                                  : m_command.remotePaths.size());
    if (m_queue) {
        TransferTally tally;
        m_queue->forEachJobItem(m_jobId, [&tally](const TransferItem &item) { tally.add(item); });
        unfinished = tally.unfinished;
    }
    report(tr("%1; %2 not finished (run the same command with --resume to continue)")
                   .arg(why, TransferReport::fileCount(unfinished)));
    endDisplay();
    finish(ExitFailed);
}

void TransferCommand::interrupt()
{
    if (m_done)
        return;
    m_done = true;
    TransferTally tally;
    if (m_queue) {
        m_queue->forEachJobItem(m_jobId, [&tally](const TransferItem &item) { tally.add(item); });
    }
    if (m_bar)
        m_bar->stop();
    // The bar looks at the queue; the queue's destructor stops the running transfers on the wire and keeps
    // every part file.
    delete m_bar;
    delete m_queue;
    m_bar = nullptr;
    m_queue = nullptr;
    Console::error(tally.unfinished > 0
                           ? tr("interrupted; %1 not finished: part files are kept, run the same command with "
                                "--resume to continue")
                                     .arg(TransferReport::fileCount(tally.unfinished))
                           : tr("interrupted"));
}

void TransferCommand::endDisplay()
{
    if (!m_bar)
        return;
    m_bar->stop();
    TransferTally tally;
    m_queue->forEachJobItem(m_jobId, [&tally](const TransferItem &item) { tally.add(item); });
    QTextStream &err = Console::err();
    err << TransferReport::summary(m_direction, tally, m_clock.elapsed()) << '\n';
    err.flush();
    delete m_bar;
    m_bar = nullptr;
}

void TransferCommand::report(const QString &message)
{
    m_failed = true;
    if (m_bar)
        m_bar->clear();
    Console::error(message);
}

void TransferCommand::finish(int exitCode)
{
    if (m_done)
        return;
    m_done = true;
    if (m_session)
        m_session->disconnect(this);
    m_keeper->disconnect(this);
    Console::flush();
    emit finished(exitCode);
}

} // namespace ferry::cli
