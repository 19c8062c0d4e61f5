#include "BulkAllocator.h"

#include <cstdlib>   // defines __GLIBC__ on glibc systems

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace ferry {

namespace {
// Larger than any buffer a transfer allocates (a 4 MiB payload plus a TLS flight), so none is mmapped.
constexpr int BulkMmapThresholdBytes = 16 * 1024 * 1024;
// Freed memory kept at the top of a heap before it is returned: a few transfers' worth of buffers.
constexpr int BulkTrimThresholdBytes = 32 * 1024 * 1024;
}

QByteArray alignedBulkBytes(qint64 size)
{
    QArrayData *header = nullptr;
    // One byte more for the terminating zero every QByteArray keeps after its data.
    void *data = QArrayData::allocate(&header, 1, BulkAlignment, size + 1, QArrayData::KeepSize);
    if (!data)
        return QByteArray(size, Qt::Uninitialized);   // out of memory: fails as any QByteArray allocation does
    static_cast<char *>(data)[size] = '\0';
    return QByteArray(QByteArray::DataPointer(static_cast<QTypedArrayData<char> *>(header),
                                              static_cast<char *>(data), size));
}

void keepBulkBuffersMapped()
{
#if defined(__GLIBC__)
    // Setting either value also turns off glibc's own adjustment of them, which does not hold here: a
    // buffer freed at the top of the heap is trimmed at twice the last mmap size.
    mallopt(M_MMAP_THRESHOLD, BulkMmapThresholdBytes);
    mallopt(M_TRIM_THRESHOLD, BulkTrimThresholdBytes);
#endif
}

} // namespace ferry
