// ferry-cli put and get as a real process (FERRY_CLI_BINARY, password in FERRY_PASSWORD) against a real
// ferryd (in-process, or the binary when it is to be killed): files and folders keep their names in the
// target folder, conflicts, quota, the progress bar, and resume after ferry-cli or ferryd is killed.

#include "HostileServer.h"
#include "SizeText.h"
#include "Server.h"
#include "ServerConfig.h"
#include "Sha256.h"
#include "TestServer.h"
#include "TestTiming.h"
#include "UsersFile.h"

#include <QDirIterator>
#include <QJsonArray>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QtTest>

#include <csignal>
#include <sys/stat.h>

using ferry::Sha256;
using ferry::test::FerrydProcess;
using ferry::test::TestServer;
using ferry::test::randomBytes;
using ferry::test::readFile;
using ferry::test::writeFile;

namespace {

const QString Alice = QStringLiteral("alice");
const QString AlicePassword = QStringLiteral("alice-pw");
const QString Carol = QStringLiteral("carol");   // a small quota
const qint64 CarolQuota = 1024 * 1024;
const qint64 BigSize = 200 * 1024 * 1024;

struct CliRun {
    int exitCode = -1;
    QString out;
    QString err;
};

// Every entry below `root`: "dir/" for folders, "path size sha256" for files (part files included, so
// a leftover one shows), sorted.
QStringList treeOf(const QString &root)
{
    QStringList lines;
    QDirIterator it(root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QFileInfo info = it.fileInfo();
        const QString relative = QDir(root).relativeFilePath(info.filePath());
        lines.append(info.isDir() ? relative + QLatin1Char('/')
                                  : QStringLiteral("%1 %2 %3")
                                            .arg(relative)
                                            .arg(info.size())
                                            .arg(QString::fromLatin1(Sha256::hexOfFile(info.filePath()))));
    }
    lines.sort();
    return lines;
}

// A tree with nested empty folders and Chinese names.
bool makeTree(const QString &root)
{
    return writeFile(root + QStringLiteral("/a.txt"), "alpha")
           && writeFile(root + QStringLiteral("/子目录/文件.bin"), randomBytes(300 * 1024, 3))
           && writeFile(root + QStringLiteral("/子目录/empty.txt"), QByteArray())
           && QDir().mkpath(root + QStringLiteral("/子目录/空的"))
           && QDir().mkpath(root + QStringLiteral("/deep/er/est"))
           && writeFile(root + QStringLiteral("/deep/er/b.bin"), randomBytes(5 * 1024 * 1024 + 3, 4));
}

// Every file below `root` with its modification time in ms: "path mtime", sorted.
QStringList mtimesOf(const QString &root)
{
    QStringList lines;
    QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        lines.append(QDir(root).relativeFilePath(it.filePath()) + QLatin1Char(' ')
                     + QString::number(it.fileInfo().lastModified().toMSecsSinceEpoch()));
    }
    lines.sort();
    return lines;
}

// Gives each file below `root` its own modification time, to the millisecond.
bool stampTree(const QString &root)
{
    qint64 mtimeMs = 1'600'000'000'123;
    QDirIterator it(root, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile file(it.next());
        mtimeMs += 86'400'000 + 7;
        if (!file.open(QIODevice::ReadWrite)
            || !file.setFileTime(QDateTime::fromMSecsSinceEpoch(mtimeMs, Qt::UTC), QFileDevice::FileModificationTime))
            return false;
    }
    return true;
}

quint64 inodeOf(const QString &path)
{
    struct stat info = {};
    return ::stat(QFile::encodeName(path).constData(), &info) == 0 ? quint64(info.st_ino) : 0;
}

qint64 sizeOf(const QString &path)
{
    const QFileInfo info(path);
    return info.exists() ? info.size() : -1;
}

// The bytes a running process has read with read() and its kin, sockets included ("rchar" of /proc/PID/io).
qint64 bytesReadBy(qint64 pid)
{
    QFile io(QStringLiteral("/proc/%1/io").arg(pid));
    if (!io.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray &line : io.readAll().split('\n')) {
        if (line.startsWith("rchar:"))
            return line.mid(6).trimmed().toLongLong();
    }
    return -1;
}

} // namespace

class TestCliPut : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();

    void helpDocumentsPutGetResumeAndExitCodes();
    void putKeepsFileNamesInsideTheTargetFolder_data();
    void putKeepsFileNamesInsideTheTargetFolder();
    void getKeepsFileNamesInsideTheLocalFolder();
    void foldersRoundTripWithEmptyFoldersAndChineseNames();
    void getRecursiveOfHomeFetchesEverything();
    void asNameStoresTheOneSourceUnderThatNameBothWays();
    void asNameFollowsTheConflictRules();
    void folderWithoutRecursiveIsNamedAndTheOthersStillGo_data();
    void folderWithoutRecursiveIsNamedAndTheOthersStillGo();
    void missingSourceIsNamedAndTheOthersStillGo_data();
    void missingSourceIsNamedAndTheOthersStillGo();
    void missingTargetFolderIsNamed_data();
    void missingTargetFolderIsNamed();
    void existingTargetIsAnErrorNamingIt_data();
    void existingTargetIsAnErrorNamingIt();
    void overwriteReplacesTheTarget_data();
    void overwriteReplacesTheTarget();
    void resumeLeavesCompleteTargetsAloneAndReplacesOthers_data();
    void resumeLeavesCompleteTargetsAloneAndReplacesOthers();
    void quotaExceededIsReportedWhileTheOtherFilesStillGo();
    void progressBarShowsPercentRateEtaAndSummaryWithinTheWidth();
    void noProgressModeOrNoTerminalDrawsNothing_data();
    void noProgressModeOrNoTerminalDrawsNothing();
    void interruptedTransferResumesWithoutResendingItsPrefix_data();
    void interruptedTransferResumesWithoutResendingItsPrefix();
    void interruptedDownloadWritesWhatItReceivedFirst();
    void putResumesAfterFerrydIsKilledAndRestarted();
    void secondGetOfTheSameTargetIsBusyAndTheFirstStaysIntact();
    void hostileServerNamesNeverWriteOutsideTheTargetFolder();

