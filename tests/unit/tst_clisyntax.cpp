// ferry-cli's command line: URLs, commands, options and every usage error, parsed without I/O.

#include <QtTest>

// Test executables link ferry-testsupport only; the parser is one pure file, compiled in here.
// (With ferry-cli-core linked to this test, these two lines can go.)
#include "CommandLine.h"

using namespace ferry::cli;
using Action = ParseOutcome::Action;

Q_DECLARE_METATYPE(ferry::cli::CommandKind)
Q_DECLARE_METATYPE(ferry::cli::ProgressMode)

namespace {

// "ls -l /x" -> {"ferry-cli", "ferry://alice@host", "ls", "-l", "/x"}): the URL is the usual one unless the
// test spells the whole line (then it starts with "!").
QStringList commandLine(const QString &line)
{
    if (line.startsWith(QLatin1Char('!')))
        return QStringList{QStringLiteral("ferry-cli")} + line.mid(1).split(QLatin1Char(' '), Qt::SkipEmptyParts);
    return QStringList{QStringLiteral("ferry-cli"), QStringLiteral("ferry://alice@files.lan")}
         + line.split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

QStringList strings(std::initializer_list<const char *> texts)
{
    QStringList list;
    for (const char *text : texts)
        list.append(QString::fromUtf8(text));
    return list;
}

} // namespace

class TestCliSyntax : public QObject {
    Q_OBJECT
private slots:
    void serverUrlsParse_data();
    void serverUrlsParse();
    void badServerUrlsAreUsageErrors_data();
    void badServerUrlsAreUsageErrors();
    void commandsParse_data();
    void commandsParse();
    void asNameParses_data();
    void asNameParses();
    void badCommandLinesAreUsageErrors_data();
    void badCommandLinesAreUsageErrors();
    void remotePathsAreNormalised_data();
    void remotePathsAreNormalised();
    void progressModesParse_data();
    void progressModesParse();
    void reconnectSecondsParse_data();
    void reconnectSecondsParse();
    void helpAndVersionWinOverTheRest();
    void helpDocumentsCommandsUrlPasswordAndExitCodes();
    void pathsStartingWithDashNeedDoubleDash();
};

void TestCliSyntax::serverUrlsParse_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("host");
    QTest::addColumn<int>("port");

    QTest::newRow("host and port") << "ferry://alice@files.lan:7500" << "alice" << "files.lan" << 7500;
    QTest::newRow("default port") << "ferry://alice@files.lan" << "alice" << "files.lan" << 7420;
    QTest::newRow("ipv4") << "ferry://bob@127.0.0.1:1" << "bob" << "127.0.0.1" << 1;
    QTest::newRow("ipv6 in brackets") << "ferry://bob@[::1]:65535" << "bob" << "::1" << 65535;
    QTest::newRow("trailing slash") << "ferry://alice@files.lan/" << "alice" << "files.lan" << 7420;
    QTest::newRow("scheme in capitals") << "FERRY://alice@files.lan" << "alice" << "files.lan" << 7420;
    QTest::newRow("percent-encoded user") << "ferry://j%C3%BCrgen@files.lan" << QStringLiteral("jürgen")
                                          << "files.lan" << 7420;
}

void TestCliSyntax::serverUrlsParse()
{
    QFETCH(QString, url);
    const ParseOutcome outcome = CommandLine::parse({QStringLiteral("ferry-cli"), url, QStringLiteral("quota")});
    QCOMPARE(outcome.error, QString());
    QCOMPARE(outcome.action, Action::Run);
    QTEST(outcome.options.server.user, "user");
    QTEST(outcome.options.server.host, "host");
    QTEST(int(outcome.options.server.port), "port");
}

void TestCliSyntax::badServerUrlsAreUsageErrors_data()
{
    QTest::addColumn<QString>("url");
    QTest::addColumn<QString>("errorPart");

    QTest::newRow("no user") << "ferry://files.lan" << "names no user";
    QTest::newRow("empty user") << "ferry://@files.lan" << "names no user";
    QTest::newRow("no scheme") << "alice@files.lan" << "not a server URL";
    QTest::newRow("other scheme") << "sftp://alice@files.lan" << "not a server URL";
    QTest::newRow("no host") << "ferry://alice@" << "not a server URL";
    QTest::newRow("port zero") << "ferry://alice@files.lan:0" << "invalid port";
    QTest::newRow("port too big") << "ferry://alice@files.lan:65536" << "not a server URL";
    QTest::newRow("port not a number") << "ferry://alice@files.lan:abc" << "not a server URL";
    QTest::newRow("password in url") << "ferry://alice:secret@files.lan" << "FERRY_PASSWORD";
    QTest::newRow("path") << "ferry://alice@files.lan/docs" << "must not have a path";
    QTest::newRow("query") << "ferry://alice@files.lan?x=1" << "must not have a path";
    QTest::newRow("plain word") << "files" << "not a server URL";
}

