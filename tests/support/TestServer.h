#pragma once
// Test support: a real ferryd, either in-process (TestServer) or as the built binary (FerrydProcess),
// on 127.0.0.1 with an ephemeral port and a temporary data folder.

#include "Server.h"
#include "ServerIdentity.h"

#include <QProcess>
#include <QThread>
#include <QTemporaryDir>

#include <memory>
#include <optional>

namespace ferry::test {

class TestServer {
public:
    // dataDir empty: a fresh temporary folder.
    explicit TestServer(const QString &dataDir = {});
    ~TestServer();

    bool addUser(const QString &name, const QString &password, std::optional<qint64> quotaBytes = std::nullopt);
    // In-process server on 127.0.0.1, port 0, discovery off; false (and a QWARN) on failure.
    // Also makes every ClientSession of the test process trust any server identity by default (tests of
    // the identity check set their own verifier on the session).
    bool start(ServerConfig config = {});
    void stop();

    quint16 port() const;
    // The server's TLS identity (its key is made in the data folder at the first start).
    ServerIdentity identity() const;
    QString dataDir() const { return m_dataDir; }
    QString home(const QString &user) const;
    Server *server() const { return m_server.get(); }

private:
    std::unique_ptr<QTemporaryDir> m_temp;
    QString m_dataDir;
    std::unique_ptr<Server> m_server;
    std::unique_ptr<QThread> m_thread;   // the server accepts there, so tests may block on sockets
    std::unique_ptr<QObject> m_context;  // lives in m_thread
};

class FerrydProcess {
public:
    explicit FerrydProcess(const QString &dataDir);
    ~FerrydProcess();

    // Starts FERRYD_BINARY on 127.0.0.1 port 0 (or `port`) and waits for its "listening on" line.
    bool start(const QStringList &extraArguments = {}, quint16 port = 0);
    // Starts FERRYD_BINARY with exactly `arguments` (e.g. only --config FILE) and waits for "listening on".
    bool startWith(const QStringList &arguments);
    quint16 port() const { return m_port; }
    void kill();                       // SIGKILL, then waits
    QProcess &process() { return m_process; }
    QString output() const { return m_output; }
    // Reads output until `text` appears at or after character `from` of output(); false on timeout.
    bool waitForOutput(const QString &text, int timeoutMs = 10000, qsizetype from = 0);

private:
    QString m_dataDir;
    QProcess m_process;
    QString m_output;
    quint16 m_port = 0;
};

// Makes ClientSession trust any server identity in this process (the default TestServer installs).
void trustAnyServer();

// The environment for a ferry-cli process of a test: its config (known servers) in a folder of this test
// process, never the user's, and FERRY_TRUST = `trustCode` when given.
QProcessEnvironment cliEnvironment(const QString &trustCode = {});
QString cliConfigHome();

// Runs `ferryd --data DIR ARGS…` to completion with FERRY_PASSWORD set (when given); returns exit code.
int runFerrydAdmin(const QString &dataDir, const QStringList &arguments, const QString &password = {},
                   QString *output = nullptr);

QByteArray randomBytes(qint64 size, quint32 seed = 1);
bool writeFile(const QString &path, const QByteArray &content);
QByteArray readFile(const QString &path);

} // namespace ferry::test
