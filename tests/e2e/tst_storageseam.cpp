// The sessions do not know which storage they have (issue 8): the same protocol traffic from a RawClient (login,
// mkdir, list, stat, put and its resume, get and its resume, rename, remove, quota refusal, a failing disk) runs
// against an in-process ferryd given a LocalStorage and one given a MemoryStorage (a global data row each), both
// behind FailingStorage, and gets the same replies. The test looks at what was stored through the same Storage
// the server has; with memory, nothing at all reaches the data folder's homes.

#include "FailingStorage.h"
#include "LocalStorage.h"
#include "MemoryStorage.h"
#include "StorageContract.h"
#include "TestServer.h"
#include "WireTestHelpers.h"

#include <QDirIterator>
#include <QJsonArray>

#include <cerrno>
#include <tuple>

using namespace ferry;
using namespace ferry::test;

namespace {
const QString Alice = QStringLiteral("alice");
constexpr qint64 MiB = 1024 * 1024;
constexpr qint64 Quota = 4 * MiB;

QJsonObject pathRequest(const QString &name, const QString &path, QJsonObject fields = {})
{
    fields.insert(QStringLiteral("path"), path);
    return op(name, fields);
}

// name -> size of a listing's entries (folders as -1).
QMap<QString, qint64> listing(RawClient &client, const QString &path)
{
    const qint64 id = client.nextId();
    client.send(pathRequest(QStringLiteral("list"), path, {{QStringLiteral("id"), id}}));
    QMap<QString, qint64> entries;
    for (const Frame &page : client.untilFinal(id)) {
        for (const QJsonValue &value : page.header.value(QStringLiteral("entries")).toArray()) {
            const QJsonObject entry = value.toObject();
            const bool isDir = entry.value(QStringLiteral("type")).toString() == QLatin1String("dir");
            entries.insert(entry.value(QStringLiteral("name")).toString(), isDir ? -1 : entry.value(QStringLiteral("size")).toInteger());
        }
    }
    return entries;
}
} // namespace

class TestStorageSeam : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    std::shared_ptr<FailingStorage> m_storage;   // what the server was given
    std::shared_ptr<StorageHome> m_home;         // alice's home, seen through it
    bool m_inMemory = false;
    RawClient m_client;

    QString request(const QJsonObject &header) { return code(m_client.request(header)); }
    qint64 used() { return integer(m_client.request(op(QStringLiteral("quota"))), "used"); }

