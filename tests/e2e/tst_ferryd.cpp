// The real ferryd binary as an administrator uses it: user subcommands with the server stopped and running,
// --demo, and the process being killed and restarted.

#include "RawClient.h"
#include "TestServer.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

#include <sys/resource.h>
#include <unistd.h>

using namespace ferry;
using namespace ferry::test;

namespace {
qint64 quotaLimit(RawClient &client)
{
    const Frame reply = client.request(QJsonObject{{QStringLiteral("op"), QStringLiteral("quota")}});
    return reply.header.value(QStringLiteral("limit")).isNull() ? -1 : reply.header.value(QStringLiteral("limit")).toInteger();
}
} // namespace

class TestFerryd : public QObject {
    Q_OBJECT
private slots:
    void adminCommandsWorkWithTheServerStoppedAndRunning()
    {
        QTemporaryDir data;
        QString output;
        QCOMPARE(runFerrydAdmin(data.path(), {QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("carol"),
                                              QStringLiteral("--quota"), QStringLiteral("10M")}, QStringLiteral("s3cret"), &output), 0);
        QCOMPARE(runFerrydAdmin(data.path(), {QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("carol")},
                                QStringLiteral("x"), &output), 1);
        QVERIFY2(output.contains(QStringLiteral("carol")), qPrintable(output));
        QCOMPARE(runFerrydAdmin(data.path(), {QStringLiteral("user"), QStringLiteral("add")}, QStringLiteral("x")), 2);
        QCOMPARE(runFerrydAdmin(data.path(), {QStringLiteral("user"), QStringLiteral("quota"), QStringLiteral("carol"),
                                              QStringLiteral("lots")}), 2);
        QVERIFY(!readFile(data.path() + QStringLiteral("/users.json")).contains("s3cret"));

        FerrydProcess server(data.path());
        QVERIFY(server.start());
        RawClient client;
        QVERIFY(client.login(server.port(), QStringLiteral("carol"), QStringLiteral("s3cret")));
        QCOMPARE(quotaLimit(client), 10 * 1024 * 1024);

        // Changes made while the server runs are seen by it at once.
        QCOMPARE(runFerrydAdmin(data.path(), {QStringLiteral("user"), QStringLiteral("quota"), QStringLiteral("carol"),
                                              QStringLiteral("unlimited")}), 0);
        QCOMPARE(quotaLimit(client), -1);
        QCOMPARE(runFerrydAdmin(data.path(), {QStringLiteral("user"), QStringLiteral("passwd"), QStringLiteral("carol")},
                                QStringLiteral("n3w")), 0);
        RawClient oldPassword;
        QVERIFY(!oldPassword.login(server.port(), QStringLiteral("carol"), QStringLiteral("s3cret")));
        RawClient newPassword;
        QVERIFY(newPassword.login(server.port(), QStringLiteral("carol"), QStringLiteral("n3w")));

        QVERIFY(writeFile(data.path() + QStringLiteral("/homes/carol/a.bin"), QByteArray(3000, 'a')));
        QCOMPARE(runFerrydAdmin(data.path(), {QStringLiteral("user"), QStringLiteral("list")}, {}, &output), 0);
        QVERIFY2(output.contains(QStringLiteral("carol")), qPrintable(output));

        QCOMPARE(runFerrydAdmin(data.path(), {QStringLiteral("user"), QStringLiteral("del"), QStringLiteral("carol"),
                                              QStringLiteral("--purge")}), 0);
        QVERIFY(!QDir(data.path() + QStringLiteral("/homes/carol")).exists());
        RawClient deleted;
        QVERIFY(!deleted.login(server.port(), QStringLiteral("carol"), QStringLiteral("n3w")));
    }

    void demoCreatesAnAccountOnceAndServes()
    {
        QTemporaryDir data;
        for (int run = 0; run < 2; ++run) {
            FerrydProcess server(data.path());
            QVERIFY(server.start({QStringLiteral("--demo")}));
            QVERIFY2(server.waitForOutput(QStringLiteral("Password: demo")), qPrintable(server.output()));
            QVERIFY(server.output().contains(QStringLiteral("ferry://demo@127.0.0.1:%1").arg(server.port())));
            RawClient client;
            QVERIFY(client.login(server.port(), QStringLiteral("demo"), QStringLiteral("demo")));
            const Frame stat = client.request(QJsonObject{{QStringLiteral("op"), QStringLiteral("stat")},
                                                          {QStringLiteral("path"), QStringLiteral("/README.txt")}});
            QCOMPARE(stat.op(), QStringLiteral("ok"));
            QVERIFY(quotaLimit(client) > 0);
        }
    }

