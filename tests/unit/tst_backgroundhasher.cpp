// BackgroundHasher (common/fileio): hashes what it is given, in order, on a thread of its own at a lower CPU
// priority; says when too much is queued and when that is over; calls back once everything is hashed; destroyed
// with chunks still queued, it stops without calling back.

#include "BackgroundHasher.h"
#include "Sha256.h"
#include "ThreadNiceness.h"
#include "ThreadPriority.h"

#include <QDeadlineTimer>
#include <QRandomGenerator>
#include <QSemaphore>
#include <QTest>

#include <atomic>
#include <thread>

using namespace ferry;

namespace {

QByteArray randomBytes(qint64 size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    generator.fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    return bytes;
}

constexpr qint64 MiB = 1024 * 1024;

} // namespace

class TestBackgroundHasher : public QObject {
    Q_OBJECT

private slots:
    // Chunks of different sizes, added faster than they are hashed: the hash is the whole stream's, in order,
    // once whenHashed() called back.
    void hashesEveryChunkInOrder()
    {
        const QByteArray stream = randomBytes(24 * MiB, 7);
        Sha256 hash;
        hash.update("prefix");   // a resumed upload's kept bytes, hashed before the hasher starts
        QSemaphore hashed;
        BackgroundHasher hasher(hash, 1024 * MiB, {});
        qint64 at = 0;
        for (qint64 size = 1; at < stream.size(); size = size * 3 % (3 * MiB) + 1) {
            hasher.add(stream.mid(at, size));
            at += qMin(size, stream.size() - at);
        }
        hasher.whenHashed([&] { hashed.release(); });
        QVERIFY(hashed.tryAcquire(1, 60000));
        QCOMPARE(hash.hexDigest(), Sha256::hex("prefix" + stream));
    }

    // Nothing queued: whenHashed() calls back at once, on the caller's thread.
    void callsBackAtOnceWhenNothingIsQueued()
    {
        Sha256 hash;
        BackgroundHasher hasher(hash, MiB, {});
        bool called = false;
        hasher.whenHashed([&] { called = true; });
        QVERIFY(called);
        QCOMPARE(hash.hexDigest(), Sha256::hex({}));
    }

    // add() says "full" past the limit, and `onRoom` follows once the queue is down to half of it.
    void saysWhenTooMuchIsQueuedAndWhenThatIsOver()
    {
        const QByteArray chunk = randomBytes(MiB, 8);
        Sha256 hash;
        std::atomic<int> rooms{0};
        BackgroundHasher hasher(hash, 4 * MiB, [&] { ++rooms; });
        int fullAt = -1;
        for (int i = 0; i < 64 && fullAt < 0; ++i) {
            if (hasher.add(chunk))
                fullAt = i;
        }
        QVERIFY2(fullAt >= 4, "full before more than the limit was queued");
        QTRY_COMPARE(rooms.load(), 1);
        QSemaphore hashed;
        hasher.whenHashed([&] { hashed.release(); });
        QVERIFY(hashed.tryAcquire(1, 60000));
        QCOMPARE(hash.hexDigest(), Sha256::hex(QByteArray(chunk).repeated(fullAt + 1)));
        QCOMPARE(rooms.load(), 1);   // not again without another "full"
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
            BackgroundHasher hasher(hash, MiB, {});
            QCOMPARE(BackgroundHasher::alive(), 1);
            QTRY_VERIFY(test::otherThreadsNiceness().contains(expected));
            QCOMPARE(test::threadNiceness(), owner);
        }
        QCOMPARE(BackgroundHasher::alive(), 0);
        QVERIFY(!test::otherThreadsNiceness().contains(expected));   // the thread is gone
    }

    // An upload cut off mid-stream: the destructor drops what is queued and returns, without calling back.
    // Stopped while its thread hashes a chunk, with more queued: those are dropped, and the callback waiting for
    // the end is never called. (It was, by the thread finishing that chunk: the destructor had emptied the queue,
    // which then looked hashed.) The thread is made to be hashing at the stop: it reports room after a first big
    // chunk, with a second one still to hash.
    void stopsWithChunksQueued()
    {
        const QByteArray big = randomBytes(96 * MiB, 9);
        const QByteArray second = QByteArray::fromRawData(big.constData(), int(40 * MiB));   // ~25 ms to hash
        const QByteArray chunk = big.left(int(4 * MiB));
        constexpr int MoreChunks = 64;
        Sha256 hash;
        std::atomic<bool> room{false}, called{false};
        // More than 130 MiB queued is "too much"; room once at most half of that is left: after the first chunk.
        auto hasher = std::make_unique<BackgroundHasher>(hash, 130 * MiB, [&] { room = true; });
        hasher->add(big);
        QVERIFY(hasher->add(second));   // 136 MiB queued
        QDeadlineTimer deadline(30000);
        while (!room && !deadline.hasExpired())
            std::this_thread::yield();
        QVERIFY(room);
        for (int i = 0; i < MoreChunks; ++i)
            hasher->add(chunk);
        hasher->whenHashed([&] { called = true; });
        hasher.reset();
        QVERIFY(!called);
        Sha256 whole;
        whole.update(big);
        whole.update(second);
        for (int i = 0; i < MoreChunks; ++i)
            whole.update(chunk);
        QVERIFY(hash.hexDigest() != whole.hexDigest());   // not all of it was hashed
    }
};

QTEST_GUILESS_MAIN(TestBackgroundHasher)
#include "tst_backgroundhasher.moc"
