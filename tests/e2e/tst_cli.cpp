// ferry-cli as a real process (FERRY_CLI_BINARY) against a real in-process ferryd: output, messages
// and every exit code (0 ok, 1 failed, 2 usage, 3 authentication, 4 connection).

#include "Frame.h"
#include "TestServer.h"

#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QtTest>

#include <sys/resource.h>
#include <unistd.h>

using ferry::test::TestServer;

namespace {

const QString Alice = QStringLiteral("alice");
const QString AlicePassword = QStringLiteral("alice-pw");

struct CliRun {
    int exitCode = -1;
    QString out;
    QString err;
};

QStringList strings(std::initializer_list<const char *> texts)
{
    QStringList list;
    for (const char *text : texts)
        list.append(QString::fromUtf8(text));
    return list;
}

// A server that greets and then hangs up on the first request: the link drops before login.
class HangUpServer : public QObject {
public:
    HangUpServer()
    {
        m_listener.listen(QHostAddress::LocalHost, 0);
        connect(&m_listener, &QTcpServer::newConnection, this, [this] {
            QTcpSocket *socket = m_listener.nextPendingConnection();
            socket->write(ferry::encodeFrame(QJsonObject{{QStringLiteral("op"), QStringLiteral("hello")},
                                                         {QStringLiteral("proto"), 1},
                                                         {QStringLiteral("server"), QStringLiteral("fake/0")},
                                                         {QStringLiteral("name"), QStringLiteral("fake")},
                                                         {QStringLiteral("auth"),
                                                          QJsonArray{QStringLiteral("SCRAM-SHA-256")}},
                                                         {QStringLiteral("tls"), false}}));
            connect(socket, &QTcpSocket::readyRead, socket, &QTcpSocket::abort);
        });
    }
    quint16 port() const { return m_listener.serverPort(); }

private:
    QTcpServer m_listener;
};

} // namespace

class TestCli : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void versionPrintsNameAndVersion();
    void helpDocumentsCommandsPasswordAndExitCodes();
    void usageErrorsExitWith2_data();
    void usageErrorsExitWith2();
    void lsListsNamesWithSlashAfterFolders();
    void lsLongShowsTypeSizeTimeAndName();
    void lsOfAFileListsThatFile();
    void aLoginLoadsNoQtTlsPlugin();
    void discoverWithoutMdnsSaysSoOnce();
    void raisesItsOpenFileLimitToTheHardOne();
    void operationsReportOutcomeAndExitCode_data();
    void operationsReportOutcomeAndExitCode();
    void quotaShowsUsedAndLimitReadableAndInBytes();
    void nonAsciiNamesRoundTrip();
    void wrongPasswordExitsWith3();
    void unknownUserGetsTheSameAnswerAsAWrongPassword();
    void repeatedFailuresAreThrottledWithExit3();
    void noPasswordAndNoTerminalExitsWith3();
    void connectionRefusedExitsWith4();
    void connectionDroppedBeforeLoginExitsWith4();

private:
    // Runs ferry-cli to completion; password null: FERRY_PASSWORD unset and no controlling terminal.
    CliRun run(const QStringList &arguments, const QString &password = AlicePassword,
               const QProcessEnvironment &extraEnvironment = {});
    QString url(const QString &user = Alice) const
    {
        return QStringLiteral("ferry://%1@127.0.0.1:%2").arg(user).arg(m_server->port());
    }
    QString home() const { return m_server->home(Alice); }

    std::unique_ptr<TestServer> m_server;
};

