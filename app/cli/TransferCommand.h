#pragma once
// ferry-cli's put and get, run on a logged-in session through the engine's TransferQueue:
//
//   put [-r] [--resume|--overwrite] [--as NAME] LOCAL... REMOTE_DIR
//   get [-r] [--resume|--overwrite] [--as NAME] REMOTE... LOCAL_DIR
//
// First the arguments are checked (each source exists; a folder needs -r; the target folder exists), each
// bad one reported by name while the others still go; then one queue job moves them, each file keeping its
// name inside the target folder (--as: the one source takes NAME there). Conflicts: by default an existing
// target fails (named); --overwrite replaces it; --resume continues part files and leaves complete targets
// alone (the queue's Resume policy).
// Failures are reported as they happen; the exit code is 1 when anything failed, after trying the rest.
// A lost connection: while the SessionKeeper reconnects (--reconnect) the queue waits and then continues
// each file from its part file; when the keeper gives up, what is unfinished is reported and the exit code
// is 1.

#include "CliOptions.h"
#include "RemoteEntry.h"
#include "Result.h"
#include "SessionKeeper.h"
#include "TransferItem.h"

#include <QElapsedTimer>
#include <QObject>
#include <QPointer>
#include <QSet>

namespace ferry {
class ClientSession;
class TransferQueue;
}

namespace ferry::cli {

class ProgressBar;

class TransferCommand : public QObject {
    Q_OBJECT
public:
    TransferCommand(SessionKeeper *keeper, const CliCommand &command, ProgressMode progress,
                    QObject *parent = nullptr);
    ~TransferCommand() override;

    static bool handles(CommandKind kind) { return kind == CommandKind::Put || kind == CommandKind::Get; }
    // Runs the command; finished() follows once, from the event loop.
    void start();
    // Ctrl-C: stops every transfer at once (part files stay for --resume) and says what was left undone.
    // finished() does not follow; the caller ends the program.
    void interrupt();

signals:
    void finished(int exitCode);

private:
    void checkUploadSources();
    void checkUploadTarget();
    void checkDownloadSources();
    void statDownloadSources();
    void onDownloadSourcesChecked(const QList<Result<RemoteEntry>> &entries);
    void startQueue();
    void onItemsInserted(int first, int last);
    void onItemChanged(int row);
    void onJobFinished(qint64 jobId);
    // Before the queue runs: a check that met the lost connection runs again after the reconnect.
    void checkAgainAfterReconnect();
    void onReconnecting(const Error &error, int delayMs);
    void onReconnected();
    void onKeeperFailed(const Error &error, SessionKeeper::Failure failure);
    // Ends the command: what is unfinished and how to continue it.
    void onConnectionLost(const QString &why);
    void reportFailure(const TransferItem &item);
    // Stops the bar and prints the summary line (only when the bar is shown).
    void endDisplay();
    // "ferry-cli: <message>" on standard error, around the bar; the exit code becomes 1.
    void report(const QString &message);
    void finish(int exitCode);

    SessionKeeper *m_keeper;
    QPointer<ClientSession> m_session;
    CliCommand m_command;
    bool m_showProgress;
    TransferDirection m_direction;
    QStringList m_sources;                // the arguments that passed the checks
    QList<std::pair<QString, RemoteEntry>> m_downloadSources;
    TransferQueue *m_queue = nullptr;
    ProgressBar *m_bar = nullptr;
    qint64 m_jobId = 0;
    QSet<qint64> m_reported;              // failed items already reported
    QElapsedTimer m_clock;
    bool m_failed = false;
    bool m_done = false;
    bool m_checkAgain = false;            // a source check met the lost connection
};

} // namespace ferry::cli
