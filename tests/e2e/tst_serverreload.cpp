// SIGHUP on the real ferryd binary started with --config: the settings that apply live (name, session limits,
// idle timeout) change for new sessions while existing ones keep working; a broken file or a setting that needs
// a restart changes nothing, and the log says so.

#include "RawClient.h"
#include "TestServer.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>

using namespace ferry;
using namespace ferry::test;

namespace {

const QString User = QStringLiteral("alice");
const QString Password = QStringLiteral("pw");

QString helloName(quint16 port)
{
    RawClient client;
    if (!client.connectTo(port))
        return QStringLiteral("<no connection>");
    const std::optional<Frame> hello = client.next();
    return hello && hello->op() == QLatin1String("hello") ? hello->header.value(QStringLiteral("name")).toString()
                                                          : QStringLiteral("<no hello>");
}

} // namespace

class TestServerReload : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<FerrydProcess> m_server;

    QString configPath() const { return m_dir->filePath(QStringLiteral("ferryd.conf")); }

    // A complete configuration: the data folder, loopback, an ephemeral port, no discovery, plus `extra` lines.
    bool writeConfig(const QByteArray &extra)
    {
        const QByteArray base = "data = " + m_dir->filePath(QStringLiteral("data")).toUtf8()
                              + "\nlisten = 127.0.0.1\nport = 0\ndiscovery = no\n";
        QFile file(configPath());
        return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(base + extra) == base.size() + extra.size();
    }

    bool startServer(const QByteArray &extra, const QStringList &options = {})
    {
        if (!writeConfig(extra))
            return false;
        m_server = std::make_unique<FerrydProcess>(m_dir->filePath(QStringLiteral("data")));
        return m_server->startWith(QStringList{QStringLiteral("--config"), configPath()} + options);
    }

    // Sends SIGHUP and waits for `text` in what ferryd logs after it.
    bool hangupAndWaitFor(const QString &text)
    {
        m_server->waitForOutput(QString(), 0);   // read what is there, so only lines after the signal count
        const qsizetype mark = m_server->output().size();
        if (::kill(pid_t(m_server->process().processId()), SIGHUP) != 0)
            return false;
        if (m_server->waitForOutput(text, 10000, mark))
            return true;
        qWarning("no '%s' after SIGHUP in:\n%s", qPrintable(text), qPrintable(m_server->output().mid(mark)));
        return false;
    }