CliRun TestCli::run(const QStringList &arguments, const QString &password, const QProcessEnvironment &extraEnvironment)
{
    QProcess process;
    QProcessEnvironment environment = ferry::test::cliEnvironment(m_server->identity().code());
    environment.remove(QStringLiteral("FERRY_PASSWORD"));
    if (!password.isNull())
        environment.insert(QStringLiteral("FERRY_PASSWORD"), password);
    else
        process.setChildProcessModifier([] { ::setsid(); });   // no /dev/tty to ask on
    environment.insert(extraEnvironment);
    process.setProcessEnvironment(environment);
    QSignalSpy finished(&process, &QProcess::finished);
    process.start(QStringLiteral(FERRY_CLI_BINARY), arguments);
    process.closeWriteChannel();
    // Wait with the event loop running: the in-process server accepts on this thread.
    CliRun result;
    if (!finished.wait(30000) || process.exitStatus() != QProcess::NormalExit) {
        process.kill();
        process.waitForFinished();
        return result;
    }
    result.exitCode = process.exitCode();
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

void TestCli::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY(m_server->addUser(Alice, AlicePassword, 10 * 1024 * 1024));
    QVERIFY(ferry::test::writeFile(home() + QStringLiteral("/hello.txt"), QByteArray(1000, 'h')));
    QVERIFY(ferry::test::writeFile(home() + QStringLiteral("/docs/inner.txt"), QByteArray(10, 'i')));
    QVERIFY(m_server->start());
}

void TestCli::cleanup()
{
    m_server.reset();
}

void TestCli::versionPrintsNameAndVersion()
{
    const CliRun result = run({QStringLiteral("--version")});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QStringLiteral("ferry-cli 0.1.0\n"));
    QCOMPARE(result.err, QString());
}

void TestCli::helpDocumentsCommandsPasswordAndExitCodes()
{
    const CliRun result = run({QStringLiteral("--help")});
    QCOMPARE(result.exitCode, 0);
    for (const char *expected : {"ferry://USER@HOST[:PORT]", "ls [-l] [PATH]", "mkdir [-p]", "rm [-r]",
                                 "mv [--overwrite] FROM TO", "quota", "FERRY_PASSWORD", "--progress"})
        QVERIFY2(result.out.contains(QLatin1String(expected)), expected);
}

void TestCli::usageErrorsExitWith2_data()
{
    QTest::addColumn<QStringList>("arguments");
    QTest::addColumn<QString>("errorPart");

    QTest::newRow("no arguments") << QStringList{} << "missing the server URL";
    QTest::newRow("no user") << strings({"ferry://127.0.0.1", "ls"}) << "names no user";
    QTest::newRow("bad url") << strings({"127.0.0.1", "ls"}) << "not a server URL";
    QTest::newRow("no command") << strings({"ferry://a@127.0.0.1"}) << "missing a command";
    QTest::newRow("unknown command") << strings({"ferry://a@127.0.0.1", "frob"}) << "unknown command 'frob'";
    QTest::newRow("missing argument") << strings({"ferry://a@127.0.0.1", "mv", "a"}) << "mv: missing arguments";
    QTest::newRow("unknown option") << strings({"ferry://a@127.0.0.1", "ls", "-z"}) << "ls: ";
    QTest::newRow("bad progress") << strings({"--progress=fast", "ferry://a@127.0.0.1", "ls"}) << "--progress";
}

void TestCli::usageErrorsExitWith2()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, errorPart);
    const CliRun result = run(arguments);
    QCOMPARE(result.exitCode, 2);
    QCOMPARE(result.out, QString());
    QVERIFY2(result.err.startsWith(QLatin1String("ferry-cli: ")), qPrintable(result.err));
    QVERIFY2(result.err.contains(errorPart), qPrintable(result.err));
    QVERIFY2(result.err.contains(QLatin1String("--help")), qPrintable(result.err));
}

void TestCli::lsListsNamesWithSlashAfterFolders()
{
    const CliRun result = run({QStringLiteral("--progress=none"), url(), QStringLiteral("ls")});
    QCOMPARE(result.err, QString());
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QStringLiteral("docs/\nhello.txt\n"));
}

void TestCli::lsLongShowsTypeSizeTimeAndName()
{
    const CliRun result = run({url(), QStringLiteral("ls"), QStringLiteral("-l"), QStringLiteral("/")});
    QCOMPARE(result.exitCode, 0);
    const QStringList lines = result.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
    QCOMPARE(lines.size(), 2);
    const QRegularExpression dirLine(QStringLiteral("^dir +0  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  docs/$"));
    const QRegularExpression fileLine(QStringLiteral("^file +1000  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d  hello.txt$"));
    QVERIFY2(dirLine.match(lines.at(0)).hasMatch(), qPrintable(lines.at(0)));
    QVERIFY2(fileLine.match(lines.at(1)).hasMatch(), qPrintable(lines.at(1)));
    // Columns line up: the names start at the same offset.
    QCOMPARE(lines.at(0).indexOf(QLatin1String("docs/")), lines.at(1).indexOf(QLatin1String("hello.txt")));
}

