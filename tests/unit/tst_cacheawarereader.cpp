// CacheAwareReader (common/fileio): past its head, a file the page cache does not hold is read around it and
// stays out of it, while the head goes through the cache; a file it holds is copied from it; unaligned reads, the
// tail and a file shorter than asked read right; the descriptor is never left in O_DIRECT.

#include "BulkAllocator.h"
#include "CacheAwareReader.h"

#include <QByteArray>
#include <QFile>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <fcntl.h>
#include <unistd.h>

using namespace ferry;

namespace {
constexpr qint64 ChunkBytes = 1024 * 1024;
constexpr qint64 Head = CacheAwareReader::DirectFromBytes;   // always read through the cache
} // namespace

class TestCacheAwareReader : public QObject {
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void aFileTheCacheDoesNotHoldIsReadAroundItPastItsHead();
    void aFileTheCacheHoldsIsReadFromIt();
    void unalignedReadsAndTheTailReadThroughTheCache();
    void aFileShorterThanAskedEndsTheRead();

private:
    // Writes `bytes` into a new file in the temporary folder, drops its pages from the cache and opens it for
    // reading (m_fd); returns its path, empty on a failure.
    QString writeUncached(const QByteArray &bytes);
    // Reads [offset, offset + length) in chunks of ChunkBytes into aligned memory.
    QByteArray readAll(CacheAwareReader &reader, qint64 offset, qint64 length);

    QTemporaryDir *m_dir = nullptr;
    int m_fd = -1;
};

void TestCacheAwareReader::init()
{
    m_dir = new QTemporaryDir(QDir::currentPath() + QStringLiteral("/cachereader-XXXXXX"));
    QVERIFY(m_dir->isValid());
}

void TestCacheAwareReader::cleanup()
{
    if (m_fd >= 0)
        ::close(m_fd);
    m_fd = -1;
    delete m_dir;
    m_dir = nullptr;
}

QString TestCacheAwareReader::writeUncached(const QByteArray &bytes)
{
    const QString path = m_dir->filePath(QStringLiteral("file.bin"));
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.flush()
        || ::fdatasync(file.handle()) != 0)
        return {};
    m_fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_CLOEXEC);
    // The kernel may keep a page that is busy at the moment (another CPU's batch still holds it): ask again.
    for (int attempt = 0; attempt < 10 && CacheAwareReader::cachedBytes(m_fd, 0, bytes.size()) != 0; ++attempt) {
        if (::posix_fadvise(m_fd, 0, 0, POSIX_FADV_DONTNEED) != 0)
            return {};
    }
    return path;
}

QByteArray TestCacheAwareReader::readAll(CacheAwareReader &reader, qint64 offset, qint64 length)
{
    QByteArray all;
    for (qint64 at = offset; at < offset + length;) {
        const qint64 want = qMin(ChunkBytes, offset + length - at);
        QByteArray chunk = alignedBulkBytes(want);
        const qint64 got = reader.readAt(chunk.data(), want, at);
        if (got <= 0)
            break;
        all.append(chunk.constData(), got);
        at += got;
        if (got < want)
            break;
    }
    return all;
}

// Whether the file system reads `path` with O_DIRECT (decided apart from the reader under test).
static bool directReadsWork(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECT | O_CLOEXEC);
    if (fd < 0)
        return false;
    QByteArray block = alignedBulkBytes(CacheAwareReader::BlockBytes);
    const bool works = ::pread(fd, block.data(), block.size(), 0) == block.size();
    ::close(fd);
    return works;
}

static QByteArray randomBytes(qint64 size)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(42);
    generator.fillRange(reinterpret_cast<quint32 *>(bytes.data()), size / 4);
    return bytes;
}

