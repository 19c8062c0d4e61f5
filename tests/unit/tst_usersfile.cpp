// The users file: CRUD, persistence, atomic owner-only writes, corrupt files left untouched, changes made
// by another instance (another process) seen, hostile names refused.

#include "Protocol.h"
#include "UsersFile.h"

#include <QDir>
#include <QFile>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

using namespace ferry;

namespace {

// Credentials per password, made once: PBKDF2 is slow on purpose and these tests do not need fresh salts.
ScramCredentials credentialsFor(const QString &password)
{
    static QHash<QString, ScramCredentials> made;
    static QMutex mutex;
    QMutexLocker locker(&mutex);
    if (!made.contains(password))
        made.insert(password, ScramCredentials::create(password));
    return made.value(password);
}

UserAccount makeAccount(const QString &name, std::optional<qint64> quota = std::nullopt,
                        const QString &password = QStringLiteral("secret password"))
{
    return UserAccount{name, credentialsFor(password), quota};
}

QByteArray readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly | QIODevice::Truncate) && file.write(bytes) == bytes.size();
}

bool isOwnerOnly(const QString &path)
{
    const QFile::Permissions others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup | QFile::ReadOther
        | QFile::WriteOther | QFile::ExeOther;
    const QFile::Permissions permissions = QFile::permissions(path);
    return (permissions & others) == 0 && (permissions & QFile::ReadOwner) && (permissions & QFile::WriteOwner);
}

// A valid entry as the file holds it, for building corrupt variants.
QJsonObject validEntry(const QString &name)
{
    const ScramCredentials credentials = credentialsFor(QStringLiteral("pw"));
    return QJsonObject{{QStringLiteral("name"), name},
                       {QStringLiteral("salt"), QString::fromLatin1(credentials.salt.toBase64())},
                       {QStringLiteral("iterations"), credentials.iterations},
                       {QStringLiteral("stored_key"), QString::fromLatin1(credentials.storedKey.toBase64())},
                       {QStringLiteral("server_key"), QString::fromLatin1(credentials.serverKey.toBase64())},
                       {QStringLiteral("quota"), QJsonValue::Null}};
}

QByteArray fileWith(const QJsonArray &users, int version = 1)
{
    return QJsonDocument(QJsonObject{{QStringLiteral("version"), version}, {QStringLiteral("users"), users}}).toJson();
}

QByteArray fileWithEntryChange(const QString &key, const QJsonValue &value)
{
    QJsonObject entry = validEntry(QStringLiteral("alice"));
    if (value.isUndefined())
        entry.remove(key);
    else
        entry.insert(key, value);
    return fileWith(QJsonArray{entry});
}

} // namespace

class TestUsersFile : public QObject {
    Q_OBJECT

private slots:
    void init()
    {
        m_dir.reset(new QTemporaryDir);
        QVERIFY(m_dir->isValid());
    }

    void addedUserIsFoundWithCredentialsAndQuota()
    {
        UsersFile users(m_dir->path());
        const UserAccount alice = makeAccount(QStringLiteral("alice"), 10 * 1024);
        QVERIFY(users.add(alice).ok());
        const std::optional<UserAccount> found = users.find(QStringLiteral("alice"));
        QVERIFY(found.has_value());
        QCOMPARE(found->name, alice.name);
        QCOMPARE(found->credentials.salt, alice.credentials.salt);
        QCOMPARE(found->credentials.iterations, alice.credentials.iterations);
        QCOMPARE(found->credentials.storedKey, alice.credentials.storedKey);
        QCOMPARE(found->credentials.serverKey, alice.credentials.serverKey);
        QCOMPARE(found->quotaBytes, std::optional<qint64>(10 * 1024));
        QVERIFY(!users.find(QStringLiteral("bob")).has_value());
        QVERIFY(!users.find(QStringLiteral("Alice")).has_value());
    }

    void emptyDataDirHasNoUsersAndNoFiles()
    {
        UsersFile users(m_dir->filePath(QStringLiteral("not-yet")));
        QVERIFY(!users.find(QStringLiteral("alice")).has_value());
        QVERIFY(users.list().ok());
        QVERIFY(users.list()->isEmpty());
        QVERIFY(!QFileInfo::exists(m_dir->filePath(QStringLiteral("not-yet"))));
    }