void TestCli::lsOfAFileListsThatFile()
{
    const CliRun result = run({url(), QStringLiteral("ls"), QStringLiteral("docs/inner.txt")});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QStringLiteral("inner.txt\n"));
}

void TestCli::aLoginLoadsNoQtTlsPlugin()
{
    // The engine reads the server's certificate with OpenSSL: a QSslCertificate would load Qt's TLS plugin,
    // which lists the system's CA folder, ~7 ms of every login that checks nothing Ferry uses.
    QProcessEnvironment debugPlugins;
    debugPlugins.insert(QStringLiteral("QT_DEBUG_PLUGINS"), QStringLiteral("1"));
    const CliRun result = run({QStringLiteral("--progress=none"), url(), QStringLiteral("ls")}, AlicePassword, debugPlugins);
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QStringLiteral("docs/\nhello.txt\n"));
    QVERIFY2(!result.err.contains(QStringLiteral("plugins/tls")), qPrintable(result.err));
}

void TestCli::discoverWithoutMdnsSaysSoOnce()
{
    // No system bus to reach avahi-daemon on: mDNS cannot be used, the broadcast still searches.
    QProcessEnvironment noBus;
    noBus.insert(QStringLiteral("DBUS_SYSTEM_BUS_ADDRESS"), QStringLiteral("unix:path=/nonexistent/ferry-test-bus"));
    const CliRun result = run({QStringLiteral("discover")}, AlicePassword, noBus);
    QVERIFY2(result.exitCode == 0 || result.exitCode == 1, qPrintable(result.err));
    QCOMPARE(result.err.count(QStringLiteral("mDNS is not available")), 1);
    QVERIFY2(result.err.startsWith(QStringLiteral("ferry-cli: mDNS is not available: ")), qPrintable(result.err));
    QVERIFY2(result.err.contains(QStringLiteral("(searched by broadcast only)")), qPrintable(result.err));
}

void TestCli::raisesItsOpenFileLimitToTheHardOne()
{
    // Up to 512 small downloads hold their part files open: ferry-cli raises the soft limit of open files (often
    // 1 024) to the hard one at start, as ferryd does. Started with a soft limit of 256, it runs with the hard one.
    struct rlimit original {};
    QCOMPARE(::getrlimit(RLIMIT_NOFILE, &original), 0);
    if (original.rlim_max != RLIM_INFINITY && original.rlim_max <= 256)
        QSKIP("the hard limit of open files is 256 or less here");
    struct rlimit lowered = original;
    lowered.rlim_cur = 256;
    QCOMPARE(::setrlimit(RLIMIT_NOFILE, &lowered), 0);
    // A server that accepts and never answers keeps ferry-cli in its handshake while its limits are read.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("FERRY_PASSWORD"), QStringLiteral("unused"));
    process.setProcessEnvironment(environment);
    process.start(QStringLiteral(FERRY_CLI_BINARY),
                  {QStringLiteral("--progress=none"),
                   QStringLiteral("ferry://alice@127.0.0.1:%1").arg(silent.serverPort()), QStringLiteral("ls")});
    const bool started = process.waitForStarted();
    QCOMPARE(::setrlimit(RLIMIT_NOFILE, &original), 0);
    QVERIFY(started);
    const QString limitsPath = QStringLiteral("/proc/%1/limits").arg(process.processId());
    const auto softLimit = [&limitsPath]() -> QString {
        QFile limits(limitsPath);
        if (!limits.open(QIODevice::ReadOnly))
            return QString();
        for (const QByteArray &line : limits.readAll().split('\n')) {
            if (line.startsWith("Max open files"))
                return QString::fromLatin1(line.mid(26).simplified().split(' ').value(0));
        }
        return QString();
    };
    const QString hard = original.rlim_max == RLIM_INFINITY ? QStringLiteral("unlimited")
                                                            : QString::number(quint64(original.rlim_max));
    QVERIFY(silent.waitForNewConnection(10000));
    QTRY_COMPARE(softLimit(), hard);
    process.kill();
    process.waitForFinished();
}