private:
    QStringList cliArguments(const QStringList &command, const QString &progress, quint16 port = 0,
                             const QString &user = Alice) const;
    void prepare(QProcess &process, const QStringList &arguments, const QString &password = AlicePassword,
                 const QString &columns = {}) const;
    CliRun run(const QStringList &command, const QString &progress = QStringLiteral("none"),
               const QString &user = Alice, const QString &password = AlicePassword, const QString &columns = {},
               quint16 port = 0);
    CliRun finished(QProcess &process) const;
    QString home(const QString &user = Alice) const { return m_server->home(user); }
    QString local(const QString &relative = {}) const
    {
        return relative.isEmpty() ? m_local->path() : m_local->path() + QLatin1Char('/') + relative;
    }

    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<QTemporaryDir> m_local;
};

void TestCliPut::init()
{
    m_server = std::make_unique<TestServer>();
    QVERIFY(m_server->addUser(Alice, AlicePassword, qint64(2) * 1024 * 1024 * 1024));
    QVERIFY(m_server->addUser(Carol, AlicePassword, CarolQuota));
    QVERIFY(m_server->start());
    m_local = std::make_unique<QTemporaryDir>();
    QVERIFY(m_local->isValid());
}

void TestCliPut::cleanup()
{
    m_server.reset();
    m_local.reset();
}

QStringList TestCliPut::cliArguments(const QStringList &command, const QString &progress, quint16 port,
                                     const QString &user) const
{
    const QString url = QStringLiteral("ferry://%1@127.0.0.1:%2").arg(user).arg(port ? port : m_server->port());
    return QStringList{QStringLiteral("--progress=") + progress, url} + command;
}

void TestCliPut::prepare(QProcess &process, const QStringList &arguments, const QString &password,
                         const QString &columns) const
{
    QProcessEnvironment environment = ferry::test::cliEnvironment(m_server ? m_server->identity().code() : QString());
    environment.insert(QStringLiteral("FERRY_PASSWORD"), password);
    environment.remove(QStringLiteral("COLUMNS"));
    if (!columns.isEmpty())
        environment.insert(QStringLiteral("COLUMNS"), columns);
    process.setProcessEnvironment(environment);
    process.setWorkingDirectory(m_local->path());
    process.setProgram(QStringLiteral(FERRY_CLI_BINARY));
    process.setArguments(arguments);
}

CliRun TestCliPut::finished(QProcess &process) const
{
    CliRun result;
    result.exitCode = process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
    result.out = QString::fromUtf8(process.readAllStandardOutput());
    result.err = QString::fromUtf8(process.readAllStandardError());
    return result;
}

CliRun TestCliPut::run(const QStringList &command, const QString &progress, const QString &user,
                       const QString &password, const QString &columns, quint16 port)
{
    QProcess process;
    prepare(process, cliArguments(command, progress, port, user), password, columns);
    QSignalSpy done(&process, &QProcess::finished);
    process.start();
    process.closeWriteChannel();
    if (!done.wait(120000)) {
        process.kill();
        process.waitForFinished();
        return {};
    }
    return finished(process);
}

void TestCliPut::helpDocumentsPutGetResumeAndExitCodes()
{
    QProcess process;
    process.start(QStringLiteral(FERRY_CLI_BINARY), {QStringLiteral("--help")});
    QVERIFY(process.waitForFinished(10000));
    const QString help = QString::fromUtf8(process.readAllStandardOutput());
    for (const char *expected : {"put [-r] [--resume|--overwrite] [--as NAME] LOCAL... REMOTE_DIR",
                                 "get [-r] [--resume|--overwrite] [--as NAME] REMOTE... LOCAL_DIR", "--progress=MODE",
                                 "--resume, a target that already exists with the same size", "A folder given without -r", "130"})
        QVERIFY2(help.contains(QLatin1String(expected)), expected);
    QVERIFY(!help.contains(QLatin1String("not available")));
}

void TestCliPut::putKeepsFileNamesInsideTheTargetFolder_data()
{
    QTest::addColumn<QString>("remoteDir");
    QTest::addColumn<QString>("homeSubfolder");
    QTest::newRow("into the home") << "/" << "";
    QTest::newRow("into a folder") << "in/" << "/in";
    QTest::newRow("into a Chinese folder") << "/目录" << "/目录";
}

void TestCliPut::putKeepsFileNamesInsideTheTargetFolder()
{
    QFETCH(QString, remoteDir);
    QFETCH(QString, homeSubfolder);
    QVERIFY(QDir().mkpath(home() + homeSubfolder));
    QVERIFY(writeFile(local(QStringLiteral("empty.txt")), QByteArray()));
    QVERIFY(writeFile(local(QStringLiteral("one.bin")), "1"));
    QVERIFY(writeFile(local(QStringLiteral("src/中文名.bin")), randomBytes(4 * 1024 * 1024 + 1, 2)));

    const CliRun result = run({QStringLiteral("put"), QStringLiteral("empty.txt"), local(QStringLiteral("one.bin")),
                               QStringLiteral("src/中文名.bin"), remoteDir});
    QCOMPARE(result.err, QString());
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QString());
    // Relative, absolute and nested sources alike land directly in the folder under their own names.
    QVERIFY(QDir().rename(local(QStringLiteral("src/中文名.bin")), local(QStringLiteral("中文名.bin"))));
    QVERIFY(QDir(local(QStringLiteral("src"))).removeRecursively());
    QCOMPARE(treeOf(home() + homeSubfolder), treeOf(local()));
}

