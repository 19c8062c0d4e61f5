#pragma once
// One run of ferry-cli: get the password, connect, log in, run the command, and end with its exit code
// (see ExitCode in CommandLine.h).

#include "CommandLine.h"
#include "Result.h"

#include <QObject>

namespace ferry {
class ClientSession;
}

namespace ferry::cli {

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
    void finish(int exitCode);

    CliOptions m_options;
    QString m_password;
    ClientSession *m_session = nullptr;
    bool m_loggedIn = false;
    bool m_finished = false;
};

} // namespace ferry::cli