    // Uploads in flight hold part files open: a server started with the usual soft limit of open files raises
    // it to the hard limit.
    void serverRaisesItsOpenFileLimit()
    {
        struct rlimit own {};
        QCOMPARE(::getrlimit(RLIMIT_NOFILE, &own), 0);
        if (own.rlim_max <= 512)
            QSKIP("the hard limit of open files is too low here to tell");
        const struct rlimit lowered {512, own.rlim_max};
        QCOMPARE(::setrlimit(RLIMIT_NOFILE, &lowered), 0);   // inherited by the server started now
        QTemporaryDir data;
        FerrydProcess server(data.path());
        const bool started = server.start();
        ::setrlimit(RLIMIT_NOFILE, &own);
        QVERIFY(started);
        QFile limits(QStringLiteral("/proc/%1/limits").arg(server.process().processId()));
        QVERIFY(limits.open(QIODevice::ReadOnly));
        QString openFiles;
        for (const QByteArray &line : limits.readAll().split('\n')) {
            if (line.startsWith("Max open files"))
                openFiles = QString::fromLatin1(line).simplified();
        }
        const QString hard = own.rlim_max == RLIM_INFINITY ? QStringLiteral("unlimited") : QString::number(own.rlim_max);
        QCOMPARE(openFiles, QStringLiteral("Max open files %1 %1 files").arg(hard));
    }

    void killedServerRestartsWithItsUsersAndFiles()
    {
        QTemporaryDir data;
        QCOMPARE(runFerrydAdmin(data.path(), {QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("dan")},
                                QStringLiteral("pw")), 0);
        QVERIFY(writeFile(data.path() + QStringLiteral("/homes/dan/keep.txt"), "kept"));
        FerrydProcess server(data.path());
        QVERIFY(server.start());
        server.kill();
        QVERIFY(server.start());
        RawClient client;
        QVERIFY(client.login(server.port(), QStringLiteral("dan"), QStringLiteral("pw")));
        QCOMPARE(client.request(QJsonObject{{QStringLiteral("op"), QStringLiteral("quota")}})
                     .header.value(QStringLiteral("used")).toInteger(), 4);
    }

    // An admin (root) running `ferryd user …` on the service's data folder, owned by the service user,
    // would leave a users file the service cannot read: refused, naming the user to run it as.
    void rootIsToldToRunAdminCommandsAsTheDataOwner()
    {
        if (::geteuid() != 0)
            QSKIP("needs root to give a folder to another user");
        QTemporaryDir data;
        QVERIFY(::chown(QFile::encodeName(data.path()).constData(), 65534, 65534) == 0);
        QString output;
        QCOMPARE(runFerrydAdmin(data.path(), {QStringLiteral("user"), QStringLiteral("add"), QStringLiteral("eve")},
                                QStringLiteral("pw"), &output), 1);
        QVERIFY2(output.contains(QStringLiteral("sudo -u ")), qPrintable(output));
        QVERIFY(!QFile::exists(data.filePath(QStringLiteral("users.json"))));
    }

    // --config: the file's settings apply and its errors name the file and line (exit status 2).
    void configFileErrorsNameFileAndLine()
    {
        QTemporaryDir dir;
        QFile config(dir.filePath(QStringLiteral("ferryd.conf")));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write("port = 7420\nlisten = 127.0.0.1\nmax-sesions = 3\n");
        config.close();
        QProcess ferryd;
        ferryd.setProcessChannelMode(QProcess::MergedChannels);
        ferryd.start(QStringLiteral(FERRYD_BINARY), {QStringLiteral("--config"), config.fileName()});
        QVERIFY(ferryd.waitForFinished(10000));
        QCOMPARE(ferryd.exitCode(), 2);
        const QString output = QString::fromUtf8(ferryd.readAll());
        QVERIFY2(output.contains(config.fileName() + QStringLiteral(":3: unknown setting 'max-sesions'")), qPrintable(output));
    }
};

QTEST_GUILESS_MAIN(TestFerryd)
#include "tst_ferryd.moc"