void TestCliPut::getKeepsFileNamesInsideTheLocalFolder()
{
    QVERIFY(writeFile(home() + QStringLiteral("/empty.txt"), QByteArray()));
    QVERIFY(writeFile(home() + QStringLiteral("/docs/中文名.bin"), randomBytes(4 * 1024 * 1024 + 1, 5)));
    QVERIFY(QDir().mkpath(local(QStringLiteral("dl"))));

    const CliRun result = run({QStringLiteral("get"), QStringLiteral("empty.txt"), QStringLiteral("/docs/中文名.bin"),
                               QStringLiteral("dl")});
    QCOMPARE(result.err, QString());
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(readFile(local(QStringLiteral("dl/中文名.bin"))), readFile(home() + QStringLiteral("/docs/中文名.bin")));
    QCOMPARE(sizeOf(local(QStringLiteral("dl/empty.txt"))), 0);
    QCOMPARE(QDir(local(QStringLiteral("dl"))).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden).size(), 2);
}

void TestCliPut::foldersRoundTripWithEmptyFoldersAndChineseNames()
{
    QVERIFY(makeTree(local(QStringLiteral("树"))));
    QVERIFY(stampTree(local(QStringLiteral("树"))));
    QVERIFY(QDir().mkpath(home() + QStringLiteral("/backup")));
    CliRun result = run({QStringLiteral("put"), QStringLiteral("-r"), QStringLiteral("树"), QStringLiteral("/backup")});
    QCOMPARE(result.err, QString());
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(treeOf(home() + QStringLiteral("/backup/树")), treeOf(local(QStringLiteral("树"))));
    // Each file keeps its modification time, both ways (the small ones are sent pipelined, the big one is not).
    QCOMPARE(mtimesOf(home() + QStringLiteral("/backup/树")), mtimesOf(local(QStringLiteral("树"))));

    QVERIFY(QDir().mkpath(local(QStringLiteral("back"))));
    result = run({QStringLiteral("get"), QStringLiteral("-r"), QStringLiteral("/backup/树"), QStringLiteral("back")});
    QCOMPARE(result.err, QString());
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(treeOf(local(QStringLiteral("back/树"))), treeOf(local(QStringLiteral("树"))));
    QCOMPARE(mtimesOf(local(QStringLiteral("back/树"))), mtimesOf(local(QStringLiteral("树"))));
}

void TestCliPut::getRecursiveOfHomeFetchesEverything()
{
    QVERIFY(makeTree(home()));
    QVERIFY(QDir().mkpath(local(QStringLiteral("all"))));
    const CliRun result = run({QStringLiteral("get"), QStringLiteral("-r"), QStringLiteral("/"), QStringLiteral("all")});
    QCOMPARE(result.err, QString());
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(treeOf(local(QStringLiteral("all"))), treeOf(home()));
}

void TestCliPut::asNameStoresTheOneSourceUnderThatNameBothWays()
{
    QVERIFY(makeTree(local(QStringLiteral("树"))));
    QVERIFY(writeFile(local(QStringLiteral("one.bin")), randomBytes(70 * 1024, 6)));
    QVERIFY(QDir().mkpath(home() + QStringLiteral("/in")));

    // A folder and a file, each under the given name; nothing appears under the local names.
    CliRun result = run({QStringLiteral("put"), QStringLiteral("-r"), QStringLiteral("--as"), QStringLiteral("副本"),
                         QStringLiteral("树"), QStringLiteral("/in")});
    QCOMPARE(result.err, QString());
    QCOMPARE(result.exitCode, 0);
    result = run({QStringLiteral("put"), QStringLiteral("--as=two.bin"), QStringLiteral("one.bin"), QStringLiteral("/")});
    QCOMPARE(result.err, QString());
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(treeOf(home() + QStringLiteral("/in/副本")), treeOf(local(QStringLiteral("树"))));
    QCOMPARE(readFile(home() + QStringLiteral("/two.bin")), readFile(local(QStringLiteral("one.bin"))));
    QCOMPARE(QDir(home()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             (QStringList{QStringLiteral("in"), QStringLiteral("two.bin")}));
    QCOMPARE(QDir(home() + QStringLiteral("/in")).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList{QStringLiteral("副本")});

    // And back: a folder, a file, and the whole home, each under a new local name.
    QVERIFY(QDir().mkpath(local(QStringLiteral("back"))));
    for (const QStringList &command :
         {QStringList{QStringLiteral("get"), QStringLiteral("-r"), QStringLiteral("--as"), QStringLiteral("树2"),
                      QStringLiteral("/in/副本"), QStringLiteral("back")},
          QStringList{QStringLiteral("get"), QStringLiteral("--as"), QStringLiteral("three.bin"), QStringLiteral("two.bin"),
                      QStringLiteral("back")},
          QStringList{QStringLiteral("get"), QStringLiteral("-r"), QStringLiteral("--as"), QStringLiteral("home"),
                      QStringLiteral("/"), QStringLiteral("back")}}) {
        result = run(command);
        QCOMPARE(result.err, QString());
        QCOMPARE(result.exitCode, 0);
    }
    QCOMPARE(treeOf(local(QStringLiteral("back/树2"))), treeOf(local(QStringLiteral("树"))));
    QCOMPARE(readFile(local(QStringLiteral("back/three.bin"))), readFile(local(QStringLiteral("one.bin"))));
    QCOMPARE(treeOf(local(QStringLiteral("back/home"))), treeOf(home()));
    QCOMPARE(QDir(local(QStringLiteral("back"))).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             (QStringList{QStringLiteral("home"), QStringLiteral("three.bin"), QStringLiteral("树2")}));
}

void TestCliPut::asNameFollowsTheConflictRules()
{
    QVERIFY(writeFile(local(QStringLiteral("new.txt")), "new"));
    QVERIFY(writeFile(home() + QStringLiteral("/kept.txt"), "old"));

    CliRun result = run({QStringLiteral("put"), QStringLiteral("--as"), QStringLiteral("kept.txt"),
                         QStringLiteral("new.txt"), QStringLiteral("/")});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains(QLatin1String("/kept.txt")), qPrintable(result.err));
    QCOMPARE(readFile(home() + QStringLiteral("/kept.txt")), QByteArray("old"));

    result = run({QStringLiteral("put"), QStringLiteral("--overwrite"), QStringLiteral("--as"), QStringLiteral("kept.txt"),
                  QStringLiteral("new.txt"), QStringLiteral("/")});
    QCOMPARE(result.err, QString());
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(readFile(home() + QStringLiteral("/kept.txt")), QByteArray("new"));
    QVERIFY(!QFileInfo::exists(home() + QStringLiteral("/new.txt")));

    // A name the server does not allow fails that item by name, locally: nothing is created.
    result = run({QStringLiteral("put"), QStringLiteral("--as"), QStringLiteral("bad\nname"), QStringLiteral("new.txt"),
                  QStringLiteral("/")});
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.contains(QLatin1String("bad")), qPrintable(result.err));
    QCOMPARE(QDir(home()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList{QStringLiteral("kept.txt")});
}

