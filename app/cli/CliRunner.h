#pragma once
// One run of ferry-cli: get the password, connect, log in, run the command, and end with its exit code
// (see ExitCode in CliOptions.h). From the password on, SIGINT/SIGTERM end the run cleanly (exit 128 + N).
// The engine's SessionKeeper connects and logs in; for put and get it also reconnects after a lost
// connection, for at most --reconnect seconds (the transfer continues; TransferCommand tells the user).

#include "CommandLine.h"
#include "Result.h"
#include "SessionKeeper.h"

#include <QObject>

#include <memory>

namespace ferry {
class ClientSession;
}

namespace ferry::cli {

class InterruptWatcher;
class TransferCommand;

class CliRunner : public QObject {
    Q_OBJECT
public:
    explicit CliRunner(const CliOptions &options, QObject *parent = nullptr);

    // Call from the event loop; finished() follows exactly once.
    void start();

signals:
    void finished(int exitCode);

private:
    void onOnline(bool reconnected);
    // Before the command runs: the exit code that says why (after, the command reports).
    void onFailed(const Error &error, SessionKeeper::Failure failure);
    void runCommand();
    // Ctrl-C or SIGTERM: a transfer stops keeping its part files; the exit code is 128 + the signal.
    void onInterrupted(int signalNumber);
    void finish(int exitCode);

    CliOptions m_options;
    std::shared_ptr<bool> m_refusalExplained = std::make_shared<bool>(false);
    ClientSession *m_session = nullptr;
    SessionKeeper *m_keeper = nullptr;
    InterruptWatcher *m_interrupts = nullptr;
    TransferCommand *m_transfer = nullptr;
    bool m_loggedIn = false;
    bool m_finished = false;
};

} // namespace ferry::cli