void TestCli::operationsReportOutcomeAndExitCode_data()
{
    QTest::addColumn<QStringList>("arguments");   // after the URL
    QTest::addColumn<int>("exitCode");
    QTest::addColumn<QString>("error");   // the exact standard error
    QTest::addColumn<QString>("existsAfter");
    QTest::addColumn<QString>("goneAfter");

    QTest::newRow("ls missing") << strings({"ls", "nope"}) << 1
                                << "ferry-cli: cannot list '/nope': no such file or folder\n" << "" << "";
    QTest::newRow("ls dot dot") << strings({"ls", "../../etc"}) << 1
                                << "ferry-cli: cannot list '/../../etc': not a valid path (names cannot be empty, "
                                   "\".\" or \"..\", contain \"/\" or control characters, or start with \".ferry-\")\n"
                                << "" << "";
    QTest::newRow("mkdir") << strings({"mkdir", "new"}) << 0 << "" << "/new" << "";
    QTest::newRow("mkdir missing parent") << strings({"mkdir", "a/b"}) << 1
                                          << "ferry-cli: cannot create folder '/a/b': no such file or folder "
                                             "(use -p to create missing parent folders)\n"
                                          << "" << "/a";
    QTest::newRow("mkdir -p trailing slash") << strings({"mkdir", "-p", "/a/b/"}) << 0 << "" << "/a/b" << "";
    QTest::newRow("mkdir existing") << strings({"mkdir", "docs"}) << 1
                                    << "ferry-cli: cannot create folder '/docs': already exists\n" << "/docs" << "";
    QTest::newRow("rm non-empty") << strings({"rm", "/docs"}) << 1
                                  << "ferry-cli: cannot remove '/docs': folder is not empty (use -r)\n"
                                  << "/docs/inner.txt" << "";
    QTest::newRow("rm -r") << strings({"rm", "-r", "docs/"}) << 0 << "" << "" << "/docs";
    QTest::newRow("rm home") << strings({"rm", "-r", "/"}) << 1
                             << "ferry-cli: cannot remove '/': it is your home folder\n" << "/docs/inner.txt" << "";
    QTest::newRow("rm continues after a failure") << strings({"rm", "nope", "hello.txt"}) << 1
                                                  << "ferry-cli: cannot remove '/nope': no such file or folder\n"
                                                  << "" << "/hello.txt";
    QTest::newRow("mv onto existing") << strings({"mv", "hello.txt", "docs/inner.txt"}) << 1
                                      << "ferry-cli: cannot move '/hello.txt' to '/docs/inner.txt': "
                                         "'/docs/inner.txt' already exists (use --overwrite to replace it)\n"
                                      << "/hello.txt" << "";
    QTest::newRow("mv --overwrite") << strings({"mv", "--overwrite", "hello.txt", "docs/inner.txt"}) << 0 << ""
                                    << "/docs/inner.txt" << "/hello.txt";
    QTest::newRow("mv") << strings({"mv", "hello.txt", "docs/renamed.txt"}) << 0 << "" << "/docs/renamed.txt"
                        << "/hello.txt";
    QTest::newRow("mv missing") << strings({"mv", "nope", "x"}) << 1
                                << "ferry-cli: cannot move '/nope' to '/x': no such file or folder\n" << "" << "/x";
    QTest::newRow("put missing local file") << strings({"put", "local", "/"}) << 1
                                            << "ferry-cli: cannot upload 'local': no such file or folder\n" << "" << "";
}

void TestCli::operationsReportOutcomeAndExitCode()
{
    QFETCH(QStringList, arguments);
    QFETCH(QString, existsAfter);
    QFETCH(QString, goneAfter);
    const CliRun result = run(QStringList{url()} + arguments);
    QTEST(result.err, "error");
    QTEST(result.exitCode, "exitCode");
    QCOMPARE(result.out, QString());
    if (!existsAfter.isEmpty())
        QVERIFY(QFileInfo::exists(home() + existsAfter));
    if (!goneAfter.isEmpty())
        QVERIFY(!QFileInfo::exists(home() + goneAfter));
}