void TestCliPut::folderWithoutRecursiveIsNamedAndTheOthersStillGo_data()
{
    QTest::addColumn<bool>("upload");
    QTest::newRow("put") << true;
    QTest::newRow("get") << false;
}

void TestCliPut::folderWithoutRecursiveIsNamedAndTheOthersStillGo()
{
    QFETCH(bool, upload);
    const QString source = upload ? local() : home();
    QVERIFY(makeTree(source + QStringLiteral("/tree")));
    QVERIFY(writeFile(source + QStringLiteral("/file.txt"), "file"));
    QVERIFY(QDir().mkpath(local(QStringLiteral("dl"))));
    const CliRun result = upload
            ? run({QStringLiteral("put"), QStringLiteral("tree"), QStringLiteral("file.txt"), QStringLiteral("/")})
            : run({QStringLiteral("get"), QStringLiteral("/tree"), QStringLiteral("file.txt"), QStringLiteral("dl")});
    QCOMPARE(result.exitCode, 1);
    const QString expected = upload ? QStringLiteral("ferry-cli: cannot upload 'tree': it is a folder (use -r to upload folders)\n")
                                    : QStringLiteral("ferry-cli: cannot download '/tree': it is a folder (use -r to download folders)\n");
    QCOMPARE(result.err, expected);
    const QString target = upload ? home() : local(QStringLiteral("dl"));
    QCOMPARE(readFile(target + QStringLiteral("/file.txt")), QByteArray("file"));
    QVERIFY(!QFileInfo::exists(target + QStringLiteral("/tree")));
}

void TestCliPut::missingSourceIsNamedAndTheOthersStillGo_data()
{
    folderWithoutRecursiveIsNamedAndTheOthersStillGo_data();
}

void TestCliPut::missingSourceIsNamedAndTheOthersStillGo()
{
    QFETCH(bool, upload);
    QVERIFY(writeFile((upload ? local() : home()) + QStringLiteral("/file.txt"), "file"));
    QVERIFY(QDir().mkpath(local(QStringLiteral("dl"))));
    const CliRun result = upload
            ? run({QStringLiteral("put"), QStringLiteral("nope.txt"), QStringLiteral("file.txt"), QStringLiteral("/")})
            : run({QStringLiteral("get"), QStringLiteral("nope.txt"), QStringLiteral("file.txt"), QStringLiteral("dl")});
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(result.err, upload ? QStringLiteral("ferry-cli: cannot upload 'nope.txt': no such file or folder\n")
                                : QStringLiteral("ferry-cli: cannot download '/nope.txt': no such file or folder\n"));
    QCOMPARE(readFile((upload ? home() : local(QStringLiteral("dl"))) + QStringLiteral("/file.txt")), QByteArray("file"));
}

void TestCliPut::missingTargetFolderIsNamed_data()
{
    QTest::addColumn<QStringList>("command");
    QTest::addColumn<QString>("error");
    QTest::newRow("put into a missing folder")
            << QStringList{QStringLiteral("put"), QStringLiteral("file.txt"), QStringLiteral("/nope")}
            << "ferry-cli: cannot upload into '/nope': no such file or folder\n";
    QTest::newRow("put into a file")
            << QStringList{QStringLiteral("put"), QStringLiteral("file.txt"), QStringLiteral("/remote.txt")}
            << "ferry-cli: cannot upload into '/remote.txt': not a folder\n";
    QTest::newRow("get into a missing folder")
            << QStringList{QStringLiteral("get"), QStringLiteral("remote.txt"), QStringLiteral("nope")}
            << "ferry-cli: cannot download into 'nope': no such folder\n";
    QTest::newRow("get into a file")
            << QStringList{QStringLiteral("get"), QStringLiteral("remote.txt"), QStringLiteral("file.txt")}
            << "ferry-cli: cannot download into 'file.txt': not a folder\n";
}

void TestCliPut::missingTargetFolderIsNamed()
{
    QFETCH(QStringList, command);
    QVERIFY(writeFile(local(QStringLiteral("file.txt")), "local"));
    QVERIFY(writeFile(home() + QStringLiteral("/remote.txt"), "remote"));
    const CliRun result = run(command);
    QTEST(result.err, "error");
    QCOMPARE(result.exitCode, 1);
    QCOMPARE(readFile(local(QStringLiteral("file.txt"))), QByteArray("local"));
    QCOMPARE(readFile(home() + QStringLiteral("/remote.txt")), QByteArray("remote"));
}

void TestCliPut::existingTargetIsAnErrorNamingIt_data()
{
    folderWithoutRecursiveIsNamedAndTheOthersStillGo_data();
}

void TestCliPut::existingTargetIsAnErrorNamingIt()
{
    QFETCH(bool, upload);
    const QString source = upload ? local() : home();
    const QString target = upload ? home() : local(QStringLiteral("dl"));
    QVERIFY(writeFile(source + QStringLiteral("/same.txt"), "new content"));
    QVERIFY(writeFile(source + QStringLiteral("/other.txt"), "other"));
    QVERIFY(writeFile(target + QStringLiteral("/same.txt"), "old"));
    const CliRun result = upload ? run({QStringLiteral("put"), QStringLiteral("same.txt"), QStringLiteral("other.txt"),
                                        QStringLiteral("/")})
                                 : run({QStringLiteral("get"), QStringLiteral("same.txt"), QStringLiteral("other.txt"),
                                        QStringLiteral("dl")});
    QCOMPARE(result.exitCode, 1);
    const QString named = upload ? QStringLiteral("'/same.txt' already exists")
                                 : QStringLiteral("'%1/same.txt' already exists").arg(target);
    QVERIFY2(result.err.startsWith(QLatin1String("ferry-cli: cannot ")) && result.err.contains(named)
                     && result.err.contains(QLatin1String("--overwrite")) && result.err.count(QLatin1Char('\n')) == 1,
             qPrintable(result.err));
    QCOMPARE(readFile(target + QStringLiteral("/same.txt")), QByteArray("old"));
    QCOMPARE(readFile(target + QStringLiteral("/other.txt")), QByteArray("other"));
}

