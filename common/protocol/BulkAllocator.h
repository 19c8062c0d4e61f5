#pragma once

#include <QByteArray>

namespace ferry {

// Keeps the C allocator from handing transfer buffers back to the kernel after every chunk. Call once, first
// thing in main(), in every program that moves file contents (ferryd, ferry, ferry-cli).
//
// Why: a transfer allocates and frees buffers of about a MiB many times a second (file chunks, frame payloads,
// and Qt's TLS buffers, which grow to a whole TLS flight). glibc serves such sizes with mmap or trims them off
// the heap when freed, so every chunk page-faults its memory back in: measured here that cost more CPU than
// the encryption and hashing together (a 512 MiB TLS download: 6.7 s with the defaults, 1.3 s with this).
// The price is that up to BulkTrimThresholdBytes of freed memory per allocator arena stays mapped.
// ferryd is linked with jemalloc where the build finds it (server/CMakeLists.txt), which keeps freed pages for
// seconds by itself; this then only sets glibc's unused allocator.
void keepBulkBuffersMapped();

// Where alignedBulkBytes() starts its data: the block size that O_DIRECT asks of buffers on every device.
inline constexpr qint64 BulkAlignment = 4096;

// `size` uninitialised bytes whose data starts at a BulkAlignment boundary: a received payload in such a buffer
// goes to a file written with O_DIRECT (PartFileWriter) as it is, instead of through a copy into an aligned
// buffer (that copy was 8 % of ferryd's samples in a 1 GiB upload). It stays an ordinary QByteArray, with up to
// BulkAlignment bytes more allocated; a copy that detaches it loses the alignment, never the bytes.
QByteArray alignedBulkBytes(qint64 size);

} // namespace ferry