private slots:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        QCOMPARE(runFerrydAdmin(m_dir->filePath(QStringLiteral("data")), {QStringLiteral("user"), QStringLiteral("add"), User},
                                Password), 0);
    }
    void cleanup()
    {
        m_server.reset();
        m_dir.reset();
    }

    void nameChangesInHello()
    {
        QVERIFY(startServer("name = Before\n"));
        QCOMPARE(helloName(m_server->port()), QStringLiteral("Before"));
        QVERIFY(writeConfig("name = After\n"));
        QVERIFY(hangupAndWaitFor(QStringLiteral("reloaded %1: applied name").arg(configPath())));
        QCOMPARE(m_server->process().state(), QProcess::Running);
        QCOMPARE(helloName(m_server->port()), QStringLiteral("After"));
    }

    void commandLineStillWinsOverTheFile()
    {
        QVERIFY(startServer("name = FromFile\n", {QStringLiteral("--name"), QStringLiteral("FromCommandLine")}));
        QVERIFY(writeConfig("name = ChangedInFile\n"));
        QVERIFY(hangupAndWaitFor(QStringLiteral("no setting that applies live changed")));
        QCOMPARE(helloName(m_server->port()), QStringLiteral("FromCommandLine"));
    }

    void lowerSessionLimitRefusesTheNextSessionOnly_data()
    {
        QTest::addColumn<QByteArray>("key");
        QTest::newRow("in all") << QByteArray("max-sessions");
        QTest::newRow("per address") << QByteArray("max-sessions-per-address");
    }
    void lowerSessionLimitRefusesTheNextSessionOnly()
    {
        QFETCH(QByteArray, key);
        QVERIFY(startServer(key + " = 8\n"));
        RawClient first;
        QVERIFY(first.login(m_server->port(), User, Password));
        RawClient second;   // under the old limit of 8: admitted
        QVERIFY(second.login(m_server->port(), User, Password));

        QVERIFY(writeConfig(key + " = 2\n"));
        QVERIFY(hangupAndWaitFor(QStringLiteral("applied ") + QString::fromLatin1(key)));
        RawClient third;
        QVERIFY(third.connectTo(m_server->port()));
        const std::optional<Frame> refusal = third.next();
        QVERIFY(refusal);
        QCOMPARE(refusal->op(), QStringLiteral("error"));
        QCOMPARE(refusal->header.value(QStringLiteral("code")).toString(), QStringLiteral("too_many_sessions"));
        // The sessions already open keep working.
        for (RawClient *client : {&first, &second}) {
            const Frame quota = client->request(QJsonObject{{QStringLiteral("op"), QStringLiteral("quota")}});
            QCOMPARE(quota.op(), QStringLiteral("ok"));
        }
    }

    // A session's idle timer takes the new timeout when it restarts, at its next request.
    void shorterIdleTimeoutEndsAnIdleSession()
    {
        QVERIFY(startServer("idle-timeout = 600\n"));
        RawClient client;
        QVERIFY(client.login(m_server->port(), User, Password));
        QVERIFY(writeConfig("idle-timeout = 1\n"));
        QVERIFY(hangupAndWaitFor(QStringLiteral("applied idle-timeout")));
        QCOMPARE(client.request(QJsonObject{{QStringLiteral("op"), QStringLiteral("ping")}}).op(), QStringLiteral("ok"));
        QVERIFY(client.waitClosed(10000));
    }

    void brokenFileKeepsTheOldSettings()
    {
        QVERIFY(startServer("name = Before\nmax-sessions = 8\n"));
        // Lines 1-4 are the base; the bad value is on line 6, after a name change that must not apply either.
        QVERIFY(writeConfig("name = After\nmax-sessions = lots\n"));
        QVERIFY(hangupAndWaitFor(QStringLiteral("%1:6: invalid value 'lots' for 'max-sessions'").arg(configPath())));
        QVERIFY(m_server->output().contains(QStringLiteral("reload failed, the settings stay as they were")));
        QCOMPARE(m_server->process().state(), QProcess::Running);
        QCOMPARE(helloName(m_server->port()), QStringLiteral("Before"));
        RawClient client;
        QVERIFY(client.login(m_server->port(), User, Password));

        QVERIFY(writeConfig("name = After\nmax-sessions = 8\n"));   // fixed: the next reload applies it
        QVERIFY(hangupAndWaitFor(QStringLiteral("applied name")));
        QCOMPARE(helloName(m_server->port()), QStringLiteral("After"));
    }

    // A configuration file gone or unreadable by the time of the reload is an error like a bad line.
    void missingFileKeepsTheOldSettings()
    {
        QVERIFY(startServer("name = Before\n"));
        QVERIFY(QFile::remove(configPath()));
        QVERIFY(hangupAndWaitFor(QStringLiteral("reload failed, the settings stay as they were: cannot read the "
                                                "configuration file %1").arg(configPath())));
        QCOMPARE(m_server->process().state(), QProcess::Running);
        QCOMPARE(helloName(m_server->port()), QStringLiteral("Before"));
    }

    void changedPortNeedsARestart()
    {
        QVERIFY(startServer("name = Before\n"));
        const quint16 port = m_server->port();
        const QByteArray base = "data = " + m_dir->filePath(QStringLiteral("data")).toUtf8() + "\nlisten = 127.0.0.1\n";
        QFile file(configPath());
        QVERIFY(file.open(QIODevice::WriteOnly | QIODevice::Truncate));
        file.write(base + "port = 7499\ndiscovery = no\nworkers = 3\nname = After\n");
        file.close();
        QVERIFY(hangupAndWaitFor(QStringLiteral("applied name")));
        const QString log = m_server->output();
        QVERIFY2(log.contains(QStringLiteral("'port' changed from '0' to '7499': this needs a restart")), qPrintable(log));
        QVERIFY2(log.contains(QStringLiteral("'workers' changed from '2' to '3': this needs a restart")), qPrintable(log));
        // Still on the old port, with the new name (what can apply does).
        QCOMPARE(helloName(port), QStringLiteral("After"));
        RawClient client;
        QVERIFY(client.login(port, User, Password));
    }

    // Without --config there is nothing to re-read, but SIGHUP still no longer ends the server.
    void withoutConfigFileTheServerKeepsRunning()
    {
        m_server = std::make_unique<FerrydProcess>(m_dir->filePath(QStringLiteral("data")));
        QVERIFY(m_server->start({QStringLiteral("--name"), QStringLiteral("Plain")}));
        QVERIFY(hangupAndWaitFor(QStringLiteral("reloaded the command line (no --config)")));
        QCOMPARE(m_server->process().state(), QProcess::Running);
        QCOMPARE(helloName(m_server->port()), QStringLiteral("Plain"));
    }
};

QTEST_GUILESS_MAIN(TestServerReload)
#include "tst_serverreload.moc"