void TestCliSyntax::badServerUrlsAreUsageErrors()
{
    QFETCH(QString, url);
    QFETCH(QString, errorPart);
    const ParseOutcome outcome = CommandLine::parse({QStringLiteral("ferry-cli"), url, QStringLiteral("ls")});
    QCOMPARE(outcome.action, Action::UsageError);
    QVERIFY2(outcome.error.contains(errorPart), qPrintable(outcome.error));
}

void TestCliSyntax::commandsParse_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<CommandKind>("kind");
    QTest::addColumn<QStringList>("remote");
    QTest::addColumn<QStringList>("local");
    // Set flags as letters: l(ong) p(arents) r(ecursive) o(verwrite) R(esume).
    QTest::addColumn<QString>("flags");

    const QStringList none;
    QTest::newRow("ls") << "ls" << CommandKind::Ls << none << none << "";
    QTest::newRow("ls path") << "ls docs" << CommandKind::Ls << strings({"/docs"}) << none << "";
    QTest::newRow("ls -l") << "ls -l" << CommandKind::Ls << none << none << "l";
    QTest::newRow("ls --long after path") << "ls /docs/ --long" << CommandKind::Ls << strings({"/docs"}) << none
                                          << "l";
    QTest::newRow("mkdir") << "mkdir a/b" << CommandKind::Mkdir << strings({"/a/b"}) << none << "";
    QTest::newRow("mkdir -p many") << "mkdir -p a a/b" << CommandKind::Mkdir << strings({"/a", "/a/b"}) << none
                                   << "p";
    QTest::newRow("rm") << "rm /x.txt" << CommandKind::Rm << strings({"/x.txt"}) << none << "";
    QTest::newRow("rm -r") << "rm -r docs" << CommandKind::Rm << strings({"/docs"}) << none << "r";
    QTest::newRow("rm --recursive") << "rm --recursive docs" << CommandKind::Rm << strings({"/docs"}) << none
                                    << "r";
    QTest::newRow("mv") << "mv a b/c" << CommandKind::Mv << strings({"/a", "/b/c"}) << none << "";
    QTest::newRow("mv --overwrite") << "mv --overwrite a b" << CommandKind::Mv << strings({"/a", "/b"}) << none
                                    << "o";
    QTest::newRow("quota") << "quota" << CommandKind::Quota << none << none << "";
    QTest::newRow("put") << "put f1 f2 /in" << CommandKind::Put << strings({"/in"}) << strings({"f1", "f2"})
                         << "";
    QTest::newRow("put -r --resume") << "put -r --resume dir /" << CommandKind::Put << strings({"/"})
                                     << strings({"dir"}) << "rR";
    QTest::newRow("get --overwrite") << "get --overwrite /a /b ." << CommandKind::Get << strings({"/a", "/b"})
                                     << strings({"."}) << "o";
    QTest::newRow("get -r") << "get -r docs /tmp/x" << CommandKind::Get << strings({"/docs"})
                            << strings({"/tmp/x"}) << "r";
}

void TestCliSyntax::commandsParse()
{
    QFETCH(QString, line);
    QFETCH(QString, flags);
    const ParseOutcome outcome = CommandLine::parse(commandLine(line));
    QCOMPARE(outcome.error, QString());
    QCOMPARE(outcome.action, Action::Run);
    const CliCommand &command = outcome.options.command;
    QTEST(command.kind, "kind");
    QCOMPARE(command.name, line.section(QLatin1Char(' '), 0, 0));
    QTEST(command.remotePaths, "remote");
    QTEST(command.localPaths, "local");
    QCOMPARE(command.longFormat, flags.contains(QLatin1Char('l')));
    QCOMPARE(command.parents, flags.contains(QLatin1Char('p')));
    QCOMPARE(command.recursive, flags.contains(QLatin1Char('r')));
    QCOMPARE(command.overwrite, flags.contains(QLatin1Char('o')));
    QCOMPARE(command.resume, flags.contains(QLatin1Char('R')));
}

void TestCliSyntax::asNameParses_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("name");
    QTest::newRow("put") << "put f /in" << "";
    QTest::newRow("put --as") << "put --as g f /in" << "g";
    QTest::newRow("put --as=") << "put -r --as=副本 dir /" << "副本";
    QTest::newRow("put --as after the paths") << "put dir / --as .hidden" << ".hidden";
    QTest::newRow("get --as") << "get --resume --as x.bin /a.bin ." << "x.bin";
}

