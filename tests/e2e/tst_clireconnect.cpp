// ferry-cli put and get of many files while the real ferryd process under them is killed: with the default
// --reconnect the run reconnects by itself and finishes every file (exit 0); with a short --reconnect and no
// server coming back, or a password changed meanwhile, it names what is unfinished and exits 1.
// (--reconnect=0, the lost connection ending the run at once, is in tst_cliput.)

#include "Sha256.h"
#include "TestServer.h"
#include "UsersFile.h"

#include <QDir>
#include <QElapsedTimer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using ferry::Sha256;
using ferry::test::FerrydProcess;
using ferry::test::TestServer;
using ferry::test::randomBytes;
using ferry::test::writeFile;

namespace {

const QString Alice = QStringLiteral("alice");
const QString AlicePassword = QStringLiteral("alice-pw");
const qint64 BigSize = 200 * 1024 * 1024;
const int SmallFiles = 20;

qint64 sizeOf(const QString &path)
{
    const QFileInfo info(path);
    return info.exists() ? info.size() : -1;
}

// The files of a transfer: small ones around one big one, so that the run is long and has many items.
QStringList fileNames()
{
    QStringList names;
    for (int i = 0; i < SmallFiles; ++i)
        names.append(QStringLiteral("small-%1.bin").arg(i, 2, 10, QLatin1Char('0')));
    names.append(QStringLiteral("big.bin"));
    return names;
}

} // namespace

class TestCliReconnect : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_temp;
    std::unique_ptr<FerrydProcess> m_ferryd;
    quint16 m_port = 0;

    QString dataDir() const { return m_temp->filePath(QStringLiteral("server")); }
    QString home() const { return ferry::UsersFile::homePath(dataDir(), Alice); }
    QString local() const { return m_temp->filePath(QStringLiteral("local")); }

    // Writes the files where the transfer starts: in `folder`.
    static bool writeFiles(const QString &folder)
    {
        const QStringList names = fileNames();
        for (int i = 0; i < names.size(); ++i) {
            const qint64 size = names.at(i) == QLatin1String("big.bin") ? BigSize : 64 * 1024 + i;
            if (!writeFile(folder + u'/' + names.at(i), randomBytes(size, quint32(40 + i))))
                return false;
        }
        return true;
    }

    // `ferry-cli [options] ferry://alice@127.0.0.1:PORT put|get …` of every file, started.
    void startCli(QProcess &cli, bool upload, const QStringList &options = {})
    {
        QProcessEnvironment environment = ferry::test::cliEnvironment(TestServer(dataDir()).identity().code());
        environment.insert(QStringLiteral("XDG_CONFIG_HOME"), m_temp->filePath(QStringLiteral("config")));
        environment.insert(QStringLiteral("FERRY_PASSWORD"), AlicePassword);
        cli.setProcessEnvironment(environment);
        cli.setWorkingDirectory(local());
        QStringList arguments = options
                + QStringList{QStringLiteral("--progress=none"), QStringLiteral("ferry://alice@127.0.0.1:%1").arg(m_port)};
        if (upload) {
            arguments += QStringList{QStringLiteral("put")} + fileNames() + QStringList{QStringLiteral("/")};
        } else {
            arguments.append(QStringLiteral("get"));
            for (const QString &name : fileNames())
                arguments.append(u'/' + name);
            arguments.append(QStringLiteral("."));
        }
        cli.start(QStringLiteral(FERRY_CLI_BINARY), arguments);
        QVERIFY(cli.waitForStarted());
    }

    // Waits until the big file is partly moved, then kills ferryd while ferry-cli is stopped (so the upload
    // cannot finish meanwhile). ferry-cli goes on only at resume().
    void cutInTheMiddle(QProcess &cli, bool upload)
    {
        const QString part = (upload ? home() : local()) + QStringLiteral("/.ferry-part-big.bin");
        QTRY_VERIFY_WITH_TIMEOUT(sizeOf(part) > BigSize * 3 / 10, 60000);
        ::kill(pid_t(cli.processId()), SIGSTOP);
        QVERIFY2(sizeOf(part) < BigSize, "the transfer was over before ferryd could be killed");
        m_ferryd->kill();
    }
    static void resume(QProcess &cli) { ::kill(pid_t(cli.processId()), SIGCONT); }

    void compareAll(bool upload)
    {
        const QString from = upload ? local() : home();
        const QString to = upload ? home() : local();
        for (const QString &name : fileNames())
            QCOMPARE(Sha256::hexOfFile(to + u'/' + name), Sha256::hexOfFile(from + u'/' + name));
        QVERIFY(!QFileInfo::exists(to + QStringLiteral("/.ferry-part-big.bin")));
    }