    void addingATakenNameIsExistsAndKeepsTheFirst()
    {
        UsersFile users(m_dir->path());
        const UserAccount first = makeAccount(QStringLiteral("alice"));
        QVERIFY(users.add(first).ok());
        const Status again = users.add(makeAccount(QStringLiteral("alice"), 5, QStringLiteral("other")));
        QVERIFY(!again.ok());
        QCOMPARE(again.error().code, QString(ErrorCode::Exists));
        QCOMPARE(users.find(QStringLiteral("alice"))->credentials.storedKey, first.credentials.storedKey);
        QVERIFY(!users.find(QStringLiteral("alice"))->quotaBytes.has_value());
    }

    void updateReplacesCredentialsAndQuota()
    {
        UsersFile users(m_dir->path());
        QVERIFY(users.add(makeAccount(QStringLiteral("alice"), 100)).ok());
        const UserAccount changed = makeAccount(QStringLiteral("alice"), std::nullopt, QStringLiteral("new"));
        QVERIFY(users.update(changed).ok());
        const std::optional<UserAccount> found = users.find(QStringLiteral("alice"));
        QCOMPARE(found->credentials.storedKey, changed.credentials.storedKey);
        QVERIFY(!found->quotaBytes.has_value());

        const Status unknown = users.update(makeAccount(QStringLiteral("bob")));
        QCOMPARE(unknown.error().code, QString(ErrorCode::NotFound));
        QVERIFY(!users.find(QStringLiteral("bob")).has_value());
    }

    void removeDeletesOnlyThatUser()
    {
        UsersFile users(m_dir->path());
        QVERIFY(users.add(makeAccount(QStringLiteral("alice"))).ok());
        QVERIFY(users.add(makeAccount(QStringLiteral("bob"))).ok());
        QVERIFY(users.remove(QStringLiteral("alice")).ok());
        QVERIFY(!users.find(QStringLiteral("alice")).has_value());
        QVERIFY(users.find(QStringLiteral("bob")).has_value());
        QCOMPARE(users.remove(QStringLiteral("alice")).error().code, QString(ErrorCode::NotFound));
    }

    void listIsSortedByName()
    {
        UsersFile users(m_dir->path());
        for (const char *name : {"carol", "alice", "bob"})
            QVERIFY(users.add(makeAccount(QString::fromLatin1(name))).ok());
        const Result<QList<UserAccount>> all = users.list();
        QVERIFY(all.ok());
        QStringList names;
        for (const UserAccount &account : *all)
            names << account.name;
        QCOMPARE(names, QStringList({QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("carol")}));
    }

    void usersPersistAcrossInstances()
    {
        const UserAccount alice = makeAccount(QStringLiteral("alice"), qint64(5) << 40);
        const UserAccount bob = makeAccount(QStringLiteral("bob"));
        {
            UsersFile users(m_dir->path());
            QVERIFY(users.add(alice).ok());
            QVERIFY(users.add(bob).ok());
        }
        UsersFile reopened(m_dir->path());
        const std::optional<UserAccount> foundAlice = reopened.find(QStringLiteral("alice"));
        QVERIFY(foundAlice.has_value());
        QCOMPARE(foundAlice->credentials.storedKey, alice.credentials.storedKey);
        QCOMPARE(foundAlice->credentials.serverKey, alice.credentials.serverKey);
        QCOMPARE(foundAlice->credentials.salt, alice.credentials.salt);
        QCOMPARE(foundAlice->quotaBytes, std::optional<qint64>(qint64(5) << 40));
        QVERIFY(!reopened.find(QStringLiteral("bob"))->quotaBytes.has_value());
    }

    void fileIsTheDocumentedJsonWithoutPasswordAndOwnerOnly()
    {
        UsersFile users(m_dir->path());
        const UserAccount alice = makeAccount(QStringLiteral("alice"), 42, QStringLiteral("hunter2-password"));
        QVERIFY(users.add(alice).ok());
        const QString path = m_dir->filePath(QStringLiteral("users.json"));
        QCOMPARE(users.filePath(), path);
        const QByteArray bytes = readAll(path);
        QVERIFY(!bytes.contains("hunter2-password"));
        QVERIFY(isOwnerOnly(path));

        const QJsonObject root = QJsonDocument::fromJson(bytes).object();
        QCOMPARE(root.value(QStringLiteral("version")).toInt(), 1);
        const QJsonObject entry = root.value(QStringLiteral("users")).toArray().at(0).toObject();
        QCOMPARE(entry.value(QStringLiteral("name")).toString(), QStringLiteral("alice"));
        QCOMPARE(QByteArray::fromBase64(entry.value(QStringLiteral("salt")).toString().toLatin1()), alice.credentials.salt);
        QCOMPARE(entry.value(QStringLiteral("iterations")).toInt(), alice.credentials.iterations);
        QCOMPARE(QByteArray::fromBase64(entry.value(QStringLiteral("stored_key")).toString().toLatin1()),
                 alice.credentials.storedKey);
        QCOMPARE(QByteArray::fromBase64(entry.value(QStringLiteral("server_key")).toString().toLatin1()),
                 alice.credentials.serverKey);
        QCOMPARE(entry.value(QStringLiteral("quota")).toInteger(), qint64(42));

        QVERIFY(users.update(makeAccount(QStringLiteral("alice"))).ok());
        const QJsonObject updated = QJsonDocument::fromJson(readAll(path)).object();
        QVERIFY(updated.value(QStringLiteral("users")).toArray().at(0).toObject().value(QStringLiteral("quota")).isNull());
        QVERIFY(isOwnerOnly(path));
    }

