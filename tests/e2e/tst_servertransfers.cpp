// ferryd's put/get/cancel at the wire level: part files, hashes, resume, quotas before the first byte,
// busy targets and concurrent quota races.

#include "LocalStorage.h"
#include "RawClient.h"
#include "Sha256.h"
#include "TestServer.h"
#include "WireTestHelpers.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QTest>
#include <QThread>

using namespace ferry;
using namespace ferry::test;

namespace {
// put, then data frames of `chunk` bytes and end (with `sha` when given) without waiting; returns every frame
// answering the put. (WireTestHelpers' putFile, with a chosen frame size and hash.)
QList<Frame> putChunked(RawClient &client, const QString &path, const QByteArray &content,
                        const QString &mode = QStringLiteral("new"), qint64 chunk = 1024 * 1024, const QByteArray &sha = {})
{
    const qint64 id = client.nextId();
    client.send(op(QStringLiteral("put"), {{QStringLiteral("id"), id}, {QStringLiteral("path"), path},
                                           {QStringLiteral("size"), content.size()}, {QStringLiteral("mode"), mode},
                                           {QStringLiteral("mtime"), 1700000000123LL}}));
    const std::optional<Frame> ready = client.next();
    if (!ready || ready->op() != QLatin1String("ok"))
        return ready ? QList<Frame>{*ready} : QList<Frame>{};
    const qint64 offset = integer(*ready, "offset");
    for (qint64 at = offset; at < content.size(); at += chunk)
        client.send(op(QStringLiteral("data"), {{QStringLiteral("id"), id}}), content.mid(at, chunk));
    client.send(op(QStringLiteral("end"), {{QStringLiteral("id"), id},
                                           {QStringLiteral("sha256"), QString::fromLatin1(sha.isEmpty() ? Sha256::hex(content) : sha)}}));
    QList<Frame> frames{*ready};
    frames += client.untilFinal(id, 60000);
    return frames;
}

QStringList partFiles(const QString &dir)
{
    return QDir(dir).entryList({QStringLiteral(".ferry-part-*")}, QDir::Files | QDir::Hidden);
}
} // namespace

class TestServerTransfers : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<TestServer> m_server;
    QString home() const { return m_server->home(QStringLiteral("alice")); }