private slots:
    void init()
    {
        m_temp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_temp->isValid());
        QVERIFY(QDir().mkpath(local()));
        TestServer accounts(dataDir());   // the users file; the server is the process
        QVERIFY(accounts.addUser(Alice, AlicePassword));
        m_ferryd = std::make_unique<FerrydProcess>(dataDir());
        QVERIFY(m_ferryd->start());
        m_port = m_ferryd->port();
    }

    void cleanup()
    {
        m_ferryd.reset();
        m_temp.reset();
    }

    void transferOfManyFilesContinuesAfterTheServerComesBack_data()
    {
        QTest::addColumn<bool>("upload");
        QTest::newRow("put") << true;
        QTest::newRow("get") << false;
    }
    void transferOfManyFilesContinuesAfterTheServerComesBack()
    {
        QFETCH(bool, upload);
        QVERIFY(writeFiles(upload ? local() : home()));
        QProcess cli;
        startCli(cli, upload);
        cutInTheMiddle(cli, upload);
        QVERIFY(m_ferryd->start({}, m_port));   // back on the same port, before ferry-cli notices
        resume(cli);
        QVERIFY(cli.waitForFinished(120000));
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        QCOMPARE(cli.exitStatus(), QProcess::NormalExit);
        QVERIFY2(cli.exitCode() == 0, qPrintable(err));
        QVERIFY2(err.contains(QLatin1String("reconnecting in 1 s")), qPrintable(err));
        QVERIFY2(err.contains(QLatin1String("reconnected; the transfer continues")), qPrintable(err));
        compareAll(upload);
    }

    void serverThatStaysAwayEndsTheRunAfterReconnectSeconds()
    {
        QVERIFY(writeFiles(local()));
        QProcess cli;
        startCli(cli, true, {QStringLiteral("--reconnect=3")});
        cutInTheMiddle(cli, true);
        QElapsedTimer sinceResume;
        sinceResume.start();
        resume(cli);
        QVERIFY(cli.waitForFinished(60000));
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        QCOMPARE(cli.exitCode(), 1);
        QVERIFY2(sinceResume.elapsed() >= 3000, qPrintable(QString::number(sinceResume.elapsed())));
        // Waits of 1 s and 2 s, then nothing left of the 3 s: the run ends naming what is unfinished.
        QVERIFY2(err.contains(QLatin1String("reconnecting in 1 s")) && err.contains(QLatin1String("reconnecting in 2 s")),
                 qPrintable(err));
        QVERIFY2(err.contains(QLatin1String("(no reconnect within 3 s); ")) && err.contains(QLatin1String("not finished"))
                         && err.contains(QLatin1String("--resume")),
                 qPrintable(err));
        QVERIFY(!err.contains(QLatin1String("reconnected")));
        QVERIFY(sizeOf(home() + QStringLiteral("/.ferry-part-big.bin")) > 0);   // kept for --resume
    }

    void refusedLoginOnReconnectEndsTheRun()
    {
        QVERIFY(writeFiles(local()));
        QProcess cli;
        startCli(cli, true);
        cutInTheMiddle(cli, true);
        // Meanwhile the admin changed the password: no point in trying it again and again.
        QCOMPARE(ferry::test::runFerrydAdmin(dataDir(), {QStringLiteral("user"), QStringLiteral("passwd"), Alice},
                                             QStringLiteral("another password")),
                 0);
        QVERIFY(m_ferryd->start({}, m_port));
        QElapsedTimer sinceResume;
        sinceResume.start();
        resume(cli);
        QVERIFY(cli.waitForFinished(60000));
        const QString err = QString::fromUtf8(cli.readAllStandardError());
        QCOMPARE(cli.exitCode(), 1);
        QVERIFY2(err.contains(QLatin1String("cannot log in again as 'alice'")) && err.contains(QLatin1String("not finished")),
                 qPrintable(err));
        QVERIFY2(sinceResume.elapsed() < 30000, "the refused login was retried");
    }
};

QTEST_MAIN(TestCliReconnect)
#include "tst_clireconnect.moc"