    void writesLeaveNoTemporaryOrLockFiles()
    {
        UsersFile users(m_dir->path());
        QVERIFY(users.add(makeAccount(QStringLiteral("alice"))).ok());
        QVERIFY(users.add(makeAccount(QStringLiteral("bob"))).ok());
        QVERIFY(users.update(makeAccount(QStringLiteral("alice"), 7)).ok());
        QVERIFY(users.remove(QStringLiteral("bob")).ok());
        QVERIFY(!users.add(makeAccount(QStringLiteral("alice"))).ok());
        const QStringList entries = QDir(m_dir->path()).entryList(QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot);
        QCOMPARE(entries, QStringList({QStringLiteral("users.json")}));
    }

    void corruptFileGivesClearErrorAndIsNeverOverwritten_data()
    {
        QTest::addColumn<QByteArray>("contents");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not json") << QByteArray("{\"version\":1,\"users\":[") << QStringLiteral("not valid JSON");
        QTest::newRow("binary junk") << QByteArray("\x00\xff\xfe junk", 9) << QStringLiteral("not valid JSON");
        QTest::newRow("empty file") << QByteArray() << QStringLiteral("not valid JSON");
        QTest::newRow("array at top") << QByteArray("[]") << QStringLiteral("not a JSON object");
        QTest::newRow("unknown version") << fileWith({}, 2) << QStringLiteral("\"version\"");
        QTest::newRow("no version") << QByteArray("{\"users\":[]}") << QStringLiteral("\"version\"");
        QTest::newRow("users not array") << QByteArray("{\"version\":1,\"users\":{}}") << QStringLiteral("\"users\"");
        QTest::newRow("entry not object") << fileWith(QJsonArray{42}) << QStringLiteral("users[0]");
        QTest::newRow("no name") << fileWithEntryChange(QStringLiteral("name"), QJsonValue::Undefined) << QStringLiteral("name");
        QTest::newRow("invalid name") << fileWithEntryChange(QStringLiteral("name"), QStringLiteral("../etc")) << QStringLiteral("users[0]");
        QTest::newRow("salt not base64") << fileWithEntryChange(QStringLiteral("salt"), QStringLiteral("!!!")) << QStringLiteral("base64");
        QTest::newRow("short key") << fileWithEntryChange(QStringLiteral("stored_key"), QStringLiteral("AAAA")) << QStringLiteral("32 bytes");
        QTest::newRow("missing key") << fileWithEntryChange(QStringLiteral("server_key"), QJsonValue::Undefined) << QStringLiteral("server_key");
        QTest::newRow("few iterations") << fileWithEntryChange(QStringLiteral("iterations"), 1000) << QStringLiteral("iteration");
        QTest::newRow("iterations text") << fileWithEntryChange(QStringLiteral("iterations"), QStringLiteral("4096")) << QStringLiteral("iteration");
        QTest::newRow("negative quota") << fileWithEntryChange(QStringLiteral("quota"), -1) << QStringLiteral("quota");
        QTest::newRow("fractional quota") << fileWithEntryChange(QStringLiteral("quota"), 1.5) << QStringLiteral("quota");
        QTest::newRow("quota text") << fileWithEntryChange(QStringLiteral("quota"), QStringLiteral("10G")) << QStringLiteral("quota");
        QTest::newRow("duplicate name") << fileWith(QJsonArray{validEntry(QStringLiteral("bob")), validEntry(QStringLiteral("bob"))})
                                        << QStringLiteral("twice");
    }
    void corruptFileGivesClearErrorAndIsNeverOverwritten()
    {
        QFETCH(QByteArray, contents);
        QFETCH(QString, reason);
        const QString path = m_dir->filePath(QStringLiteral("users.json"));
        QVERIFY(writeAll(path, contents));
        UsersFile users(m_dir->path());
        // Logged once for the server's log, not at every look-up.
        QTest::ignoreMessage(QtWarningMsg, QRegularExpression(QStringLiteral("users.json is corrupt")));

        const Result<QList<UserAccount>> all = users.list();
        QVERIFY(!all.ok());
        QCOMPARE(all.error().code, QString(ErrorCode::IoError));
        QVERIFY2(all.error().message.contains(path), qPrintable(all.error().message));
        QVERIFY2(all.error().message.contains(reason), qPrintable(all.error().message));
        QVERIFY(!users.find(QStringLiteral("bob")).has_value());

        const Status added = users.add(makeAccount(QStringLiteral("carol")));
        QVERIFY(!added.ok());
        QCOMPARE(added.error().code, QString(ErrorCode::IoError));
        QVERIFY(!users.update(makeAccount(QStringLiteral("bob"))).ok());
        QVERIFY(!users.remove(QStringLiteral("bob")).ok());
        QCOMPARE(readAll(path), contents);

        // Once someone repairs the file, the same instance works again.
        QVERIFY(writeAll(path, fileWith(QJsonArray{validEntry(QStringLiteral("dave"))})));
        QTRY_VERIFY(users.find(QStringLiteral("dave")).has_value());
        QVERIFY(users.add(makeAccount(QStringLiteral("carol"))).ok());
    }