void TestCliPut::overwriteReplacesTheTarget_data()
{
    folderWithoutRecursiveIsNamedAndTheOthersStillGo_data();
}

void TestCliPut::overwriteReplacesTheTarget()
{
    QFETCH(bool, upload);
    const QString source = upload ? local() : home();
    const QString target = upload ? home() : local(QStringLiteral("dl"));
    QVERIFY(writeFile(source + QStringLiteral("/same.txt"), "new content"));
    QVERIFY(writeFile(target + QStringLiteral("/same.txt"), "old"));
    const CliRun result = upload
            ? run({QStringLiteral("put"), QStringLiteral("--overwrite"), QStringLiteral("same.txt"), QStringLiteral("/")})
            : run({QStringLiteral("get"), QStringLiteral("--overwrite"), QStringLiteral("same.txt"), QStringLiteral("dl")});
    QCOMPARE(result.err, QString());
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(readFile(target + QStringLiteral("/same.txt")), QByteArray("new content"));
}

void TestCliPut::resumeLeavesCompleteTargetsAloneAndReplacesOthers_data()
{
    folderWithoutRecursiveIsNamedAndTheOthersStillGo_data();
}

void TestCliPut::resumeLeavesCompleteTargetsAloneAndReplacesOthers()
{
    QFETCH(bool, upload);
    const QString source = upload ? local() : home();
    const QString target = upload ? home() : local(QStringLiteral("dl"));
    QVERIFY(makeTree(source + QStringLiteral("/tree")));
    QVERIFY(QDir().mkpath(local(QStringLiteral("dl"))));
    const QStringList command = upload ? QStringList{QStringLiteral("put"), QStringLiteral("-r"), QStringLiteral("tree"), QStringLiteral("/")}
                                       : QStringList{QStringLiteral("get"), QStringLiteral("-r"), QStringLiteral("tree"), QStringLiteral("dl")};
    CliRun result = run(command);
    QCOMPARE(result.exitCode, 0);

    // One file is complete, one was changed at the target since: --resume keeps the first, replaces the second.
    const QString complete = target + QStringLiteral("/tree/deep/er/b.bin");
    const QString changed = target + QStringLiteral("/tree/a.txt");
    const quint64 completeInode = inodeOf(complete);
    QVERIFY(writeFile(changed, "a different, longer content"));
    result = run(QStringList{command.first(), QStringLiteral("--resume")} + command.mid(1), QStringLiteral("bar"));
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(inodeOf(complete), completeInode);
    QCOMPARE(readFile(changed), QByteArray("alpha"));
    // On the server the replaced a.txt waits under a hidden .ferry-trash- name until a reclaim thread deletes it
    // after the ok, so the trees become equal shortly after the client ends (under load it was still there).
    QTRY_COMPARE_WITH_TIMEOUT(treeOf(target + QStringLiteral("/tree")), treeOf(source + QStringLiteral("/tree")), 10000);
    QVERIFY2(result.err.contains(QLatin1String("; 3 files already complete")), qPrintable(result.err));
    QVERIFY2(result.err.contains(QLatin1String(" 1 file, 5 B in ")), qPrintable(result.err));
}

void TestCliPut::quotaExceededIsReportedWhileTheOtherFilesStillGo()
{
    QVERIFY(writeFile(local(QStringLiteral("small.txt")), QByteArray(1000, 's')));
    QVERIFY(writeFile(local(QStringLiteral("big.bin")), randomBytes(2 * CarolQuota, 6)));
    QVERIFY(writeFile(local(QStringLiteral("other.txt")), QByteArray(1000, 'o')));
    const CliRun result = run({QStringLiteral("put"), QStringLiteral("small.txt"), QStringLiteral("big.bin"),
                               QStringLiteral("other.txt"), QStringLiteral("/")},
                              QStringLiteral("none"), Carol);
    QCOMPARE(result.exitCode, 1);
    QVERIFY2(result.err.startsWith(QStringLiteral("ferry-cli: cannot upload '%1' to '/big.bin': not enough space "
                                                  "left in your quota (")
                                           .arg(local(QStringLiteral("big.bin")))),
             qPrintable(result.err));
    QCOMPARE(result.err.count(QLatin1Char('\n')), 1);
    QCOMPARE(readFile(home(Carol) + QStringLiteral("/small.txt")), QByteArray(1000, 's'));
    QCOMPARE(readFile(home(Carol) + QStringLiteral("/other.txt")), QByteArray(1000, 'o'));
    QCOMPARE(QDir(home(Carol)).entryList(QDir::Files | QDir::Hidden).size(), 2);   // no big.bin, no part file
}