void TestCliSyntax::asNameParses()
{
    QFETCH(QString, line);
    const ParseOutcome outcome = CommandLine::parse(commandLine(line));
    QCOMPARE(outcome.error, QString());
    QCOMPARE(outcome.action, Action::Run);
    QTEST(outcome.options.command.targetName, "name");
}

void TestCliSyntax::badCommandLinesAreUsageErrors_data()
{
    QTest::addColumn<QString>("line");
    QTest::addColumn<QString>("errorPart");

    QTest::newRow("nothing") << "!" << "missing the server URL";
    QTest::newRow("url only") << "" << "missing a command";
    QTest::newRow("unknown command") << "frob x" << "unknown command 'frob'";
    QTest::newRow("command before url") << "!ls ferry://alice@files.lan" << "not a server URL";
    QTest::newRow("unknown global option") << "!--frob ferry://alice@files.lan ls" << "frob";
    QTest::newRow("unknown command option") << "ls -z" << "ls: ";
    QTest::newRow("option of another command") << "ls -r" << "ls: ";
    QTest::newRow("ls two paths") << "ls a b" << "too many arguments";
    QTest::newRow("mkdir no path") << "mkdir" << "missing arguments";
    QTest::newRow("mkdir -p no path") << "mkdir -p" << "missing arguments";
    QTest::newRow("rm no path") << "rm -r" << "missing arguments";
    QTest::newRow("mv one path") << "mv a" << "missing arguments";
    QTest::newRow("mv three paths") << "mv a b c" << "too many arguments";
    QTest::newRow("quota with argument") << "quota /" << "too many arguments";
    QTest::newRow("put one argument") << "put file" << "missing arguments";
    QTest::newRow("get nothing") << "get" << "missing arguments";
    QTest::newRow("put resume and overwrite") << "put --resume --overwrite f /" << "exclude each other";
    QTest::newRow("get resume and overwrite") << "get --overwrite --resume /f ." << "exclude each other";
    QTest::newRow("put --as two sources") << "put --as x f g /" << "give one source";
    QTest::newRow("get --as two sources") << "get --as x /f /g ." << "give one source";
    QTest::newRow("put --as a path") << "put --as a/b f /" << "without \"/\"";
    QTest::newRow("get --as dot dot") << "get --as .. /f ." << "without \"/\"";
    QTest::newRow("put --as dot") << "put --as . f /" << "without \"/\"";
    QTest::newRow("put --as empty") << "put --as= f /" << "without \"/\"";
    QTest::newRow("put --as without name") << "put f / --as" << "put: ";
    QTest::newRow("ls --as") << "ls --as x" << "ls: ";
    QTest::newRow("progress without value") << "!--progress" << "progress";
    QTest::newRow("progress bad value") << "!--progress=fast ferry://alice@files.lan ls" << "invalid --progress";
    QTest::newRow("reconnect without value") << "!--reconnect" << "reconnect";
    QTest::newRow("reconnect not a number") << "!--reconnect=soon ferry://alice@files.lan ls" << "invalid --reconnect";
    QTest::newRow("reconnect negative") << "!--reconnect=-1 ferry://alice@files.lan ls" << "invalid --reconnect";
    QTest::newRow("reconnect over a day") << "!--reconnect=86401 ferry://alice@files.lan ls" << "invalid --reconnect";
    QTest::newRow("reconnect fraction") << "!--reconnect=1.5 ferry://alice@files.lan ls" << "invalid --reconnect";
}

void TestCliSyntax::badCommandLinesAreUsageErrors()
{
    QFETCH(QString, line);
    QFETCH(QString, errorPart);
    const ParseOutcome outcome = CommandLine::parse(commandLine(line));
    QCOMPARE(outcome.action, Action::UsageError);
    QVERIFY2(outcome.error.contains(errorPart), qPrintable(outcome.error));
}

void TestCliSyntax::remotePathsAreNormalised_data()
{
    QTest::addColumn<QString>("typed");
    QTest::addColumn<QString>("sent");

    QTest::newRow("root") << "/" << "/";
    QTest::newRow("relative") << "a/b" << "/a/b";
    QTest::newRow("absolute") << "/a/b" << "/a/b";
    QTest::newRow("one trailing slash") << "/a/b/" << "/a/b";
    QTest::newRow("relative trailing slash") << "a/" << "/a";
    // Only one slash is forgiven; the server judges the rest (and answers invalid_path).
    QTest::newRow("two trailing slashes") << "/a//" << "/a/";
    QTest::newRow("dot dot kept for the server") << "../../etc" << "/../../etc";
    QTest::newRow("non-ascii") << QStringLiteral("Fotos/été 写真") << QStringLiteral("/Fotos/été 写真");
}