void TestCacheAwareReader::aFileTheCacheDoesNotHoldIsReadAroundItPastItsHead()
{
    const QByteArray bytes = randomBytes(Head + 4 * ChunkBytes);
    const QString path = writeUncached(bytes);
    QVERIFY(!path.isEmpty() && m_fd >= 0);
    const qint64 cached = CacheAwareReader::cachedBytes(m_fd, 0, bytes.size());
    if (cached < 0)
        QSKIP("this kernel has no cachestat (Linux 6.5)");
    if (cached > 0)
        QSKIP("the kernel kept some of the file's pages in the cache");
    if (!directReadsWork(path))
        QSKIP("this file system refuses O_DIRECT");
    CacheAwareReader reader(m_fd);
    // Past the head first (reading the head ahead could pull the next pages into the cache).
    QVERIFY(readAll(reader, Head, bytes.size() - Head) == bytes.mid(Head));
    QCOMPARE(reader.directBytes(), bytes.size() - Head);
    QVERIFY(!CacheAwareReader::cacheHolds(m_fd, Head, ChunkBytes));   // around the cache: no page filled
    QVERIFY(!CacheAwareReader::cacheHolds(m_fd, bytes.size() - ChunkBytes, ChunkBytes));
    // The head goes through the cache and stays there for the next reader.
    QVERIFY(readAll(reader, 0, Head) == bytes.left(Head));
    QCOMPARE(reader.directBytes(), bytes.size() - Head);
    QVERIFY(CacheAwareReader::cacheHolds(m_fd, 0, Head));
    QVERIFY(!(::fcntl(m_fd, F_GETFL) & O_DIRECT));
    // The descriptor reads as an ordinary one afterwards (unaligned memory and offset).
    char small[10];
    QCOMPARE(::pread(m_fd, small, sizeof small, Head + 3), qint64(sizeof small));
    QCOMPARE(QByteArray(small, sizeof small), bytes.mid(Head + 3, sizeof small));
}

void TestCacheAwareReader::aFileTheCacheHoldsIsReadFromIt()
{
    const QByteArray bytes = randomBytes(Head + 2 * ChunkBytes);
    const QString path = writeUncached(bytes);
    QVERIFY(!path.isEmpty() && m_fd >= 0);
    QByteArray warm(bytes.size(), Qt::Uninitialized);
    QCOMPARE(::pread(m_fd, warm.data(), warm.size(), 0), qint64(bytes.size()));   // into the cache
    QVERIFY(CacheAwareReader::cacheHolds(m_fd, 0, bytes.size()));
    CacheAwareReader reader(m_fd);
    QVERIFY(readAll(reader, 0, bytes.size()) == bytes);
    QCOMPARE(reader.directBytes(), 0);
}

void TestCacheAwareReader::unalignedReadsAndTheTailReadThroughTheCache()
{
    const QByteArray bytes = randomBytes(Head + 3 * ChunkBytes + 1234);
    const QString path = writeUncached(bytes);
    QVERIFY(!path.isEmpty() && m_fd >= 0);
    CacheAwareReader reader(m_fd);
    // The whole file: whole blocks past the head (maybe around the cache), then the tail of 1234 bytes through it.
    QVERIFY(readAll(reader, 0, bytes.size()) == bytes);
    QVERIFY(reader.directBytes() <= bytes.size() - Head - 1234);
    QCOMPARE(reader.directBytes() % CacheAwareReader::BlockBytes, 0);
    // An offset within a block (a resumed transfer) and memory that is not aligned.
    QVERIFY(readAll(reader, Head + 100, bytes.size() - Head - 100) == bytes.mid(Head + 100));
    QByteArray unaligned(ChunkBytes + 1, Qt::Uninitialized);
    QCOMPARE(reader.readAt(unaligned.data() + 1, ChunkBytes, Head + ChunkBytes), ChunkBytes);
    QVERIFY(QByteArray(unaligned.constData() + 1, ChunkBytes) == bytes.mid(Head + ChunkBytes, ChunkBytes));
    QVERIFY(!(::fcntl(m_fd, F_GETFL) & O_DIRECT));
}

void TestCacheAwareReader::aFileShorterThanAskedEndsTheRead()
{
    const QByteArray bytes = randomBytes(Head + 2 * ChunkBytes + 5000);
    const QString path = writeUncached(bytes);
    QVERIFY(!path.isEmpty() && m_fd >= 0);
    CacheAwareReader reader(m_fd);
    // Asked for a chunk that runs 1 MiB past the end (the file shrank after the transfer began).
    QByteArray chunk = alignedBulkBytes(2 * ChunkBytes);
    QCOMPARE(reader.readAt(chunk.data(), 2 * ChunkBytes, Head + ChunkBytes), ChunkBytes + 5000);
    QVERIFY(QByteArray(chunk.constData(), ChunkBytes + 5000) == bytes.mid(Head + ChunkBytes));
    QCOMPARE(reader.readAt(chunk.data(), ChunkBytes, bytes.size()), 0);
    QVERIFY(!(::fcntl(m_fd, F_GETFL) & O_DIRECT));
}

QTEST_GUILESS_MAIN(TestCacheAwareReader)
#include "tst_cacheawarereader.moc"
