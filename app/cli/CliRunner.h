#pragma once
// One run of ferry-cli: get the password, connect, log in, run the command, and end with its exit code
// (see ExitCode in CliOptions.h). From the password on, SIGINT/SIGTERM end the run cleanly (exit 128 + N).

#include "CommandLine.h"
#include "Result.h"

#include <QObject>

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
    void onConnected();
    void onLoggedIn();
    void onLoginFailed(const Error &error);
    void onConnectionFailed(const Error &error);
    void onDisconnected(const Error &error);
    void runCommand();
    // Ctrl-C or SIGTERM: a transfer stops keeping its part files; the exit code is 128 + the signal.
    void onInterrupted(int signalNumber);
    void finish(int exitCode);

    CliOptions m_options;
    QString m_password;
    ClientSession *m_session = nullptr;
    InterruptWatcher *m_interrupts = nullptr;
    TransferCommand *m_transfer = nullptr;
    bool m_loggedIn = false;
    bool m_finished = false;
};

} // namespace ferry::cli
