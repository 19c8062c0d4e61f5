// keepBulkBuffersMapped() (common/protocol/BulkAllocator.*): buffers of a transfer's size come from the heap
// and stay there when freed, so the next chunk reuses mapped memory instead of faulting it in again. The first
// version compiled to an empty function (its #if ran before any header defined __GLIBC__) and TLS downloads
// stayed 4x slower; glibc's own statistics show whether the setting holds.

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
};

QTEST_GUILESS_MAIN(TestBulkAllocator)
#include "tst_bulkallocator.moc"
