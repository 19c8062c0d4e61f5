#pragma once
// How much of a file's range sits in the page cache (mincore on a mapping of it), for tests of writes that go
// around the cache. Header-only: unit tests that link no test-support library include it too.

#include <QFile>

#include <algorithm>
#include <optional>
#include <vector>

#include <sys/mman.h>
#include <unistd.h>

namespace ferry::test {

struct CachedPages {
    qint64 cached = 0;
    qint64 total = 0;
};

// The resident pages of [from, from + length) of an open file; nothing when it cannot be mapped.
inline std::optional<CachedPages> cachedPages(QFile &file, qint64 from, qint64 length)
{
    uchar *map = file.map(from, length);
    if (!map)
        return std::nullopt;
    const long page = ::sysconf(_SC_PAGESIZE);
    std::vector<unsigned char> resident(size_t((length + page - 1) / page));
    const bool looked = ::mincore(map, size_t(length), resident.data()) == 0;
    file.unmap(map);
    if (!looked)
        return std::nullopt;
    const auto cached = std::count_if(resident.begin(), resident.end(), [](unsigned char r) { return r & 1; });
    return CachedPages{qint64(cached), qint64(resident.size())};
}

} // namespace ferry::test