void TestCliPut::progressBarShowsPercentRateEtaAndSummaryWithinTheWidth()
{
    QVERIFY(writeFile(local(QStringLiteral("big.bin")), randomBytes(BigSize, 8)));
    QVERIFY(writeFile(local(QStringLiteral("a.txt")), "a"));
    QVERIFY(writeFile(local(QStringLiteral("b.txt")), "b"));
    const int columns = 70;
    const CliRun result = run({QStringLiteral("put"), QStringLiteral("a.txt"), QStringLiteral("big.bin"),
                               QStringLiteral("b.txt"), QStringLiteral("/")},
                              QStringLiteral("bar"), Alice, AlicePassword, QString::number(columns));
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.out, QString());

    // Frames are separated by "\r"; the line is erased with spaces before the summary, which ends it all.
    QVERIFY2(result.err.endsWith(QLatin1Char('\n')) && result.err.count(QLatin1Char('\n')) == 1, qPrintable(result.err));
    const QStringList frames = result.err.split(QLatin1Char('\r'), Qt::SkipEmptyParts);
    QVERIFY(frames.size() >= 3);
    const QRegularExpression rate(QStringLiteral("\\d+(\\.\\d)? [KMG]iB/s"));
    const QRegularExpression percent(QStringLiteral("\\b\\d{1,3}% "));
    bool sawRate = false;
    bool sawPercent = false;
    bool sawEta = false;
    for (const QString &frame : frames.mid(0, frames.size() - 1)) {
        QVERIFY2(frame.size() <= columns - 1, qPrintable(frame));
        sawRate = sawRate || rate.match(frame).hasMatch();
        sawPercent = sawPercent || percent.match(frame).hasMatch();
        sawEta = sawEta || frame.contains(QRegularExpression(QStringLiteral("ETA \\d+ s")));
    }
    QVERIFY2(sawPercent && sawRate && sawEta, qPrintable(result.err));
    const QString summary = frames.last().trimmed();
    const QRegularExpression summaryLine(QStringLiteral("^Uploaded 3 files, 200 MiB in \\d+\\.\\d s \\(\\d+(\\.\\d)? [KMG]iB/s\\)$"));
    QVERIFY2(summaryLine.match(summary).hasMatch(), qPrintable(summary));
    QCOMPARE(Sha256::hexOfFile(home() + QStringLiteral("/big.bin")), Sha256::hexOfFile(local(QStringLiteral("big.bin"))));
}

void TestCliPut::noProgressModeOrNoTerminalDrawsNothing_data()
{
    QTest::addColumn<QString>("progress");
    QTest::newRow("none") << "none";
    QTest::newRow("auto, standard error is a pipe") << "auto";
}

void TestCliPut::noProgressModeOrNoTerminalDrawsNothing()
{
    QFETCH(QString, progress);
    QVERIFY(writeFile(local(QStringLiteral("mid.bin")), randomBytes(32 * 1024 * 1024, 9)));
    CliRun result = run({QStringLiteral("put"), QStringLiteral("mid.bin"), QStringLiteral("/")}, progress);
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.err, QString());
    QCOMPARE(result.out, QString());
    QVERIFY(QDir().mkpath(local(QStringLiteral("dl"))));
    result = run({QStringLiteral("get"), QStringLiteral("mid.bin"), QStringLiteral("dl")}, progress);
    QCOMPARE(result.exitCode, 0);
    QCOMPARE(result.err, QString());
    QCOMPARE(result.out, QString());
}

void TestCliPut::interruptedTransferResumesWithoutResendingItsPrefix_data()
{
    QTest::addColumn<bool>("upload");
    QTest::addColumn<int>("signalNumber");
    QTest::newRow("put, SIGKILL") << true << int(SIGKILL);
    QTest::newRow("put, Ctrl-C") << true << int(SIGINT);
    QTest::newRow("get, SIGKILL") << false << int(SIGKILL);
    QTest::newRow("get, Ctrl-C") << false << int(SIGINT);
}