void TestCli::quotaShowsUsedAndLimitReadableAndInBytes()
{
    const CliRun result = run({url(), QStringLiteral("quota")});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QStringLiteral("used:  1010 B (1010 bytes)\nlimit: 10.0 MiB (10485760 bytes)\n"));
}

void TestCli::nonAsciiNamesRoundTrip()
{
    const QString folder = QStringLiteral("Ünïcødé 文件");
    CliRun result = run({url(), QStringLiteral("mkdir"), QStringLiteral("-p"), folder + QStringLiteral("/子")});
    QCOMPARE(result.err, QString());
    QCOMPARE(result.exitCode, 0);
    QVERIFY(QFileInfo(home() + QLatin1Char('/') + folder + QStringLiteral("/子")).isDir());

    result = run({url(), QStringLiteral("ls"), folder});
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QStringLiteral("子/\n"));

    result = run({url(), QStringLiteral("mv"), folder, QStringLiteral("/日本")});
    QCOMPARE(result.exitCode, 0);
    QVERIFY(QFileInfo(home() + QStringLiteral("/日本/子")).isDir());
}

void TestCli::wrongPasswordExitsWith3()
{
    const CliRun result = run({url(), QStringLiteral("ls")}, QStringLiteral("wrong"));
    QCOMPARE(result.exitCode, 3);
    QCOMPARE(result.out, QString());
    QCOMPARE(result.err, QStringLiteral("ferry-cli: cannot log in as 'alice': wrong user name or password\n"));
}

void TestCli::unknownUserGetsTheSameAnswerAsAWrongPassword()
{
    const CliRun result = run({url(QStringLiteral("mallory")), QStringLiteral("ls")});
    QCOMPARE(result.exitCode, 3);
    QCOMPARE(result.err, QStringLiteral("ferry-cli: cannot log in as 'mallory': wrong user name or password\n"));
}

void TestCli::repeatedFailuresAreThrottledWithExit3()
{
    for (int attempt = 0; attempt < 5; ++attempt)
        QCOMPARE(run({url(), QStringLiteral("ls")}, QStringLiteral("wrong")).exitCode, 3);
    const CliRun result = run({url(), QStringLiteral("ls")});   // the right password, too soon
    QCOMPARE(result.exitCode, 3);
    QVERIFY2(result.err.contains(QLatin1String("too many failed logins from this address; try again in ")),
             qPrintable(result.err));
}

void TestCli::noPasswordAndNoTerminalExitsWith3()
{
    const CliRun result = run({url(), QStringLiteral("ls")}, QString());
    QCOMPARE(result.exitCode, 3);
    QVERIFY2(result.err.startsWith(QLatin1String("ferry-cli: cannot log in as 'alice': ")), qPrintable(result.err));
}

void TestCli::connectionRefusedExitsWith4()
{
    quint16 port = 0;
    {
        QTcpServer probe;
        QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
        port = probe.serverPort();
    }
    const CliRun result = run({QStringLiteral("ferry://alice@127.0.0.1:%1").arg(port), QStringLiteral("ls")});
    QCOMPARE(result.exitCode, 4);
    QCOMPARE(result.out, QString());
    QVERIFY2(result.err.startsWith(QStringLiteral("ferry-cli: Cannot connect to 127.0.0.1:%1: ").arg(port)),
             qPrintable(result.err));
    QVERIFY2(result.err.contains(QLatin1String("refused")), qPrintable(result.err));
}

void TestCli::connectionDroppedBeforeLoginExitsWith4()
{
    HangUpServer server;
    const CliRun result = run({QStringLiteral("ferry://alice@127.0.0.1:%1").arg(server.port()), QStringLiteral("ls")});
    QCOMPARE(result.exitCode, 4);
    QVERIFY2(result.err.contains(QStringLiteral("127.0.0.1:%1").arg(server.port())), qPrintable(result.err));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