private slots:
    void initTestCase_data() { addStorageRows(); }

    void init()
    {
        QFETCH_GLOBAL(QString, storage);
        m_server = std::make_unique<TestServer>();
        m_inMemory = storage == QLatin1String("memory");
        std::shared_ptr<Storage> inner;
        if (m_inMemory)
            inner = std::make_shared<MemoryStorage>();
        else
            inner = std::make_shared<LocalStorage>(m_server->dataDir() + QStringLiteral("/homes"));
        m_storage = std::make_shared<FailingStorage>(inner);
        ServerConfig config;
        config.storage = m_storage;
        QVERIFY(m_server->addUser(Alice, Pw, Quota));
        QVERIFY(m_server->start(config));
        Result<std::shared_ptr<StorageHome>> home = m_storage->openHome(Alice);
        QVERIFY(home.ok());
        m_home = *home;
        QVERIFY(m_client.login(m_server->port(), Alice, Pw));
    }

    void cleanup()
    {
        m_client.socket().abort();
        if (m_inMemory && m_server) {
            QDirIterator disk(m_server->dataDir() + QStringLiteral("/homes"), QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden,
                              QDirIterator::Subdirectories);
            QStringList found;
            while (disk.hasNext())
                found.append(disk.next());
            QCOMPARE(found, QStringList{m_server->home(Alice)});   // the empty folder TestServer::addUser made
        }
        m_home.reset();
        m_server.reset();
        m_storage.reset();
    }

    void foldersAreMadeListedRenamedAndRemoved()
    {
        QCOMPARE(request(pathRequest(QStringLiteral("mkdir"), QStringLiteral("/docs"))), QString());
        QCOMPARE(request(pathRequest(QStringLiteral("mkdir"), QStringLiteral("/docs"))), QStringLiteral("exists"));
        QCOMPARE(request(pathRequest(QStringLiteral("mkdir"), QStringLiteral("/docs/a/b"), {{QStringLiteral("parents"), true}})), QString());
        QCOMPARE(request(pathRequest(QStringLiteral("mkdir"), QStringLiteral("/x/y"))), QStringLiteral("not_found"));
        QCOMPARE(putFile(m_client, QStringLiteral("/docs/note.txt"), "hello", QStringLiteral("new")).last().op(), QStringLiteral("ok"));

        QCOMPARE(listing(m_client, QStringLiteral("/docs")), (QMap<QString, qint64>{{QStringLiteral("a"), -1}, {QStringLiteral("note.txt"), 5}}));
        const QJsonObject entry = m_client.request(pathRequest(QStringLiteral("stat"), QStringLiteral("/docs/note.txt")))
                                      .header.value(QStringLiteral("entry")).toObject();
        QCOMPARE(entry.value(QStringLiteral("size")).toInteger(), 5);
        QCOMPARE(entry.value(QStringLiteral("mtime")).toInteger(), 1700000000123LL);
        QCOMPARE(entry.value(QStringLiteral("sha256")).toString().toLatin1(), Sha256::hex("hello"));   // remembered at upload
        QCOMPARE(request(pathRequest(QStringLiteral("stat"), QStringLiteral("/docs/note.txt/x"))), QStringLiteral("not_a_directory"));

        const auto rename = [](const char *from, const char *to, bool overwrite) {
            return op(QStringLiteral("rename"), {{QStringLiteral("from"), QLatin1String(from)}, {QStringLiteral("to"), QLatin1String(to)},
                                                 {QStringLiteral("overwrite"), overwrite}});
        };
        QCOMPARE(request(rename("/docs/note.txt", "/docs/a/n.txt", false)), QString());
        QCOMPARE(request(rename("/docs/a/n.txt", "/docs/a/b", true)), QStringLiteral("is_a_directory"));
        QCOMPARE(request(rename("/docs", "/docs/a/c", false)), QStringLiteral("invalid_path"));
        QCOMPARE(request(rename("/", "/y", false)), QStringLiteral("permission_denied"));
        QCOMPARE(readAll(*m_home, vp("/docs/a/n.txt")), QByteArray("hello"));

        QCOMPARE(request(pathRequest(QStringLiteral("remove"), QStringLiteral("/docs"))), QStringLiteral("not_empty"));
        QCOMPARE(used(), 5);
        QCOMPARE(request(pathRequest(QStringLiteral("remove"), QStringLiteral("/docs"), {{QStringLiteral("recursive"), true}})), QString());
        QCOMPARE(used(), 0);
        QCOMPARE(listing(m_client, QStringLiteral("/")), (QMap<QString, qint64>{}));
        QCOMPARE(m_home->usage(), 0);
    }

    void putsAndGetsResume()
    {
        const QByteArray content = randomBytes(3 * MiB + 5, 7);
        const qint64 id = m_client.nextId();
        m_client.send(op(QStringLiteral("put"), {{QStringLiteral("id"), id}, {QStringLiteral("path"), QStringLiteral("/r.bin")},
                                                 {QStringLiteral("size"), content.size()}, {QStringLiteral("mode"), QStringLiteral("new")}}));
        QCOMPARE(m_client.next()->op(), QStringLiteral("ok"));
        m_client.send(op(QStringLiteral("data"), {{QStringLiteral("id"), id}}), content.left(2 * MiB));
        QTRY_COMPARE(m_home->partSize(vp("/r.bin")), 2 * MiB);
        m_client.socket().abort();   // the connection drops: the part file stays

        RawClient again;
        QVERIFY(again.login(m_server->port(), Alice, Pw));
        QTRY_COMPARE(integer(again.request(op(QStringLiteral("quota"))), "used"), 2 * MiB);   // the part file counts
        QCOMPARE(listing(again, QStringLiteral("/")), (QMap<QString, qint64>{}));            // and is never listed
        const QList<Frame> resumed = putFile(again, QStringLiteral("/r.bin"), content, QStringLiteral("resume"));
        QCOMPARE(integer(resumed.first(), "offset"), 2 * MiB);
        QCOMPARE(resumed.last().op(), QStringLiteral("ok"));
        QCOMPARE(readAll(*m_home, vp("/r.bin")), content);
        QCOMPARE(m_home->partSize(vp("/r.bin")), 0);

        const qint64 k = MiB + 11;
        const auto [tail, end] = getFile(again, QStringLiteral("/r.bin"), k, Sha256::hex(content.left(k)));
        QCOMPARE(tail, content.mid(k));
        QCOMPARE(end.header.value(QStringLiteral("sha256")).toString().toLatin1(), Sha256::hex(content));
        QCOMPARE(code(getFile(again, QStringLiteral("/r.bin"), k, Sha256::hex("something else")).second), QStringLiteral("resume_mismatch"));
        QCOMPARE(code(getFile(again, QStringLiteral("/r.bin"), content.size() + 1).second), QStringLiteral("resume_mismatch"));
        QCOMPARE(getFile(again, QStringLiteral("/r.bin")).first, content);
        QCOMPARE(code(getFile(again, QStringLiteral("/")).second), QStringLiteral("is_a_directory"));
        QCOMPARE(integer(again.request(op(QStringLiteral("quota"))), "used"), content.size());
    }

    void theQuotaRefusesWhatDoesNotFit()
    {
        QCOMPARE(putFile(m_client, QStringLiteral("/a.bin"), randomBytes(3 * MiB), QStringLiteral("new")).last().op(), QStringLiteral("ok"));
        const Frame refused = putFile(m_client, QStringLiteral("/b.bin"), randomBytes(2 * MiB), QStringLiteral("new")).last();
        QCOMPARE(code(refused), QStringLiteral("quota_exceeded"));
        QCOMPARE(integer(refused, "used"), 3 * MiB);
        QCOMPARE(integer(refused, "limit"), Quota);
        QCOMPARE(integer(refused, "needed"), MiB);
        QCOMPARE(m_home->partSize(vp("/b.bin")), 0);
        QCOMPARE(m_home->stat(vp("/b.bin")).error().code, QString(ErrorCode::NotFound));
        // Replacing the file frees its bytes first: 3 MiB over 3 MiB fits.
        QCOMPARE(putFile(m_client, QStringLiteral("/a.bin"), randomBytes(3 * MiB, 9), QStringLiteral("overwrite")).last().op(),
                 QStringLiteral("ok"));
        QCOMPARE(used(), m_home->usage());
    }

    void aFailingDiskReachesTheClientAndLeavesNothingHalfWritten()
    {
        QCOMPARE(putFile(m_client, QStringLiteral("/keep"), "old", QStringLiteral("new")).last().op(), QStringLiteral("ok"));
        const QList<std::tuple<const char *, int, QString>> failures{
            {"openPart", EACCES, QStringLiteral("permission_denied")},
            {"append", ENOSPC, QStringLiteral("io_error")},
            {"commit", EIO, QStringLiteral("io_error")}};
        for (const auto &[call, error, expected] : failures) {
            m_storage->failWith(QLatin1String(call), error);
            const Frame last = putFile(m_client, QStringLiteral("/keep"), QByteArray(2 * MiB, 'n'), QStringLiteral("overwrite")).last();
            m_storage->clear();
            QVERIFY2(code(last) == expected, call);
            QCOMPARE(readAll(*m_home, vp("/keep")), QByteArray("old"));
            QTRY_COMPARE(m_home->partSize(vp("/keep")), 0);
            QCOMPARE(used(), m_home->usage());
        }
        m_storage->failWith(QStringLiteral("read"), EIO);
        QCOMPARE(code(getFile(m_client, QStringLiteral("/keep")).second), QStringLiteral("io_error"));
        m_storage->clear();
        QCOMPARE(getFile(m_client, QStringLiteral("/keep")).first, QByteArray("old"));
    }
};

QTEST_GUILESS_MAIN(TestStorageSeam)
#include "tst_storageseam.moc"