void TestCliPut::interruptedTransferResumesWithoutResendingItsPrefix()
{
    QFETCH(bool, upload);
    QFETCH(int, signalNumber);
    const QString source = upload ? local(QStringLiteral("big.bin")) : home() + QStringLiteral("/big.bin");
    const QString target = upload ? home() + QStringLiteral("/big.bin") : local(QStringLiteral("dl/big.bin"));
    const QString part = QFileInfo(target).path() + QStringLiteral("/.ferry-part-big.bin");
    QVERIFY(writeFile(source, randomBytes(BigSize, 10)));
    QVERIFY(QDir().mkpath(local(QStringLiteral("dl"))));
    const QStringList command = upload ? QStringList{QStringLiteral("put"), QStringLiteral("big.bin"), QStringLiteral("/")}
                                       : QStringList{QStringLiteral("get"), QStringLiteral("big.bin"), QStringLiteral("dl")};

    QProcess cli;
    prepare(cli, cliArguments(command, QStringLiteral("none")));
    cli.start();
    QVERIFY(cli.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(sizeOf(part) > BigSize * 3 / 10, 60000);
    // Frozen first, so that "mid-transfer" is checked, not assumed.
    ::kill(pid_t(cli.processId()), SIGSTOP);
    QVERIFY2(sizeOf(part) < BigSize && !QFileInfo::exists(target), "the transfer was over before the signal");
    ::kill(pid_t(cli.processId()), signalNumber);
    ::kill(pid_t(cli.processId()), SIGCONT);
    QVERIFY(cli.waitForFinished(30000));
    const CliRun interrupted = finished(cli);
    if (signalNumber == SIGKILL) {
        QCOMPARE(cli.exitStatus(), QProcess::CrashExit);
    } else {
        QCOMPARE(interrupted.exitCode, 130);
        QVERIFY2(interrupted.err.startsWith(QLatin1String("ferry-cli: interrupted; 1 file not finished"))
                         && interrupted.err.contains(QLatin1String("--resume")),
                 qPrintable(interrupted.err));
    }
    // The server writes what it still had received, then lets go of the session; an upload's last writes may
    // still be queued on its disk pool after that: once the pool is idle, the part file is final.
    QTRY_COMPARE_WITH_TIMEOUT(m_server->server()->sessionCount(), 0, 15000);
    QVERIFY(m_server->server()->services().diskPool->waitForDone(15000));
    const qint64 kept = sizeOf(part);
    QVERIFY2(kept > BigSize / 4 && kept < BigSize, qPrintable(QString::number(kept)));
    QVERIFY(!QFileInfo::exists(target));

    const CliRun resumed = run(QStringList{command.first(), QStringLiteral("--resume")} + command.mid(1), QStringLiteral("bar"));
    QVERIFY2(resumed.exitCode == 0, qPrintable(resumed.err));
    QCOMPARE(Sha256::hexOfFile(target), Sha256::hexOfFile(source));
    QVERIFY(!QFileInfo::exists(part));
    // The summary counts what went over the wire: only the bytes after the part file's.
    const QString sent = QStringLiteral("%1 1 file, %2 in ")
                                 .arg(upload ? QStringLiteral("Uploaded") : QStringLiteral("Downloaded"),
                                      ferry::formatSize(BigSize - kept));
    QVERIFY2(resumed.err.contains(sent), qPrintable(resumed.err + QLatin1String(" / expected: ") + sent));
    QVERIFY2(resumed.err.contains(QStringLiteral("; %1 resumed").arg(ferry::formatSize(kept))), qPrintable(resumed.err));
}

void TestCliPut::secondGetOfTheSameTargetIsBusyAndTheFirstStaysIntact()
{
    // Issue 8: two gets into one folder interleaved their writes in one unlocked part file (wrong size/hash).
    // Big (sparse on the server's side) so the first is still writing when the second starts.
    constexpr qint64 Size = qint64(512) * 1024 * 1024;
    {
        QFile big(home() + QStringLiteral("/big.bin"));
        QVERIFY(big.open(QIODevice::WriteOnly) && big.resize(Size));
    }
    QVERIFY(QDir().mkpath(local(QStringLiteral("dl"))));
    QProcess first;
    prepare(first, cliArguments({QStringLiteral("get"), QStringLiteral("big.bin"), QStringLiteral("dl")}, QStringLiteral("none")));
    QSignalSpy firstDone(&first, &QProcess::finished);
    first.start();
    first.closeWriteChannel();
    // The first one is writing its part file: the second starts now.
    QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(local(QStringLiteral("dl/.ferry-part-big.bin"))).size() > 0 || firstDone.count() > 0, 60000);
    QVERIFY2(firstDone.isEmpty(), "the first download ended before the second could start; make the file bigger");
    // --overwrite: without it a finished first download would make this one fail with "exists" instead.
    const CliRun second = run({QStringLiteral("get"), QStringLiteral("--overwrite"), QStringLiteral("big.bin"), QStringLiteral("dl")});
    QVERIFY(!firstDone.isEmpty() || firstDone.wait(120000));
    const CliRun result = finished(first);
    QCOMPARE(result.exitCode, 0);
    QVERIFY2(second.exitCode != 0, qPrintable(second.out + second.err));
    QVERIFY2(second.err.contains(QLatin1String("another transfer on this computer is downloading")), qPrintable(second.err));
    QCOMPARE(QFileInfo(local(QStringLiteral("dl/big.bin"))).size(), Size);
    Sha256 got, expected;
    QVERIFY(Sha256::addFile(got, local(QStringLiteral("dl/big.bin")), Size));
    QVERIFY(Sha256::addFile(expected, home() + QStringLiteral("/big.bin"), Size));
    QCOMPARE(got.hexDigest(), expected.hexDigest());
}