    void changesByAnotherInstanceAreSeen()
    {
        UsersFile server(m_dir->path());   // e.g. the running ferryd
        UsersFile admin(m_dir->path());    // e.g. `ferryd user …` in another process
        QVERIFY(!server.find(QStringLiteral("alice")).has_value());

        QVERIFY(admin.add(makeAccount(QStringLiteral("alice"), 1)).ok());
        QCOMPARE(server.find(QStringLiteral("alice"))->quotaBytes, std::optional<qint64>(1));

        const UserAccount changed = makeAccount(QStringLiteral("alice"), 2, QStringLiteral("other"));
        QVERIFY(admin.update(changed).ok());
        QCOMPARE(server.find(QStringLiteral("alice"))->quotaBytes, std::optional<qint64>(2));
        QCOMPARE(server.find(QStringLiteral("alice"))->credentials.storedKey, changed.credentials.storedKey);

        QVERIFY(admin.remove(QStringLiteral("alice")).ok());
        QVERIFY(!server.find(QStringLiteral("alice")).has_value());

        // The server instance writes too, on top of what the admin instance wrote.
        QVERIFY(admin.add(makeAccount(QStringLiteral("bob"))).ok());
        QVERIFY(server.add(makeAccount(QStringLiteral("carol"))).ok());
        QVERIFY(admin.find(QStringLiteral("bob")).has_value());
        QVERIFY(admin.find(QStringLiteral("carol")).has_value());
    }

    void concurrentWritersFromSeveralInstancesLoseNothing()
    {
        constexpr int Writers = 4;
        constexpr int AddsEach = 3;
        QList<QThread *> threads;
        for (int i = 0; i < Writers; ++i) {
            threads << QThread::create([this, i] {
                UsersFile users(m_dir->path());
                for (int j = 0; j < AddsEach; ++j)
                    users.add(makeAccount(QStringLiteral("user%1-%2").arg(i).arg(j)));
            });
            threads.last()->start();
        }
        for (QThread *thread : threads) {
            QVERIFY(thread->wait(60000));
            delete thread;
        }
        const Result<QList<UserAccount>> all = UsersFile(m_dir->path()).list();
        QVERIFY(all.ok());
        QCOMPARE(all->size(), Writers * AddsEach);
    }

