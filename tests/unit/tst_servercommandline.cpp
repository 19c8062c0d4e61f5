// ferryd's command line and configuration file: precedence, every setting, and every kind of bad input.

#include "ConfigReloader.h"
#include "ServerCommandLine.h"

#include <QTemporaryDir>
#include <QtTest>

using namespace ferry;
using Action = ServerCommandLine::Action;

namespace {

const ServerDefaults Defaults{QStringLiteral("/home/me/.local/share/ferryd"), QStringLiteral("host"), QString()};

ServerCommandLine parse(const QString &line, const ServerDefaults &defaults = Defaults)
{
    return ServerCommandLineParser::parse(QStringList{QStringLiteral("ferryd")} + line.split(QLatin1Char(' '), Qt::SkipEmptyParts),
                                          defaults);
}

} // namespace

class TestServerCommandLine : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

    QString writeConfig(const QByteArray &text)
    {
        static int n = 0;
        const QString path = m_dir.filePath(QStringLiteral("ferryd-%1.conf").arg(++n));
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(text) != text.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

private slots:
    void defaultsWithoutOptions()
    {
        const ServerCommandLine line = parse(QString());
        QCOMPARE(line.action, Action::Serve);
        QCOMPARE(line.config.dataDir, Defaults.dataDir);
        QCOMPARE(line.config.name, QStringLiteral("host"));
        QCOMPARE(line.config.port, quint16(7420));
        QVERIFY(line.config.discovery);
        QVERIFY(line.config.logOperations);
        QCOMPARE(line.config.partFileLifetimeSeconds, qint64(7 * 86400));
    }

    void everyOptionOnTheCommandLine()
    {
        const ServerCommandLine line = parse(QStringLiteral(
            "--data /srv/f --listen 127.0.0.1 --port=0 --name Office --idle-timeout 30 --workers 4 "
            "--max-sessions 10 --max-sessions-per-address 3 --part-file-lifetime 12h --no-discovery --quiet --demo"));
        QCOMPARE(line.action, Action::Serve);
        QCOMPARE(line.config.dataDir, QStringLiteral("/srv/f"));
        QCOMPARE(line.config.listenAddress, QHostAddress(QHostAddress::LocalHost));
        QCOMPARE(line.config.port, quint16(0));
        QCOMPARE(line.config.name, QStringLiteral("Office"));
        QCOMPARE(line.config.idleTimeoutMs, 30000);
        QCOMPARE(line.config.workerThreads, 4);
        QCOMPARE(line.config.maxSessions, 10);
        QCOMPARE(line.config.maxSessionsPerAddress, 3);
        QCOMPARE(line.config.partFileLifetimeSeconds, qint64(12 * 3600));
        QVERIFY(!line.config.discovery);
        QVERIFY(!line.config.logOperations);
        QVERIFY(line.demo);
    }

    void subcommandKeepsItsOwnOptions()
    {
        const ServerCommandLine line = parse(QStringLiteral("--data /d user add alice --quota 1G"));
        QCOMPARE(line.action, Action::Subcommand);
        QCOMPARE(line.config.dataDir, QStringLiteral("/d"));
        QCOMPARE(line.subcommand, QStringList({QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("alice"),
                                               QStringLiteral("--quota"), QStringLiteral("1G")}));
    }

    void helpAndVersion()
    {
        QCOMPARE(parse(QStringLiteral("--help")).action, Action::Help);
        QCOMPARE(parse(QStringLiteral("-h")).action, Action::Help);
        QCOMPARE(parse(QStringLiteral("--version")).action, Action::Version);
        const QString help = ServerCommandLineParser::helpText(Defaults);
        for (const QString &key : ServerCommandLineParser::configKeys())
            QVERIFY2(help.contains(key), qPrintable(key));
    }

    void configFileThenCommandLineWins()
    {
        const QString path = writeConfig("# comment\n\n data = /var/lib/ferryd \nport = 7500\nname = \"Office files\"\n"
                                         "discovery = no\nquiet = yes\npart-file-lifetime = 2d\nmax-sessions = 99\n");
        const ServerCommandLine line = parse(QStringLiteral("--config %1 --port 7600").arg(path));
        QCOMPARE(line.action, Action::Serve);
        QCOMPARE(line.configFile, path);
        QCOMPARE(line.config.dataDir, QStringLiteral("/var/lib/ferryd"));
        QCOMPARE(line.config.port, quint16(7600));   // the command line wins
        QCOMPARE(line.config.name, QStringLiteral("Office files"));
        QVERIFY(!line.config.discovery);
        QVERIFY(!line.config.logOperations);
        QCOMPARE(line.config.partFileLifetimeSeconds, qint64(2 * 86400));
        QCOMPARE(line.config.maxSessions, 99);
    }

    void subcommandsReadTheSystemConfigByDefault()
    {
        const QString path = writeConfig("data = /var/lib/ferryd\n");
        const ServerDefaults defaults{Defaults.dataDir, Defaults.name, path};
        QCOMPARE(parse(QStringLiteral("user list"), defaults).config.dataDir, QStringLiteral("/var/lib/ferryd"));
        QCOMPARE(parse(QStringLiteral("--data /x user list"), defaults).config.dataDir, QStringLiteral("/x"));
        // Serving without --config does not: a user's own server keeps its own data.
        QCOMPARE(parse(QString(), defaults).config.dataDir, Defaults.dataDir);
        const ServerDefaults missing{Defaults.dataDir, Defaults.name, m_dir.filePath(QStringLiteral("absent.conf"))};
        QCOMPARE(parse(QStringLiteral("user list"), missing).action, Action::Subcommand);
    }

    void badConfigFilesNameFileAndLine_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown key") << QByteArray("port = 1\nprot = 2\n") << QStringLiteral(":2: unknown setting 'prot'");
        QTest::newRow("no equals") << QByteArray("\n\nport 7420\n") << QStringLiteral(":3: expected 'key = value'");
        QTest::newRow("bad port") << QByteArray("port = 70000\n") << QStringLiteral(":1: invalid value '70000' for 'port'");
        QTest::newRow("bad bool") << QByteArray("discovery = maybe\n") << QStringLiteral(":1: invalid value 'maybe'");
        QTest::newRow("bad listen") << QByteArray("listen = files.lan\n") << QStringLiteral(":1: invalid value");
        QTest::newRow("bad lifetime") << QByteArray("part-file-lifetime = 3w\n") << QStringLiteral(":1: invalid value");
        QTest::newRow("repeated") << QByteArray("port = 1\nport = 2\n") << QStringLiteral(":2: 'port' is already set on line 1");
        QTest::newRow("demo is not a setting") << QByteArray("demo = yes\n") << QStringLiteral(":1: unknown setting 'demo'");
        QTest::newRow("binary junk") << QByteArray("\x01\x02\xff=\n", 5) << QStringLiteral(":1: unknown setting");
    }
    void badConfigFilesNameFileAndLine()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        const QString path = writeConfig(text);
        const ServerCommandLine line = parse(QStringLiteral("--config ") + path);
        QCOMPARE(line.action, Action::Error);
        QVERIFY2(line.error.contains(path + expected), qPrintable(line.error));
    }

    void unreadableConfigIsAnError()
    {
        const ServerCommandLine line = parse(QStringLiteral("--config ") + m_dir.filePath(QStringLiteral("none.conf")));
        QCOMPARE(line.action, Action::Error);
        QVERIFY2(line.error.contains(QStringLiteral("none.conf")), qPrintable(line.error));
    }

    // A reload (ConfigReloader) sees a change of every setting and sorts it as live or needing a restart; a
    // setting added to the table without a place here would be ignored by a reload, so this fails.
    void reloadSortsEverySettingLiveOrRestart()
    {
        const QHash<QString, QString> changed{
            {QStringLiteral("data"), QStringLiteral("/elsewhere")}, {QStringLiteral("listen"), QStringLiteral("127.0.0.1")},
            {QStringLiteral("port"), QStringLiteral("7421")}, {QStringLiteral("name"), QStringLiteral("Renamed")},
            {QStringLiteral("idle-timeout"), QStringLiteral("30")}, {QStringLiteral("workers"), QStringLiteral("4")},
            {QStringLiteral("max-sessions"), QStringLiteral("9")}, {QStringLiteral("max-sessions-per-address"), QStringLiteral("3")},
            {QStringLiteral("part-file-lifetime"), QStringLiteral("2h")}, {QStringLiteral("discovery"), QStringLiteral("no")},
            {QStringLiteral("quiet"), QStringLiteral("yes")}};
        const QStringList live{QStringLiteral("name"), QStringLiteral("idle-timeout"), QStringLiteral("max-sessions"),
                               QStringLiteral("max-sessions-per-address"), QStringLiteral("part-file-lifetime"),
                               QStringLiteral("quiet")};
        const ServerConfig running = parse(QString()).config;
        QCOMPARE(ConfigReloader::compare(running, running).live, QStringList());
        QCOMPARE(ConfigReloader::compare(running, running).restart, QStringList());
        for (const QString &key : ServerCommandLineParser::configKeys()) {
            QVERIFY2(changed.contains(key), qPrintable(QStringLiteral("no changed value for '%1' in this test").arg(key)));
            ServerConfig next = running;
            QString error;
            QVERIFY2(ServerCommandLineParser::applyConfigText(key + QStringLiteral(" = ") + changed.value(key),
                                                              QStringLiteral("f"), &next, &error), qPrintable(error));
            const ConfigReloader::Changes changes = ConfigReloader::compare(running, next);
            const QStringList expected{key};
            QCOMPARE(live.contains(key) ? changes.live : changes.restart, expected);
            QCOMPARE(live.contains(key) ? changes.restart : changes.live, QStringList());
        }
    }

    void badCommandLines_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("expected");
        QTest::newRow("unknown option") << QStringLiteral("--frobnicate") << QStringLiteral("unknown option '--frobnicate'");
        QTest::newRow("missing value") << QStringLiteral("--port") << QStringLiteral("'--port' needs a value");
        QTest::newRow("flag with value") << QStringLiteral("--quiet=no") << QStringLiteral("takes no value");
        QTest::newRow("bad port") << QStringLiteral("--port -1") << QStringLiteral("invalid value '-1' for '--port'");
        QTest::newRow("zero workers") << QStringLiteral("--workers 0") << QStringLiteral("for '--workers'");
        QTest::newRow("huge workers") << QStringLiteral("--workers 65") << QStringLiteral("for '--workers'");
        QTest::newRow("zero idle") << QStringLiteral("--idle-timeout 0") << QStringLiteral("for '--idle-timeout'");
        QTest::newRow("empty name") << QStringLiteral("--name=") << QStringLiteral("for '--name'");
        QTest::newRow("config without file") << QStringLiteral("--config") << QStringLiteral("'--config' needs a value");
        QTest::newRow("single dash") << QStringLiteral("-p 1") << QStringLiteral("unknown option '-p'");
    }
    void badCommandLines()
    {
        QFETCH(QString, line);
        QFETCH(QString, expected);
        const ServerCommandLine parsed = parse(line);
        QCOMPARE(parsed.action, Action::Error);
        QVERIFY2(parsed.error.contains(expected), qPrintable(parsed.error));
    }
};

QTEST_GUILESS_MAIN(TestServerCommandLine)
#include "tst_servercommandline.moc"
