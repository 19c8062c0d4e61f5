// FileChunkReader (common/fileio): hands out a file range in order, in chunks, on the caller's thread (small
// ranges) or read ahead on its own (big ones, at a lower CPU priority); hashes exactly what it handed out; says when
// the file ended early.

#include "FileChunkReader.h"
#include "ThreadPriority.h"
#include "Sha256.h"
#include "ThreadNiceness.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;

namespace {

QByteArray randomBytes(qint64 size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(42);
    generator.fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    return bytes;
}

} // namespace

class TestFileChunkReader : public QObject {
    Q_OBJECT

private slots:
    void handsOutTheRangeInOrderAndHashesIt_data()
    {
        QTest::addColumn<qint64>("from");
        QTest::addColumn<qint64>("readAhead");
        QTest::newRow("small range, caller's thread") << FileChunkReader::BackgroundMinBytes + 4096 << qint64(1 << 20);
        QTest::newRow("whole file, reader thread") << qint64(0) << qint64(4 << 20);
        QTest::newRow("reader thread, read-ahead under a chunk") << qint64(12345) << qint64(1);
    }

    void handsOutTheRangeInOrderAndHashesIt()
    {
        QFETCH(qint64, from);
        QFETCH(qint64, readAhead);
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("source")));
        const QByteArray content = randomBytes(FileChunkReader::BackgroundMinBytes + 3 * 1024 * 1024 + 4);
        QVERIFY(file.open(QIODevice::ReadWrite));
        QCOMPARE(file.write(content), content.size());
        QVERIFY(file.flush());

        Sha256 hash;
        hash.update(content.left(from));   // a resumed upload's hash covers the server's part too
        FileChunkReader reader(file.handle(), from, content.size(), 1024 * 1024, readAhead, &hash);
        QByteArray taken;
        QString error;
        for (;;) {
            const QByteArray chunk = reader.take(&error);
            if (chunk.isEmpty())
                break;
            QVERIFY(chunk.size() <= 1024 * 1024);
            taken += chunk;
        }
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(taken.size(), content.size() - from);
        QVERIFY(taken == content.mid(from));
        QCOMPARE(hash.hexDigest(), Sha256::hex(content));
    }

    void saysWhenTheFileEndedEarly_data()
    {
        QTest::addColumn<qint64>("declared");
        QTest::newRow("caller's thread") << qint64(2 * 1024 * 1024);
        QTest::newRow("reader thread") << FileChunkReader::BackgroundMinBytes + 1;
    }

    void saysWhenTheFileEndedEarly()
    {
        QFETCH(qint64, declared);
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("source")));
        QVERIFY(file.open(QIODevice::ReadWrite));
        QCOMPARE(file.write(randomBytes(1024 * 1024 + 8)), 1024 * 1024 + 8);   // shorter than declared
        QVERIFY(file.flush());
        FileChunkReader reader(file.handle(), 0, declared, 1024 * 1024, 4 * 1024 * 1024, nullptr);
        QString error;
        QCOMPARE(reader.take(&error).size(), 1024 * 1024);
        QVERIFY(reader.take(&error).isEmpty());
        QVERIFY2(error.contains(QLatin1String("shorter")), qPrintable(error));
    }

    void stopsWithChunksNotTaken()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("source")));
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.resize(FileChunkReader::BackgroundMinBytes * 2));
        {
            FileChunkReader reader(file.handle(), 0, file.size(), 1024 * 1024, 2 * 1024 * 1024, nullptr);
            QString error;
            QCOMPARE(reader.take(&error).size(), 1024 * 1024);
        }   // a cancelled upload: the destructor stops a thread that waits for room in its queue
        QVERIFY(file.isOpen());
    }

    void readsAheadAtALowerPriorityThanTheSender()
    {
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("source")));
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.resize(FileChunkReader::BackgroundMinBytes * 2));
        const int sender = test::threadNiceness();
        const int expected = qMin(19, sender + BulkNiceness);
        if (sender >= 19)
            QSKIP("the test runs at the lowest priority already: there is none lower to see");
        QVERIFY(!test::otherThreadsNiceness().contains(expected));
        {
            FileChunkReader reader(file.handle(), 0, file.size(), 1024 * 1024, 2 * 1024 * 1024, nullptr);
            QString error;
            QCOMPARE(reader.take(&error).size(), 1024 * 1024);   // the reader thread runs (and waits for room)
            QTRY_VERIFY(test::otherThreadsNiceness().contains(expected));
            QCOMPARE(test::threadNiceness(), sender);   // the sender keeps its own
        }
        QVERIFY(!test::otherThreadsNiceness().contains(expected));   // the thread is gone
    }
};

QTEST_GUILESS_MAIN(TestFileChunkReader)
#include "tst_filechunkreader.moc"
