// keepBulkBuffersMapped() (common/protocol/BulkAllocator.*): buffers of a transfer's size come from the heap
// and stay there when freed, so the next chunk reuses mapped memory instead of faulting it in again. The first
// version compiled to an empty function (its #if ran before any header defined __GLIBC__) and TLS downloads
// stayed 4x slower; glibc's own statistics show whether the setting holds. alignedBulkBytes(): payload buffers
// that O_DIRECT can take as they are.

#include "BulkAllocator.h"

#include <QTest>

#include <cstdlib>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

class TestBulkAllocator : public QObject {
    Q_OBJECT

private slots:
    void transferSizedBuffersStayOnTheHeap()
    {
#if !defined(__GLIBC__)
        QSKIP("glibc only");
#elif defined(__SANITIZE_ADDRESS__) || (defined(__has_feature) && __has_feature(address_sanitizer))
        QSKIP("AddressSanitizer replaces malloc; mallopt does not apply");
#else
        ferry::keepBulkBuffersMapped();
        // A frame payload and a TLS flight: with glibc's defaults the first such buffer is mmapped.
        constexpr size_t ChunkBytes = 6 * 1024 * 1024;
        const struct mallinfo2 before = mallinfo2();
        void *chunk = std::malloc(ChunkBytes);
        QVERIFY(chunk);
        const struct mallinfo2 held = mallinfo2();
        QCOMPARE(held.hblkhd, before.hblkhd);   // not an mmapped block
        QVERIFY(held.arena >= before.arena + ChunkBytes / 2);
        std::free(chunk);
        const struct mallinfo2 after = mallinfo2();
        // Freed, the chunk's memory stays in the heap (not trimmed) for the next one.
        QVERIFY2(after.arena >= held.arena,
                 qPrintable(QStringLiteral("heap shrank from %1 to %2 bytes").arg(held.arena).arg(after.arena)));
#endif
    }

    // A received payload's buffer starts at a block boundary, so that O_DIRECT can write it as it is; it is an
    // ordinary QByteArray otherwise (sized, zero-terminated, freed as any, copied on write without losing bytes).
    void alignedBulkBytesStartAtABlockBoundary()
    {
        for (const qint64 size : {qint64(1), qint64(4096), qint64(64 * 1024 + 5), qint64(1024 * 1024), qint64(4 * 1024 * 1024)}) {
            QByteArray bytes = ferry::alignedBulkBytes(size);
            QCOMPARE(bytes.size(), size);
            QCOMPARE(quintptr(bytes.constData()) % ferry::BulkAlignment, quintptr(0));
            QCOMPARE(bytes.constData()[size], '\0');
            bytes.fill('x');
            QByteArray copy = bytes;
            copy[0] = 'y';   // detaches
            QCOMPARE(bytes.at(0), 'x');
            QCOMPARE(copy.size(), size);
            QCOMPARE(copy.mid(1), bytes.mid(1));
            bytes.append('z');   // grows: a new buffer, the same bytes
            QCOMPARE(bytes.size(), size + 1);
            QCOMPARE(bytes.back(), 'z');
        }
    }
};

QTEST_GUILESS_MAIN(TestBulkAllocator)
#include "tst_bulkallocator.moc"