void TestCliPut::hostileServerNamesNeverWriteOutsideTheTargetFolder()
{
    auto entry = [](const QString &name, const QString &type) {
        return QJsonObject{{QStringLiteral("name"), name}, {QStringLiteral("type"), type},
                           {QStringLiteral("size"), type == QLatin1String("file") ? 5 : 0}, {QStringLiteral("mtime"), 1700000000000LL}};
    };
    const QJsonArray entries{entry(QStringLiteral("../escape"), QStringLiteral("file")), entry(QStringLiteral("a/b"), QStringLiteral("file")),
                             entry(QStringLiteral(".."), QStringLiteral("dir")), entry(QStringLiteral("."), QStringLiteral("dir")),
                             entry(QStringLiteral("/abs"), QStringLiteral("file")), entry(QStringLiteral("good.txt"), QStringLiteral("file"))};
    ferry::test::HostileServer hostile(Alice, AlicePassword, entries);
    QVERIFY(QDir().mkpath(local(QStringLiteral("dl"))));
    QProcess process;
    prepare(process, cliArguments({QStringLiteral("get"), QStringLiteral("-r"), QStringLiteral("/evil"), QStringLiteral("dl")},
                                  QStringLiteral("none"), hostile.port()));
    QProcessEnvironment environment = process.processEnvironment();
    environment.insert(QStringLiteral("FERRY_TRUST"), hostile.identityCode());   // trusted: it still must not escape
    process.setProcessEnvironment(environment);
    QSignalSpy done(&process, &QProcess::finished);
    process.start();
    process.closeWriteChannel();
    QVERIFY(done.wait(120000));
    // It failed once in a full ctest run (good.txt missing or empty) and never in 120 runs alone: what ferry-cli
    // said goes into the message.
    const QString said = QString::fromUtf8(process.readAllStandardOutput() + process.readAllStandardError());
    QVERIFY2(readFile(local(QStringLiteral("dl/evil/good.txt"))) == QByteArray("hello"),
             qPrintable(QStringLiteral("exit %1, ferry-cli said: %2").arg(process.exitCode()).arg(said)));
    // Nothing named by the hostile entries exists anywhere around the target folder.
    QDirIterator it(m_local->path(), QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
    QStringList found;
    while (it.hasNext())
        found.append(QDir(m_local->path()).relativeFilePath(it.next()));
    found.sort();
    QCOMPARE(found, (QStringList{QStringLiteral("dl"), QStringLiteral("dl/evil"), QStringLiteral("dl/evil/good.txt")}));
    QVERIFY(!QFileInfo::exists(local(QStringLiteral("escape"))));
    QVERIFY(!QFileInfo::exists(QFileInfo(m_local->path()).path() + QStringLiteral("/escape")));
    QCOMPARE(hostile.gets(), QStringList{QStringLiteral("/evil/good.txt")});
}

void TestCliPut::interruptedDownloadWritesWhatItReceivedFirst()
{
    // On a disk slower than the network, the download writer keeps a backlog of received bytes (8 MiB) in memory.
    // Ctrl-C must write it to the part file before ferry-cli exits, or the resume fetches it again. The disk is
    // slowed past the first 16 MiB by an LD_PRELOAD module (tests/support/SlowPartWrites.cpp); once ferry-cli has
    // read well more than its part file holds (the backlog filled), it is frozen, measured, and interrupted.
    constexpr qint64 Size = 64 * 1024 * 1024;
    constexpr qint64 SlowFrom = 16 * 1024 * 1024;
    constexpr qint64 BacklogFilled = 6 * 1024 * 1024;
    // The protocol's own bytes among those read (TLS records, frame headers, the login), and the one frame being
    // received at the signal, which is dropped whole: together well under this.
    constexpr qint64 NotFileBytes = 2 * 1024 * 1024;
    QVERIFY(writeFile(home() + QStringLiteral("/big.bin"), randomBytes(Size, 12)));
    QVERIFY(QDir().mkpath(local(QStringLiteral("dl"))));
    const QString part = local(QStringLiteral("dl/.ferry-part-big.bin"));
    const QStringList command{QStringLiteral("get"), QStringLiteral("big.bin"), QStringLiteral("dl")};

    QProcess cli;
    prepare(cli, cliArguments(command, QStringLiteral("none")));
    QProcessEnvironment environment = cli.processEnvironment();
    environment.insert(QStringLiteral("LD_PRELOAD"), QStringLiteral(FERRY_SLOW_PART_WRITES));
    environment.insert(QStringLiteral("FERRY_TEST_SLOW_FROM"), QString::number(SlowFrom));
    environment.insert(QStringLiteral("FERRY_TEST_SLOW_MS"), QStringLiteral("20"));
    cli.setProcessEnvironment(environment);
    cli.start();
    QVERIFY(cli.waitForStarted());
    const qint64 pid = cli.processId();
    QTRY_VERIFY_WITH_TIMEOUT(sizeOf(part) >= SlowFrom && bytesReadBy(pid) - sizeOf(part) > BacklogFilled,
                             ferry::test::scaledMs(60000));
    ::kill(pid_t(pid), SIGSTOP);
    const qint64 received = bytesReadBy(pid);
    const qint64 written = sizeOf(part);
    QVERIFY2(received - written > BacklogFilled && written < Size,
             qPrintable(QStringLiteral("read %1, written %2").arg(received).arg(written)));
    ::kill(pid_t(pid), SIGINT);
    ::kill(pid_t(pid), SIGCONT);
    QVERIFY(cli.waitForFinished(ferry::test::scaledMs(30000)));
    const CliRun interrupted = finished(cli);
    QCOMPARE(interrupted.exitCode, 130);
    const qint64 kept = sizeOf(part);
    QVERIFY2(kept >= received - NotFileBytes,
             qPrintable(QStringLiteral("read %1 before the signal, %2 written then, %3 kept").arg(received).arg(written).arg(kept)));

    const CliRun resumed = run({QStringLiteral("get"), QStringLiteral("--resume"), QStringLiteral("big.bin"), QStringLiteral("dl")},
                               QStringLiteral("bar"));
    QCOMPARE(resumed.exitCode, 0);
    QCOMPARE(Sha256::hexOfFile(local(QStringLiteral("dl/big.bin"))), Sha256::hexOfFile(home() + QStringLiteral("/big.bin")));
    QVERIFY2(resumed.err.contains(QStringLiteral("; %1 resumed").arg(ferry::formatSize(kept))), qPrintable(resumed.err));
}

void TestCliPut::putResumesAfterFerrydIsKilledAndRestarted()
{
    const QString dataDir = m_server->dataDir();
    m_server->stop();
    FerrydProcess ferryd(dataDir);
    QVERIFY(ferryd.start());
    QVERIFY(writeFile(local(QStringLiteral("big.bin")), randomBytes(BigSize, 11)));
    const QString part = home() + QStringLiteral("/.ferry-part-big.bin");

    QProcess cli;
    // --reconnect=0: the lost connection ends the run at once (reconnecting is tst_clireconnect's).
    prepare(cli, QStringList{QStringLiteral("--reconnect=0")}
                         + cliArguments({QStringLiteral("put"), QStringLiteral("big.bin"), QStringLiteral("/")},
                                        QStringLiteral("none"), ferryd.port()));
    cli.start();
    QVERIFY(cli.waitForStarted());
    QTRY_VERIFY_WITH_TIMEOUT(sizeOf(part) > BigSize * 3 / 10, 60000);
    ::kill(pid_t(cli.processId()), SIGSTOP);
    QVERIFY2(sizeOf(part) < BigSize, "the upload was over before ferryd could be killed");
    ferryd.kill();
    ::kill(pid_t(cli.processId()), SIGCONT);
    QVERIFY(cli.waitForFinished(30000));
    const CliRun cut = finished(cli);
    QCOMPARE(cut.exitCode, 1);
    QVERIFY2(cut.err.startsWith(QLatin1String("ferry-cli: ")) && cut.err.contains(QLatin1String("1 file not finished"))
                     && cut.err.contains(QLatin1String("--resume")),
             qPrintable(cut.err));
    const qint64 kept = sizeOf(part);
    QVERIFY2(kept > 0 && kept < BigSize, qPrintable(QString::number(kept)));

    QVERIFY(ferryd.start());   // the same data folder
    const CliRun resumed = run({QStringLiteral("put"), QStringLiteral("--resume"), QStringLiteral("big.bin"), QStringLiteral("/")},
                               QStringLiteral("bar"), Alice, AlicePassword, {}, ferryd.port());
    QCOMPARE(resumed.exitCode, 0);
    QCOMPARE(Sha256::hexOfFile(home() + QStringLiteral("/big.bin")), Sha256::hexOfFile(local(QStringLiteral("big.bin"))));
    QVERIFY(!QFileInfo::exists(part));
    QVERIFY2(resumed.err.contains(QStringLiteral("; %1 resumed").arg(ferry::formatSize(kept))), qPrintable(resumed.err));
}

QTEST_MAIN(TestCliPut)
#include "tst_cliput.moc"