private slots:
    void init()
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY(m_server->addUser(QStringLiteral("alice"), QStringLiteral("pw"), 10 * 1024 * 1024));
        QVERIFY(m_server->start());
    }
    void cleanup() { m_server.reset(); }

    void putStoresTheFileAtomicallyWithHashAndMtime_data()
    {
        QTest::addColumn<qint64>("size");
        QTest::newRow("empty") << qint64(0);
        QTest::newRow("one byte") << qint64(1);
        QTest::newRow("4 MiB + 1") << qint64(4 * 1024 * 1024 + 1);
    }
    void putStoresTheFileAtomicallyWithHashAndMtime()
    {
        QFETCH(qint64, size);
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("pw")));
        const QByteArray content = randomBytes(size, quint32(size + 7));
        const QList<Frame> frames = putChunked(c, QStringLiteral("/f.bin"), content);
        QCOMPARE(frames.size(), 2);
        QCOMPARE(integer(frames[0], "offset"), 0);
        QCOMPARE(frames[1].op(), QStringLiteral("ok"));
        QCOMPARE(integer(frames[1], "size"), size);
        QCOMPARE(frames[1].header.value(QStringLiteral("sha256")).toString().toLatin1(), Sha256::hex(content));
        QCOMPARE(readFile(home() + QStringLiteral("/f.bin")), content);
        QCOMPARE(QFileInfo(home() + QStringLiteral("/f.bin")).lastModified().toMSecsSinceEpoch(), 1700000000123LL);
        QVERIFY(partFiles(home()).isEmpty());
        const auto [data, end] = getFile(c, QStringLiteral("/f.bin"));
        QCOMPARE(data, content);
        QCOMPARE(end.op(), QStringLiteral("end"));
        QCOMPARE(end.header.value(QStringLiteral("sha256")).toString().toLatin1(), Sha256::hex(content));
        QCOMPARE(integer(c.request(op(QStringLiteral("quota"))), "used"), size);
    }

    void putNewOnAnExistingNameIsRefused()
    {
        QVERIFY(writeFile(home() + QStringLiteral("/old.txt"), "old"));
        m_server->stop();
        QVERIFY(m_server->start());   // the ledger counts files present at start
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("pw")));
        QCOMPARE(code(putChunked(c, QStringLiteral("/old.txt"), "new").last()), QStringLiteral("exists"));
        QCOMPARE(readFile(home() + QStringLiteral("/old.txt")), QByteArray("old"));
        QCOMPARE(putChunked(c, QStringLiteral("/old.txt"), "new", QStringLiteral("overwrite")).last().op(), QStringLiteral("ok"));
        QCOMPARE(readFile(home() + QStringLiteral("/old.txt")), QByteArray("new"));
        QCOMPARE(integer(c.request(op(QStringLiteral("quota"))), "used"), 3);
    }

    void wrongHashOrSizeRemovesThePartFileAndKeepsTheTarget()
    {
        QVERIFY(writeFile(home() + QStringLiteral("/t.txt"), "original"));
        m_server->stop();
        QVERIFY(m_server->start());
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("pw")));
        const QByteArray content = randomBytes(3000);
        QCOMPARE(code(putChunked(c, QStringLiteral("/t.txt"), content, QStringLiteral("overwrite"), 1000,
                              QByteArray(64, 'a')).last()), QStringLiteral("checksum_mismatch"));
        QCOMPARE(readFile(home() + QStringLiteral("/t.txt")), QByteArray("original"));
        QVERIFY(partFiles(home()).isEmpty());

        // Fewer bytes than declared at end.
        const qint64 id = c.nextId();
        c.send(op(QStringLiteral("put"), {{QStringLiteral("id"), id}, {QStringLiteral("path"), QStringLiteral("/t.txt")},
                                          {QStringLiteral("size"), 10}, {QStringLiteral("mode"), QStringLiteral("overwrite")}}));
        c.send(op(QStringLiteral("data"), {{QStringLiteral("id"), id}}), "12345");
        c.send(op(QStringLiteral("end"), {{QStringLiteral("id"), id}, {QStringLiteral("sha256"), QString::fromLatin1(Sha256::hex("12345"))}}));
        QList<Frame> frames = c.untilFinal(id);
        QCOMPARE(code(frames.last()), QStringLiteral("size_mismatch"));
        // More bytes than declared, at the data frame that overflows; later frames of that id are ignored.
        const qint64 id2 = c.nextId();
        c.send(op(QStringLiteral("put"), {{QStringLiteral("id"), id2}, {QStringLiteral("path"), QStringLiteral("/t.txt")},
                                          {QStringLiteral("size"), 4}, {QStringLiteral("mode"), QStringLiteral("overwrite")}}));
        c.send(op(QStringLiteral("data"), {{QStringLiteral("id"), id2}}), "123456");
        c.send(op(QStringLiteral("end"), {{QStringLiteral("id"), id2}, {QStringLiteral("sha256"), QString::fromLatin1(Sha256::hex("1234"))}}));
        frames = c.untilFinal(id2);
        QCOMPARE(code(frames.last()), QStringLiteral("size_mismatch"));
        QCOMPARE(c.request(op(QStringLiteral("ping"))).op(), QStringLiteral("ok"));   // the end was ignored
        QCOMPARE(readFile(home() + QStringLiteral("/t.txt")), QByteArray("original"));
        QVERIFY(partFiles(home()).isEmpty());
        QCOMPARE(integer(c.request(op(QStringLiteral("quota"))), "used"), 8);
    }

    void quotaIsRefusedBeforeAnyDataByte()
    {
        QVERIFY(writeFile(home() + QStringLiteral("/keep.bin"), randomBytes(6 * 1024 * 1024)));
        m_server->stop();
        QVERIFY(m_server->start());   // the ledger is rebuilt from disk
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("pw")));
        const QByteArray content = randomBytes(5 * 1024 * 1024);
        const QList<Frame> frames = putChunked(c, QStringLiteral("/big.bin"), content);
        QCOMPARE(frames.size(), 1);
        QCOMPARE(code(frames[0]), QStringLiteral("quota_exceeded"));
        QCOMPARE(integer(frames[0], "used"), 6 * 1024 * 1024);
        QCOMPARE(integer(frames[0], "limit"), 10 * 1024 * 1024);
        QCOMPARE(integer(frames[0], "needed"), 1024 * 1024);
        QVERIFY(!QFile::exists(home() + QStringLiteral("/big.bin")));
        QVERIFY(partFiles(home()).isEmpty());   // not one byte was written

        // Pipelined data/end after the refusal are ignored, and the session goes on.
        const qint64 id = c.nextId();
        c.send(op(QStringLiteral("put"), {{QStringLiteral("id"), id}, {QStringLiteral("path"), QStringLiteral("/big2.bin")},
                                          {QStringLiteral("size"), content.size()}, {QStringLiteral("mode"), QStringLiteral("new")}}));
        c.send(op(QStringLiteral("data"), {{QStringLiteral("id"), id}}), content.left(1024 * 1024));
        c.send(op(QStringLiteral("end"), {{QStringLiteral("id"), id}, {QStringLiteral("sha256"), QString::fromLatin1(Sha256::hex(content))}}));
        QCOMPARE(code(c.untilFinal(id).last()), QStringLiteral("quota_exceeded"));
        QCOMPARE(c.request(op(QStringLiteral("ping"))).op(), QStringLiteral("ok"));
        QVERIFY(partFiles(home()).isEmpty());
        QCOMPARE(integer(c.request(op(QStringLiteral("quota"))), "used"), 6 * 1024 * 1024);

        // A refused put keeps the part file an earlier one left: its bytes are still there to resume from.
        const QByteArray earlier = randomBytes(1024 * 1024);
        QVERIFY(writeFile(home() + QStringLiteral("/.ferry-part-big.bin"), earlier));
        for (const QString &mode : {QStringLiteral("new"), QStringLiteral("resume")}) {
            QCOMPARE(code(putChunked(c, QStringLiteral("/big.bin"), randomBytes(11 * 1024 * 1024), mode).last()),
                     QStringLiteral("quota_exceeded"));
            QCOMPARE(readFile(home() + QStringLiteral("/.ferry-part-big.bin")), earlier);
        }
        QVERIFY(QFile::remove(home() + QStringLiteral("/.ferry-part-big.bin")));

        // An overwrite that would exceed the quota keeps the old file intact.
        const QByteArray old = readFile(home() + QStringLiteral("/keep.bin"));
        QCOMPARE(code(putChunked(c, QStringLiteral("/keep.bin"), randomBytes(11 * 1024 * 1024), QStringLiteral("overwrite")).last()),
                 QStringLiteral("quota_exceeded"));
        QCOMPARE(readFile(home() + QStringLiteral("/keep.bin")), old);
        // An overwrite that fits once the old file's bytes are counted goes through.
        QCOMPARE(putChunked(c, QStringLiteral("/keep.bin"), randomBytes(9 * 1024 * 1024), QStringLiteral("overwrite")).last().op(),
                 QStringLiteral("ok"));
        QCOMPARE(integer(c.request(op(QStringLiteral("quota"))), "used"), 9 * 1024 * 1024);
    }

    void droppedUploadKeepsItsPartFileAndResumes()
    {
        const QByteArray content = randomBytes(3 * 1024 * 1024 + 5);
        {
            RawClient c;
            QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("pw")));
            const qint64 id = c.nextId();
            c.send(op(QStringLiteral("put"), {{QStringLiteral("id"), id}, {QStringLiteral("path"), QStringLiteral("/r.bin")},
                                              {QStringLiteral("size"), content.size()}, {QStringLiteral("mode"), QStringLiteral("new")}}));
            QCOMPARE(c.next()->op(), QStringLiteral("ok"));
            c.send(op(QStringLiteral("data"), {{QStringLiteral("id"), id}}), content.left(2 * 1024 * 1024));
            QTRY_COMPARE(QFileInfo(home() + QStringLiteral("/.ferry-part-r.bin")).size(), 2 * 1024 * 1024);
            // Running uploads hold a reservation; `used` changes once, when the upload ends.
            QCOMPARE(integer(c.request(op(QStringLiteral("quota"))), "used"), 0);
            c.socket().abort();
        }
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("pw")));
        // The dropped upload settled: its part file counts.
        QTRY_COMPARE(integer(c.request(op(QStringLiteral("quota"))), "used"), 2 * 1024 * 1024);
        const qint64 listId = c.nextId();
        c.send(op(QStringLiteral("list"), {{QStringLiteral("id"), listId}, {QStringLiteral("path"), QStringLiteral("/")}}));
        QVERIFY(c.untilFinal(listId).last().header.value(QStringLiteral("entries")).toArray().isEmpty());   // never listed
        const QList<Frame> resumed = putChunked(c, QStringLiteral("/r.bin"), content, QStringLiteral("resume"));
        QCOMPARE(integer(resumed[0], "offset"), 2 * 1024 * 1024);
        QCOMPARE(resumed.last().op(), QStringLiteral("ok"));
        QCOMPARE(readFile(home() + QStringLiteral("/r.bin")), content);
        QVERIFY(partFiles(home()).isEmpty());
        QCOMPARE(integer(c.request(op(QStringLiteral("quota"))), "used"), content.size());
    }

    void resumeStartsAtThePartFileSize()
    {
        const QByteArray content = randomBytes(1000);
        QVERIFY(writeFile(home() + QStringLiteral("/.ferry-part-x.bin"), content.left(600)));
        m_server->stop();
        QVERIFY(m_server->start());
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("pw")));
        const QList<Frame> frames = putChunked(c, QStringLiteral("/x.bin"), content, QStringLiteral("resume"));
        QCOMPARE(integer(frames[0], "offset"), 600);
        QCOMPARE(frames.last().op(), QStringLiteral("ok"));
        QCOMPARE(readFile(home() + QStringLiteral("/x.bin")), content);
    }

    void secondWriterOfATargetIsBusy()
    {
        RawClient first, second;
        QVERIFY(first.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("pw")));
        QVERIFY(second.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("pw")));
        first.send(op(QStringLiteral("put"), {{QStringLiteral("id"), 1}, {QStringLiteral("path"), QStringLiteral("/b.bin")},
                                              {QStringLiteral("size"), 10}, {QStringLiteral("mode"), QStringLiteral("new")}}));
        QCOMPARE(first.next()->op(), QStringLiteral("ok"));
        QCOMPARE(code(putChunked(second, QStringLiteral("/b.bin"), "0123456789", QStringLiteral("overwrite")).last()),
                 QStringLiteral("busy"));
    }

    void cancelEndsAPutAndKeepsThePartFile()
    {
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("pw")));
        c.send(op(QStringLiteral("put"), {{QStringLiteral("id"), 5}, {QStringLiteral("path"), QStringLiteral("/c.bin")},
                                          {QStringLiteral("size"), 10}, {QStringLiteral("mode"), QStringLiteral("new")}}));
        QCOMPARE(c.next()->op(), QStringLiteral("ok"));
        c.send(op(QStringLiteral("data"), {{QStringLiteral("id"), 5}}), "01234");
        c.send(op(QStringLiteral("cancel"), {{QStringLiteral("id"), 6}, {QStringLiteral("target"), 5}}));
        const QList<Frame> frames = c.untilFinal(5);
        QCOMPARE(code(frames.last()), QStringLiteral("cancelled"));
        QCOMPARE(readFile(home() + QStringLiteral("/.ferry-part-c.bin")), QByteArray("01234"));
        QCOMPARE(code(c.request(op(QStringLiteral("cancel"), {{QStringLiteral("target"), 99}}))), QStringLiteral("not_found"));
        // The lock is gone: a resume continues at 5.
        QCOMPARE(integer(putChunked(c, QStringLiteral("/c.bin"), "0123456789", QStringLiteral("resume"))[0], "offset"), 5);
    }

    void getResumesOnlyFromAMatchingPrefix()
    {
        const QByteArray content = randomBytes(2 * 1024 * 1024 + 3);
        QVERIFY(writeFile(home() + QStringLiteral("/g.bin"), content));
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("pw")));
        const qint64 k = 1024 * 1024 + 11;
        auto [tail, end] = getFile(c, QStringLiteral("/g.bin"), k, Sha256::hex(content.left(k)));
        QCOMPARE(tail, content.mid(k));
        QCOMPARE(end.header.value(QStringLiteral("sha256")).toString().toLatin1(), Sha256::hex(content));
        QCOMPARE(code(getFile(c, QStringLiteral("/g.bin"), k, Sha256::hex("something else")).second),
                 QStringLiteral("resume_mismatch"));
        QCOMPARE(code(getFile(c, QStringLiteral("/g.bin"), content.size() + 1, Sha256::hex(content)).second),
                 QStringLiteral("resume_mismatch"));
        QCOMPARE(code(getFile(c, QStringLiteral("/nope.bin")).second), QStringLiteral("not_found"));
        QVERIFY(QDir().mkpath(home() + QStringLiteral("/dir")));
        QCOMPARE(code(getFile(c, QStringLiteral("/dir")).second), QStringLiteral("is_a_directory"));
    }

    // Small files are read on the session's shared queue of small reads (one pool task for many), a big one on
    // a queue of its own: many pipelined gets of both, some cancelled at once, all answer right, each small file
    // whole with its hash; a session dropped with reads still queued leaves the server serving the next one.
    void manyPipelinedGetsOfSmallFilesShareTheirReads()
    {
        constexpr int Files = 300;
        QList<QByteArray> contents;
        for (int i = 0; i < Files; ++i) {
            contents.append(randomBytes(1 + i * 37, quint32(i)));
            QVERIFY(writeFile(home() + QStringLiteral("/s%1").arg(i), contents.last()));
        }
        const QByteArray big = randomBytes(3 * 1024 * 1024 + 5, 99);
        QVERIFY(writeFile(home() + QStringLiteral("/big.bin"), big));
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("pw")));
        QHash<qint64, int> fileOf;
        const auto get = [&](const QString &path) {
            const qint64 id = c.nextId();
            c.send(op(QStringLiteral("get"), {{QStringLiteral("id"), id}, {QStringLiteral("path"), path}}));
            return id;
        };
        const qint64 bigId = get(QStringLiteral("/big.bin"));
        QSet<qint64> cancelled;
        for (int i = 0; i < Files; ++i) {
            const qint64 id = get(QStringLiteral("/s%1").arg(i));
            fileOf.insert(id, i);
            if (i % 7 == 3) {
                c.send(op(QStringLiteral("cancel"), {{QStringLiteral("id"), c.nextId()}, {QStringLiteral("target"), id}}));
                cancelled.insert(id);
            }
        }
        QHash<qint64, QByteArray> received;
        QHash<qint64, QString> ends;   // sha256, or the error code
        QSet<qint64> open = QSet<qint64>(fileOf.keyBegin(), fileOf.keyEnd()) << bigId;
        while (!open.isEmpty()) {
            const std::optional<Frame> frame = c.next();
            QVERIFY2(frame, "the server stopped answering");
            const qint64 re = frame->header.value(QStringLiteral("re")).toInteger(-1);
            if (!open.contains(re))
                continue;   // the cancels' own ok
            if (frame->op() == QStringLiteral("data")) {
                received[re] += frame->payload;
            } else if (frame->op() == QStringLiteral("end")) {
                ends.insert(re, frame->header.value(QStringLiteral("sha256")).toString());
                open.remove(re);
            } else if (frame->op() == QStringLiteral("error")) {
                ends.insert(re, code(*frame));
                open.remove(re);
            }
        }
        QCOMPARE(received.value(bigId), big);
        QCOMPARE(ends.value(bigId), QString::fromLatin1(Sha256::hex(big)));
        for (auto it = fileOf.constBegin(); it != fileOf.constEnd(); ++it) {
            const QByteArray &content = contents.at(it.value());
            if (ends.value(it.key()) == QStringLiteral("cancelled")) {
                QVERIFY(cancelled.contains(it.key()));
                continue;   // cancelled before it ended
            }
            QCOMPARE(received.value(it.key()), content);
            QCOMPARE(ends.value(it.key()), QString::fromLatin1(Sha256::hex(content)));
        }
        QCOMPARE(c.request(op(QStringLiteral("ping"))).op(), QStringLiteral("ok"));

        // Dropped with many small reads queued: the next session is served.
        {
            RawClient dropped;
            QVERIFY(dropped.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("pw")));
            for (int i = 0; i < Files; ++i)
                dropped.send(op(QStringLiteral("get"), {{QStringLiteral("id"), dropped.nextId()}, {QStringLiteral("path"), QStringLiteral("/s%1").arg(i)}}));
            QVERIFY(dropped.next());   // the server is at work on them
        }
        RawClient next;
        QVERIFY(next.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("pw")));
        QCOMPARE(getFile(next, QStringLiteral("/s5")).first, contents.at(5));
    }

    // A file placed behind ferryd's back has no stored hash: the first download hashes it while sending and
    // ferryd remembers that hash, so later downloads and stats need not hash it. A file modified moments ago is
    // not remembered (another change could hide in the same mtime), and a resumed download's hash covers the
    // prefix it checked as well.
    void aPlacedFileIsHashedOnceThenRemembered()
    {
        const QByteArray content = randomBytes(3 * 1024 * 1024 + 17, 41);
        const QByteArray hash = Sha256::hex(content);
        const QDateTime hourAgo = QDateTime::currentDateTimeUtc().addSecs(-3600);
        for (const char *name : {"/placed.bin", "/resumed.bin", "/fresh.bin"}) {
            QFile file(home() + QLatin1String(name));
            QVERIFY(file.open(QIODevice::WriteOnly) && file.write(content) == content.size());
            if (qstrcmp(name, "/fresh.bin") != 0)
                QVERIFY(file.setFileTime(hourAgo, QFileDevice::FileModificationTime));
        }
        const auto known = [&](const char *name) {
            const Result<std::unique_ptr<ReadFile>> file = LocalHome(home()).openRead(*VirtualPath::fromWire(QLatin1String(name)));
            return file ? (*file)->knownSha256() : QByteArray("<cannot open>");
        };
        QCOMPARE(known("/placed.bin"), QByteArray());

        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("pw")));
        for (const char *name : {"/placed.bin", "/fresh.bin"}) {
            const auto [data, end] = getFile(c, QLatin1String(name));
            QVERIFY(data == content);
            QCOMPARE(end.header.value(QStringLiteral("sha256")).toString().toLatin1(), hash);
        }
        const qint64 k = 1024 * 1024 + 5;
        const auto [tail, end] = getFile(c, QStringLiteral("/resumed.bin"), k, Sha256::hex(content.left(k)));
        QVERIFY(tail == content.mid(k));

        QCOMPARE(known("/placed.bin"), hash);
        QCOMPARE(known("/resumed.bin"), hash);
        QCOMPARE(known("/fresh.bin"), QByteArray());
        const Frame stat = c.request(op(QStringLiteral("stat"), {{QStringLiteral("path"), QStringLiteral("/placed.bin")}}));
        QCOMPARE(stat.header.value(QStringLiteral("entry")).toObject().value(QStringLiteral("sha256")).toString().toLatin1(), hash);
        const auto [again, againEnd] = getFile(c, QStringLiteral("/placed.bin"));
        QVERIFY(again == content);
        QCOMPARE(againEnd.header.value(QStringLiteral("sha256")).toString().toLatin1(), hash);
    }

    void concurrentPutsNeverExceedTheQuota()
    {
        // 12 sessions on several threads race to put 1 MiB each against a 10 MiB limit with 4.5 MiB used.
        QVERIFY(writeFile(home() + QStringLiteral("/base.bin"), randomBytes(4 * 1024 * 1024 + 512 * 1024)));
        m_server->stop();
        QVERIFY(m_server->start());
        const QByteArray content = randomBytes(1024 * 1024);
        QList<QThread *> threads;
        QAtomicInt succeeded = 0, refused = 0;
        const quint16 port = m_server->port();
        for (int i = 0; i < 12; ++i) {
            threads.append(QThread::create([&, i] {
                RawClient c;
                if (!c.login(port, QStringLiteral("alice"), QStringLiteral("pw")))
                    return;
                const QString result = putChunked(c, QStringLiteral("/race-%1.bin").arg(i), content, QStringLiteral("new"), 64 * 1024)
                                           .last().header.value(QStringLiteral("op")).toString();
                (result == QLatin1String("ok") ? succeeded : refused).fetchAndAddRelaxed(1);
            }));
            threads.last()->start();
        }
        for (QThread *thread : threads) {
            QVERIFY(thread->wait(60000));
            delete thread;
        }
        QCOMPARE(succeeded.loadRelaxed() + refused.loadRelaxed(), 12);
        QCOMPARE(succeeded.loadRelaxed(), 5);
        RawClient c;
        QVERIFY(c.login(port, QStringLiteral("alice"), QStringLiteral("pw")));
        QCOMPARE(integer(c.request(op(QStringLiteral("quota"))), "used"), 4 * 1024 * 1024 + 512 * 1024 + 5 * 1024 * 1024);
        QVERIFY(partFiles(home()).isEmpty());
    }

    void bigUploadsWrittenInTheBackgroundRoundTripAndResume()
    {
        QVERIFY(m_server->addUser(QStringLiteral("bob"), QStringLiteral("pw")));
        const QString bobHome = m_server->home(QStringLiteral("bob"));
        const QByteArray content = randomBytes(48 * 1024 * 1024 + 123, 99);
        {
            RawClient c;
            QVERIFY(c.login(m_server->port(), QStringLiteral("bob"), QStringLiteral("pw")));
            const qint64 id = c.nextId();
            c.send(op(QStringLiteral("put"), {{QStringLiteral("id"), id}, {QStringLiteral("path"), QStringLiteral("/big.bin")},
                                              {QStringLiteral("size"), content.size()}, {QStringLiteral("mode"), QStringLiteral("new")}}));
            QCOMPARE(c.next()->op(), QStringLiteral("ok"));
            for (qint64 at = 0; at < 20 * 1024 * 1024; at += 1024 * 1024)
                c.send(op(QStringLiteral("data"), {{QStringLiteral("id"), id}}), content.mid(at, 1024 * 1024));
            QTRY_COMPARE(QFileInfo(bobHome + QStringLiteral("/.ferry-part-big.bin")).size(), 20 * 1024 * 1024);
            c.socket().abort();
        }
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("bob"), QStringLiteral("pw")));
        const QList<Frame> frames = putChunked(c, QStringLiteral("/big.bin"), content, QStringLiteral("resume"));
        QCOMPARE(integer(frames[0], "offset"), 20 * 1024 * 1024);
        QCOMPARE(frames.last().op(), QStringLiteral("ok"));
        QCOMPARE(readFile(bobHome + QStringLiteral("/big.bin")), content);
        // The hash remembered at upload answers the download without reading the file twice.
        {
            Result<std::unique_ptr<ReadFile>> stored = LocalHome(bobHome).openRead(*VirtualPath::fromWire(QStringLiteral("/big.bin")));
            QVERIFY(stored.ok());
            QCOMPARE((*stored)->knownSha256(), Sha256::hex(content));
        }
        const auto [data, end] = getFile(c, QStringLiteral("/big.bin"));
        QCOMPARE(data.size(), content.size());
        QVERIFY(data == content);
        QCOMPARE(end.header.value(QStringLiteral("sha256")).toString().toLatin1(), Sha256::hex(content));
    }

    void removeGivesSpaceBack()
    {
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), QStringLiteral("pw")));
        QCOMPARE(putChunked(c, QStringLiteral("/gone.bin"), randomBytes(5000)).last().op(), QStringLiteral("ok"));
        QCOMPARE(integer(c.request(op(QStringLiteral("quota"))), "used"), 5000);
        QCOMPARE(c.request(op(QStringLiteral("remove"), {{QStringLiteral("path"), QStringLiteral("/gone.bin")}})).op(), QStringLiteral("ok"));
        QCOMPARE(integer(c.request(op(QStringLiteral("quota"))), "used"), 0);
    }
};

QTEST_GUILESS_MAIN(TestServerTransfers)
#include "tst_servertransfers.moc"
