// BackgroundHasher (common/fileio): hashes what it is given, in order, on a thread of its own at a lower CPU
// priority; waitUntilHashed() and finish() wait for it; destroyed with chunks still queued, it stops.

#include "BackgroundHasher.h"
#include "Sha256.h"
#include "ThreadNiceness.h"
#include "ThreadPriority.h"

#include <QRandomGenerator>
#include <QTest>

using namespace ferry;

namespace {

QByteArray randomBytes(qint64 size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    generator.fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    return bytes;
}

} // namespace

class TestBackgroundHasher : public QObject {
    Q_OBJECT

private slots:
    // Chunks of different sizes, added faster than they are hashed: the hash is the whole stream's, in order.
    void hashesEveryChunkInOrder()
    {
        const QByteArray stream = randomBytes(24 * 1024 * 1024, 7);
        Sha256 hash;
        hash.update("prefix");   // a resumed upload's kept bytes, hashed before the hasher starts
        {
            BackgroundHasher hasher(hash);
            qint64 at = 0;
            for (qint64 size = 1; at < stream.size(); size = size * 3 % (3 * 1024 * 1024) + 1) {
                hasher.add(stream.mid(at, size));
                at += qMin(size, stream.size() - at);
            }
            hasher.finish();
        }
        QCOMPARE(hash.hexDigest(), Sha256::hex("prefix" + stream));
    }

    // waitUntilHashed(n) returns once at least n bytes are hashed, or everything added when that is less.
    void waitsUntilEnoughIsHashed()
    {
        const QByteArray chunk = randomBytes(4 * 1024 * 1024, 8);
        Sha256 hash;
        BackgroundHasher hasher(hash);
        for (int i = 0; i < 4; ++i)
            hasher.add(chunk);
        hasher.waitUntilHashed(8 * 1024 * 1024);
        hasher.waitUntilHashed(64 * 1024 * 1024);   // more than was added: all of it
        QCOMPARE(hash.hexDigest(), Sha256::hex(chunk + chunk + chunk + chunk));
        hasher.finish();   // nothing left: returns at once
    }

    void hashesAtALowerPriorityThanItsOwner()
    {
        const int owner = test::threadNiceness();
        if (owner >= 19)
            QSKIP("the test runs at the lowest priority already: there is none lower to see");
        const int expected = qMin(19, owner + BulkNiceness);
        QVERIFY(!test::otherThreadsNiceness().contains(expected));
        {
            Sha256 hash;
            BackgroundHasher hasher(hash);
            QTRY_VERIFY(test::otherThreadsNiceness().contains(expected));
            QCOMPARE(test::threadNiceness(), owner);
        }
        QVERIFY(!test::otherThreadsNiceness().contains(expected));   // the thread is gone
    }

    // An upload cut off mid-stream: the destructor drops what is queued and returns. (256 MiB take the hashing
    // thread, which runs at the lower priority, over 0.1 s; the adds take microseconds.)
    void stopsWithChunksQueued()
    {
        const QByteArray chunk = randomBytes(4 * 1024 * 1024, 9);
        Sha256 hash;
        auto hasher = std::make_unique<BackgroundHasher>(hash);
        for (int i = 0; i < 64; ++i)
            hasher->add(chunk);
        hasher.reset();
        QVERIFY(hash.hexDigest() != Sha256::hex(QByteArray(chunk).repeated(64)));   // not all of it was hashed
    }
};

QTEST_GUILESS_MAIN(TestBackgroundHasher)
#include "tst_backgroundhasher.moc"
