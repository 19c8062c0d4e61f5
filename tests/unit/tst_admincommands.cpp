// `ferryd user …` through runAdminCommand: exit codes, output, quotas, homes, and a running server's
// store seeing the changes. Passwords come from FERRY_PASSWORD.

#include "AdminCommands.h"
#include "UsersFile.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QTextStream>

#include <fcntl.h>
#include <unistd.h>

using namespace ferry;

namespace {

const QByteArray Password = "correct horse battery";

struct Outcome {
    int code = -1;
    QString out;
    QString err;
};

// "user add alice" -> {"user", "add", "alice"}
QStringList words(const char *text)
{
    return QString::fromUtf8(text).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

bool passwordMatches(const UserAccount &account, const QString &password)
{
    const ScramCredentials &stored = account.credentials;
    return ScramCredentials::derive(password, stored.salt, stored.iterations).storedKey == stored.storedKey;
}

} // namespace

class TestAdminCommands : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        qputenv("FERRY_PASSWORD", Password);
        m_dir.reset(new QTemporaryDir);
        QVERIFY(m_dir->isValid());
    }

    void addCreatesAccountWithQuotaAndHome()
    {
        const Outcome result = run(words("user add alice --quota 10G"));
        QCOMPARE(result.code, 0);
        QVERIFY(result.err.isEmpty());
        QVERIFY(result.out.contains(QStringLiteral("alice")));
        QVERIFY(result.out.contains(QStringLiteral("10.0 GiB")));
        const std::optional<UserAccount> alice = UsersFile(m_dir->path()).find(QStringLiteral("alice"));
        QVERIFY(alice.has_value());
        QCOMPARE(alice->quotaBytes, std::optional<qint64>(qint64(10) << 30));
        QVERIFY(passwordMatches(*alice, QString::fromUtf8(Password)));
        QVERIFY(!passwordMatches(*alice, QStringLiteral("wrong")));
        QVERIFY(QFileInfo(home(QStringLiteral("alice"))).isDir());
        QVERIFY(result.out.contains(home(QStringLiteral("alice"))));
    }

    void addWithoutQuotaIsUnlimited()
    {
        QCOMPARE(run(words("user add bob")).code, 0);
        QVERIFY(!UsersFile(m_dir->path()).find(QStringLiteral("bob"))->quotaBytes.has_value());
        QCOMPARE(run(words("user add carol --quota=512M")).code, 0);
        QCOMPARE(UsersFile(m_dir->path()).find(QStringLiteral("carol"))->quotaBytes, std::optional<qint64>(qint64(512) << 20));
    }

    void addOfATakenNameFailsAndKeepsTheAccount()
    {
        QCOMPARE(run(words("user add alice --quota 1G")).code, 0);
        const UserAccount before = *UsersFile(m_dir->path()).find(QStringLiteral("alice"));
        qputenv("FERRY_PASSWORD", "another password");
        const Outcome again = run(words("user add alice"));
        QCOMPARE(again.code, 1);
        QVERIFY2(again.err.contains(QStringLiteral("already exists")), qPrintable(again.err));
        const UserAccount after = *UsersFile(m_dir->path()).find(QStringLiteral("alice"));
        QCOMPARE(after.credentials.storedKey, before.credentials.storedKey);
        QCOMPARE(after.quotaBytes, before.quotaBytes);
    }

    void addNameStartingWithDashAfterDoubleDash()
    {
        QCOMPARE(run(words("user add -- -x")).code, 0);
        QVERIFY(UsersFile(m_dir->path()).find(QStringLiteral("-x")).has_value());
    }

    void usageErrorsExitWith2AndChangeNothing_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("nothing") << QStringList();
        QTest::newRow("not user") << words("group add x");
        QTest::newRow("user alone") << words("user");
        QTest::newRow("unknown command") << words("user frobnicate");
        QTest::newRow("add without name") << words("user add");
        QTest::newRow("add with two names") << words("user add a b");
        QTest::newRow("quota option without value") << words("user add alice --quota");
        QTest::newRow("bad quota") << words("user add alice --quota 10X");
        QTest::newRow("negative quota") << words("user add alice --quota=-5G");
        QTest::newRow("unknown option") << words("user add alice --admin");
        QTest::newRow("purge on add") << words("user add alice --purge");
        QTest::newRow("invalid name") << words("user add .hidden");
        QTest::newRow("traversal name") << words("user add ../evil");
        QTest::newRow("quota without size") << words("user quota alice");
        QTest::newRow("quota with bad size") << words("user quota alice lots");
        QTest::newRow("passwd without name") << words("user passwd");
        QTest::newRow("del without name") << words("user del");
        QTest::newRow("list with argument") << words("user list alice");
    }
    void usageErrorsExitWith2AndChangeNothing()
    {
        QFETCH(QStringList, args);
        const Outcome result = run(args);
        QCOMPARE(result.code, 2);
        QVERIFY(!result.err.isEmpty());
        QVERIFY2(result.err.contains(QStringLiteral("Usage:")), qPrintable(result.err));
        QVERIFY(!QFileInfo::exists(m_dir->filePath(QStringLiteral("users.json"))));
        QVERIFY(!QFileInfo::exists(m_dir->filePath(QStringLiteral("homes"))));
    }

    void helpPrintsUsageAndSucceeds()
    {
        const Outcome result = run(words("user --help"));
        QCOMPARE(result.code, 0);
        QVERIFY(result.out.contains(QStringLiteral("user add NAME")));
        QCOMPARE(run(words("user add --help")).code, 0);
    }

    void commandsOnAnUnknownUserExitWith1_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("passwd") << words("user passwd ghost");
        QTest::newRow("quota") << words("user quota ghost 1G");
        QTest::newRow("del") << words("user del ghost");
        QTest::newRow("del purge") << words("user del ghost --purge");
    }
    void commandsOnAnUnknownUserExitWith1()
    {
        QFETCH(QStringList, args);
        QCOMPARE(run(words("user add alice")).code, 0);
        const Outcome result = run(args);
        QCOMPARE(result.code, 1);
        QVERIFY2(result.err.contains(QStringLiteral("no user 'ghost'")), qPrintable(result.err));
        QVERIFY(UsersFile(m_dir->path()).find(QStringLiteral("alice")).has_value());
    }

    void passwdReplacesThePassword()
    {
        QCOMPARE(run(words("user add alice --quota 3G")).code, 0);
        qputenv("FERRY_PASSWORD", "second password");
        const Outcome result = run(words("user passwd alice"));
        QCOMPARE(result.code, 0);
        QVERIFY(result.out.contains(QStringLiteral("alice")));
        const UserAccount alice = *UsersFile(m_dir->path()).find(QStringLiteral("alice"));
        QVERIFY(passwordMatches(alice, QStringLiteral("second password")));
        QVERIFY(!passwordMatches(alice, QString::fromUtf8(Password)));
        QCOMPARE(alice.quotaBytes, std::optional<qint64>(qint64(3) << 30));
    }

    void quotaAcceptsSizesAndUnlimited_data()
    {
        QTest::addColumn<QString>("size");
        QTest::addColumn<qint64>("quota");   // -1: unlimited
        QTest::newRow("G") << QStringLiteral("10G") << qint64(qint64(10) << 30);
        QTest::newRow("MiB") << QStringLiteral("512MiB") << qint64(qint64(512) << 20);
        QTest::newRow("fraction") << QStringLiteral("1.5T") << qint64(qint64(3) << 39);
        QTest::newRow("bytes") << QStringLiteral("123") << qint64(123);
        QTest::newRow("zero") << QStringLiteral("0") << qint64(0);
        QTest::newRow("unlimited") << QStringLiteral("unlimited") << qint64(-1);
        QTest::newRow("UNLIMITED") << QStringLiteral("UNLIMITED") << qint64(-1);
    }
    void quotaAcceptsSizesAndUnlimited()
    {
        QFETCH(QString, size);
        QFETCH(qint64, quota);
        QCOMPARE(run(words("user add alice --quota 1K")).code, 0);
        const UserAccount before = *UsersFile(m_dir->path()).find(QStringLiteral("alice"));
        const Outcome result = run(words("user quota alice") << size);
        QCOMPARE(result.code, 0);
        const UserAccount after = *UsersFile(m_dir->path()).find(QStringLiteral("alice"));
        QCOMPARE(after.quotaBytes, quota < 0 ? std::optional<qint64>() : std::optional<qint64>(quota));
        QCOMPARE(after.credentials.storedKey, before.credentials.storedKey);
    }

    void quotaBelowCurrentUsageWarns()
    {
        QCOMPARE(run(words("user add alice")).code, 0);
        QVERIFY(writeFile(home(QStringLiteral("alice")) + QStringLiteral("/big.bin"), QByteArray(4096, 'x')));
        const Outcome result = run(words("user quota alice 1K"));
        QCOMPARE(result.code, 0);
        QVERIFY2(result.out.contains(QStringLiteral("4.0 KiB")), qPrintable(result.out));
        QVERIFY(!run(words("user quota alice 1M")).out.contains(QStringLiteral("4.0 KiB")));
    }

    void delKeepsTheHomeAndSaysSo()
    {
        QCOMPARE(run(words("user add alice")).code, 0);
        QVERIFY(writeFile(home(QStringLiteral("alice")) + QStringLiteral("/keep.txt"), "data"));
        const Outcome result = run(words("user del alice"));
        QCOMPARE(result.code, 0);
        QVERIFY(!UsersFile(m_dir->path()).find(QStringLiteral("alice")).has_value());
        QVERIFY(QFileInfo::exists(home(QStringLiteral("alice")) + QStringLiteral("/keep.txt")));
        QVERIFY(result.out.contains(home(QStringLiteral("alice"))));
        QVERIFY(result.out.contains(QStringLiteral("--purge")));

        // Adding the name again reuses the kept home and says so.
        const Outcome readded = run(words("user add alice"));
        QCOMPARE(readded.code, 0);
        QVERIFY(readded.out.contains(QStringLiteral("already there")));
    }

    void delPurgeRemovesTheHomeButNotWhatSymlinksPointTo()
    {
        QCOMPARE(run(words("user add alice")).code, 0);
        QCOMPARE(run(words("user add bob")).code, 0);
        const QString aliceHome = home(QStringLiteral("alice"));
        QVERIFY(writeFile(aliceHome + QStringLiteral("/a/b/c.txt"), "data"));
        QVERIFY(writeFile(aliceHome + QStringLiteral("/.ferry-part-x"), "part"));
        const QString outside = m_dir->filePath(QStringLiteral("outside"));
        QVERIFY(writeFile(outside + QStringLiteral("/precious.txt"), "precious"));
        QVERIFY(QFile::link(outside, aliceHome + QStringLiteral("/link")));

        const Outcome result = run(words("user del alice --purge"));
        QCOMPARE(result.code, 0);
        QVERIFY(!QFileInfo::exists(aliceHome));
        QVERIFY(QFileInfo::exists(outside + QStringLiteral("/precious.txt")));
        QVERIFY(QFileInfo(home(QStringLiteral("bob"))).isDir());
        QVERIFY(!UsersFile(m_dir->path()).find(QStringLiteral("alice")).has_value());
    }

    void listShowsNameQuotaAndUsage()
    {
        QCOMPARE(run(words("user add alice --quota 10G")).code, 0);
        QCOMPARE(run(words("user add bob")).code, 0);
        QVERIFY(writeFile(home(QStringLiteral("alice")) + QStringLiteral("/docs/a.txt"), "12345"));
        QVERIFY(writeFile(home(QStringLiteral("alice")) + QStringLiteral("/.ferry-part-big"), QByteArray(1024, 'p')));

        const Outcome result = run(words("user list"));
        QCOMPARE(result.code, 0);
        const QStringList lines = result.out.split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QVERIFY(lines.at(0).contains(QStringLiteral("NAME")));
        QCOMPARE(lines.at(1).simplified(), QStringLiteral("alice 10.0 GiB 1.0 KiB"));   // 1029 bytes, part file included
        QCOMPARE(lines.at(2).simplified(), QStringLiteral("bob unlimited 0 B"));
    }

    void listWithoutUsersSaysSo()
    {
        const Outcome result = run(words("user list"));
        QCOMPARE(result.code, 0);
        QVERIFY(result.out.contains(QStringLiteral("No users")));
    }

    void corruptUsersFileFailsWith1AndIsLeftAlone()
    {
        const QString path = m_dir->filePath(QStringLiteral("users.json"));
        QVERIFY(writeFile(path, "{ not json"));
        for (const QStringList &args : {words("user add alice"), words("user list"),
                                        words("user passwd alice"), words("user quota alice 1G"),
                                        words("user del alice")}) {
            const Outcome result = run(args);
            QCOMPARE(result.code, 1);
            QVERIFY2(result.err.contains(path), qPrintable(result.err));
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), QByteArray("{ not json"));
    }

    void missingPasswordFailsWithoutAddingTheUser()
    {
        const int tty = ::open("/dev/tty", O_RDWR | O_NOCTTY);
        if (tty >= 0) {
            ::close(tty);
            QSKIP("A terminal is attached: the command would ask on it.");
        }
        qunsetenv("FERRY_PASSWORD");
        const Outcome result = run(words("user add alice"));
        QCOMPARE(result.code, 1);
        QVERIFY2(result.err.contains(QStringLiteral("FERRY_PASSWORD")), qPrintable(result.err));
        QVERIFY(!UsersFile(m_dir->path()).find(QStringLiteral("alice")).has_value());
    }

    void runningServersStoreSeesEveryChange()
    {
        UsersFile server(m_dir->path());
        QVERIFY(!server.find(QStringLiteral("alice")).has_value());
        QCOMPARE(run(words("user add alice --quota 1G")).code, 0);
        QVERIFY(passwordMatches(*server.find(QStringLiteral("alice")), QString::fromUtf8(Password)));
        QCOMPARE(run(words("user quota alice 2G")).code, 0);
        QCOMPARE(server.find(QStringLiteral("alice"))->quotaBytes, std::optional<qint64>(qint64(2) << 30));
        qputenv("FERRY_PASSWORD", "changed");
        QCOMPARE(run(words("user passwd alice")).code, 0);
        QVERIFY(passwordMatches(*server.find(QStringLiteral("alice")), QStringLiteral("changed")));
        QCOMPARE(run(words("user del alice")).code, 0);
        QVERIFY(!server.find(QStringLiteral("alice")).has_value());
    }

private:
    Outcome run(const QStringList &args)
    {
        Outcome outcome;
        QTextStream out(&outcome.out);
        QTextStream err(&outcome.err);
        outcome.code = runAdminCommand(m_dir->path(), args, out, err);
        out.flush();
        err.flush();
        return outcome;
    }
    QString home(const QString &user) const { return UsersFile::homePath(m_dir->path(), user); }

    std::unique_ptr<QTemporaryDir> m_dir;
};

QTEST_GUILESS_MAIN(TestAdminCommands)
#include "tst_admincommands.moc"