void TestCliSyntax::remotePathsAreNormalised()
{
    QFETCH(QString, typed);
    QFETCH(QString, sent);
    QCOMPARE(CommandLine::normaliseRemotePath(typed), sent);
    const ParseOutcome outcome = CommandLine::parse(
        {QStringLiteral("ferry-cli"), QStringLiteral("ferry://a@h"), QStringLiteral("rm"), typed});
    QCOMPARE(outcome.action, Action::Run);
    QCOMPARE(outcome.options.command.remotePaths, QStringList{sent});
}

void TestCliSyntax::progressModesParse_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<ProgressMode>("mode");

    QTest::newRow("default") << QStringList{} << ProgressMode::Auto;
    QTest::newRow("auto") << strings({"--progress=auto"}) << ProgressMode::Auto;
    QTest::newRow("bar") << strings({"--progress=bar"}) << ProgressMode::Bar;
    QTest::newRow("none") << strings({"--progress=none"}) << ProgressMode::None;
    QTest::newRow("separate value") << strings({"--progress", "none"}) << ProgressMode::None;
}

void TestCliSyntax::progressModesParse()
{
    QFETCH(QStringList, options);
    const ParseOutcome outcome = CommandLine::parse(QStringList{QStringLiteral("ferry-cli")} + options
                                                    + QStringList{QStringLiteral("ferry://a@h"), QStringLiteral("ls")});
    QCOMPARE(outcome.action, Action::Run);
    QTEST(outcome.options.progress, "mode");
}

void TestCliSyntax::reconnectSecondsParse_data()
{
    QTest::addColumn<QStringList>("options");
    QTest::addColumn<int>("seconds");

    QTest::newRow("default") << QStringList{} << 60;
    QTest::newRow("never") << strings({"--reconnect=0"}) << 0;
    QTest::newRow("ten minutes") << strings({"--reconnect=600"}) << 600;
    QTest::newRow("a day") << strings({"--reconnect=86400"}) << 86400;
    QTest::newRow("separate value") << strings({"--reconnect", "5"}) << 5;
}

void TestCliSyntax::reconnectSecondsParse()
{
    QFETCH(QStringList, options);
    const ParseOutcome outcome = CommandLine::parse(QStringList{QStringLiteral("ferry-cli")} + options
                                                    + QStringList{QStringLiteral("ferry://a@h"), QStringLiteral("put"),
                                                                  QStringLiteral("x"), QStringLiteral("/")});
    QCOMPARE(outcome.action, Action::Run);
    QTEST(outcome.options.reconnectSeconds, "seconds");
}

void TestCliSyntax::helpAndVersionWinOverTheRest()
{
    QCOMPARE(CommandLine::parse(commandLine(QStringLiteral("!--help"))).action, Action::ShowHelp);
    QCOMPARE(CommandLine::parse(commandLine(QStringLiteral("!-h bad-url frob"))).action, Action::ShowHelp);
    QCOMPARE(CommandLine::parse(commandLine(QStringLiteral("!--version"))).action, Action::ShowVersion);
    QCOMPARE(CommandLine::versionText(), QStringLiteral("ferry-cli 0.1.0"));
    // After the URL, "--help" is an argument of the command, not ferry-cli's option.
    QCOMPARE(CommandLine::parse(commandLine(QStringLiteral("ls --help"))).action, Action::UsageError);
}

void TestCliSyntax::helpDocumentsCommandsUrlPasswordAndExitCodes()
{
    const QString help = CommandLine::helpText();
    for (const char *expected : {"ferry://USER@HOST[:PORT]", "7420", "FERRY_PASSWORD", "--progress=MODE",
                                 "--reconnect=SECONDS",
                                 "ls [-l] [PATH]", "mkdir [-p] PATH...", "rm [-r] PATH...",
                                 "mv [--overwrite] FROM TO", "quota", "--version", "--help"}) {
        QVERIFY2(help.contains(QLatin1String(expected)), expected);
    }
    for (int code = ExitOk; code <= ExitCannotConnect; ++code)
        QVERIFY2(help.contains(QStringLiteral("\n  %1  ").arg(code)), qPrintable(QString::number(code)));
}

void TestCliSyntax::pathsStartingWithDashNeedDoubleDash()
{
    const ParseOutcome outcome = CommandLine::parse(commandLine(QStringLiteral("rm -r -- -odd")));
    QCOMPARE(outcome.action, Action::Run);
    QVERIFY(outcome.options.command.recursive);
    QCOMPARE(outcome.options.command.remotePaths, QStringList{QStringLiteral("/-odd")});
}

QTEST_GUILESS_MAIN(TestCliSyntax)
#include "tst_clisyntax.moc"