    void invalidNamesAreRefused_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("empty") << QString();
        QTest::newRow("dot") << QStringLiteral(".");
        QTest::newRow("dot dot") << QStringLiteral("..");
        QTest::newRow("hidden") << QStringLiteral(".alice");
        QTest::newRow("part-file prefix") << QStringLiteral(".ferry-part-x");
        QTest::newRow("slash") << QStringLiteral("a/b");
        QTest::newRow("traversal") << QStringLiteral("../../etc/passwd");
        QTest::newRow("root") << QStringLiteral("/");
        QTest::newRow("newline") << QStringLiteral("alice\nroot");
        QTest::newRow("tab") << QStringLiteral("a\tb");
        QTest::newRow("NUL") << QString(QStringLiteral("ab") + QChar(0) + QStringLiteral("c"));
        QTest::newRow("escape") << QStringLiteral("a\x1b[31m");
        QTest::newRow("DEL") << QString(QStringLiteral("a") + QChar(0x7f));
        QTest::newRow("C1 control") << QString(QStringLiteral("a") + QChar(0x85));
        QTest::newRow("lone surrogate") << QString(QStringLiteral("a") + QChar(0xd800));
        QTest::newRow("65 bytes") << QString(65, QLatin1Char('x'));
        QTest::newRow("66 bytes in 33 chars") << QString(33, QChar(0xe9));
    }
    void invalidNamesAreRefused()
    {
        QFETCH(QString, name);
        const Error invalid = checkUserName(name);
        QCOMPARE(invalid.code, QString(ErrorCode::BadRequest));
        for (const QChar c : invalid.message)   // safe to print on a terminal or in a log
            QVERIFY2(c.category() != QChar::Other_Control && !c.isSurrogate(), qPrintable(invalid.message));
        UsersFile users(m_dir->path());
        const Status added = users.add(makeAccount(name));
        QVERIFY(!added.ok());
        QCOMPARE(added.error().code, QString(ErrorCode::BadRequest));
        QVERIFY(!QFileInfo::exists(users.filePath()));
    }

    void validNamesAreAccepted_data()
    {
        QTest::addColumn<QString>("name");
        QTest::newRow("plain") << QStringLiteral("alice");
        QTest::newRow("inner dot") << QStringLiteral("a.b");
        QTest::newRow("trailing dots") << QStringLiteral("a..");
        QTest::newRow("chinese") << QString::fromUtf8("张伟");
        QTest::newRow("space") << QStringLiteral("Alice Smith");
        QTest::newRow("scram specials") << QStringLiteral("a,b=c");
        QTest::newRow("leading dash") << QStringLiteral("-x");
        QTest::newRow("64 bytes") << QString(64, QLatin1Char('x'));
        QTest::newRow("64 bytes in 32 chars") << QString(32, QChar(0xe9));
    }
    void validNamesAreAccepted()
    {
        QFETCH(QString, name);
        QVERIFY(!checkUserName(name).isError());
        UsersFile users(m_dir->path());
        QVERIFY(users.add(makeAccount(name)).ok());
        QCOMPARE(UsersFile(m_dir->path()).find(name)->name, name);
    }

    void unusableCredentialsAreRefused_data()
    {
        QTest::addColumn<int>("iterations");
        QTest::addColumn<int>("keyBytes");
        QTest::addColumn<qint64>("quota");
        QTest::newRow("few iterations") << 1000 << 32 << qint64(0);
        QTest::newRow("short keys") << 4096 << 16 << qint64(0);
        QTest::newRow("negative quota") << 4096 << 32 << qint64(-1);
    }
    void unusableCredentialsAreRefused()
    {
        QFETCH(int, iterations);
        QFETCH(int, keyBytes);
        QFETCH(qint64, quota);
        const UserAccount account{QStringLiteral("alice"),
                                  ScramCredentials{QByteArray(16, 's'), iterations, QByteArray(keyBytes, 'k'), QByteArray(keyBytes, 'k')},
                                  quota};
        UsersFile users(m_dir->path());
        QCOMPARE(users.add(account).error().code, QString(ErrorCode::BadRequest));
        QVERIFY(users.add(makeAccount(QStringLiteral("alice"))).ok());
        QCOMPARE(users.update(account).error().code, QString(ErrorCode::BadRequest));
    }

    void serverSecretIsMadeOnceAndKept()
    {
        UsersFile first(m_dir->path());
        const QByteArray secret = first.serverSecret();
        QCOMPARE(secret.size(), 32);
        QCOMPARE(first.serverSecret(), secret);
        QCOMPARE(UsersFile(m_dir->path()).serverSecret(), secret);
        const QString path = m_dir->filePath(QStringLiteral("secret"));
        QCOMPARE(readAll(path), secret);
        QVERIFY(isOwnerOnly(path));

        QTemporaryDir other;
        QVERIFY(UsersFile(other.path()).serverSecret() != secret);
    }

    void homePathIsUnderHomes()
    {
        QCOMPARE(UsersFile::homePath(QStringLiteral("/srv/ferry"), QStringLiteral("alice")),
                 QStringLiteral("/srv/ferry/homes/alice"));
        QCOMPARE(UsersFile::homePath(QStringLiteral("/srv/ferry/"), QStringLiteral("alice")),
                 QStringLiteral("/srv/ferry/homes/alice"));
    }

private:
    std::unique_ptr<QTemporaryDir> m_dir;
};

QTEST_GUILESS_MAIN(TestUsersFile)
#include "tst_usersfile.moc"
