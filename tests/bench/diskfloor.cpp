// ferry-diskfloor: what the disk under a folder allows, without Ferry: the floor a durable transfer cannot beat.
// Not a ctest test; see docs/PERFORMANCE.md ("What the disk allows", session 26).
//
//   cmake --build build --target ferry-diskfloor && build/tests/ferry-diskfloor [FOLDER] [MiB] [WRITE-MiB]
//
// 1. Durable writes as Ferry's PartFileWriter makes them: MiB (default 1024) of WRITE-MiB (default 1) O_DIRECT appends of
//    random bytes on one thread, a flush thread calling fdatasync every N MiB (N = none, 16, 64), then a final
//    fdatasync. Each setting runs idle and again with both cores busy (one spinning thread per core, at nice 10,
//    as a transfer's hashing and encryption keep them). Printed: time in the writes, writes that took over 4 ms,
//    the final sync, the total. A flush of another file ("other") shows whether a flush stalls every write of
//    the device or only the file's own.
// 2. Creating 2000 files of 4 KiB in a new folder, in a fresh state and right after 2000 others were deleted
//    (ext4 without a journal skips inodes deleted in the last 5 s, or 305 s while their inode table block is
//    still dirty, one at a time: this is the small-file workload's "slow mode").

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

constexpr long ChunkBytes = 1 << 20;
constexpr long Alignment = 4096;
long writeBytes = ChunkBytes;   // the size of each O_DIRECT append (a whole number of MiB, at most 64)

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// Keeps every core busy at a low priority while it lives.
class BusyCores {
public:
    explicit BusyCores(bool on)
    {
        if (!on)
            return;
        const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
        for (unsigned i = 0; i < cores; ++i)
            m_threads.emplace_back([this] {
                setpriority(PRIO_PROCESS, 0, 10);   // Linux: the calling thread only
                volatile unsigned long spin = 0;
                while (!m_stop.load(std::memory_order_relaxed))
                    spin = spin + 1;
            });
    }
    ~BusyCores()
    {
        m_stop = true;
        for (std::thread &thread : m_threads)
            thread.join();
    }

private:
    std::atomic<bool> m_stop{false};
    std::vector<std::thread> m_threads;
};

struct WriteRun {
    const char *flushMode;   // "none", "self" or "other"
    long flushStepMiB;
    bool busy;
};

bool durableWrites(const std::string &folder, long totalMiB, const WriteRun &run, const char *source)
{
    const std::string path = folder + "/ferry-diskfloor.bin";
    const std::string otherPath = folder + "/ferry-diskfloor.other";
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_DIRECT, 0600);
    const int otherFd = ::open(otherPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd < 0 || otherFd < 0) {
        std::perror("open (O_DIRECT)");
        return false;
    }
    char *buffer = static_cast<char *>(std::aligned_alloc(Alignment, writeBytes));
    std::atomic<long> written{0};
    std::atomic<bool> done{false};
    double flushSeconds = 0;
    int flushes = 0;
    const bool flushing = std::strcmp(run.flushMode, "none") != 0;
    const bool flushOther = std::strcmp(run.flushMode, "other") == 0;

    BusyCores busy(run.busy);
    std::thread flusher;
    if (flushing)
        flusher = std::thread([&] {
            long flushedAt = 0;
            while (!done) {
                if (written - flushedAt < run.flushStepMiB * ChunkBytes) {
                    std::this_thread::sleep_for(std::chrono::microseconds(200));
                    continue;
                }
                flushedAt = written;
                const double start = now();
                if (flushOther) {
                    (void)!::pwrite(otherFd, "x", 1, 0);
                    ::fdatasync(otherFd);
                } else {
                    ::fdatasync(fd);
                }
                flushSeconds += now() - start;
                ++flushes;
            }
        });

    const double start = now();
    double writeSeconds = 0;
    int slowWrites = 0;
    bool ok = true;
    for (long offset = 0; offset < totalMiB * ChunkBytes; offset += writeBytes) {
        std::memcpy(buffer, source + (offset / writeBytes % (64 * ChunkBytes / writeBytes)) * writeBytes, writeBytes);
        const double before = now();
        if (::pwrite(fd, buffer, writeBytes, offset) != writeBytes) {
            std::perror("pwrite");
            ok = false;
            break;
        }
        const double took = now() - before;
        writeSeconds += took;
        slowWrites += took > 0.004;
        written = offset + writeBytes;
    }
    const double wrote = now();
    done = true;
    if (flusher.joinable())
        flusher.join();
    ::fdatasync(fd);
    const double end = now();
    if (ok)
        std::printf("  flush %-5s every %3ld MiB, %-4s: in writes %.3f s (%4d over 4 ms), flushes %2d (%.3f s), "
                    "final sync %.3f s, total %.3f s\n",
                    run.flushMode, flushing ? run.flushStepMiB : 0, run.busy ? "busy" : "idle", writeSeconds,
                    slowWrites, flushes, flushSeconds, end - wrote, end - start);
    ::close(fd);
    ::close(otherFd);
    ::unlink(path.c_str());
    ::unlink(otherPath.c_str());
    std::free(buffer);
    return ok;
}

double createFiles(const std::string &folder, const std::vector<char> &content)
{
    ::mkdir(folder.c_str(), 0700);
    const double start = now();
    for (int i = 0; i < 2000; ++i) {
        const std::string name = folder + "/f" + std::to_string(i);
        const int fd = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
        if (fd < 0 || ::write(fd, content.data(), content.size()) != ssize_t(content.size())) {
            std::perror("create");
            return -1;
        }
        ::close(fd);
    }
    return now() - start;
}

void removeFiles(const std::string &folder)
{
    for (int i = 0; i < 2000; ++i)
        ::unlink((folder + "/f" + std::to_string(i)).c_str());
    ::rmdir(folder.c_str());
}

} // namespace

int main(int argc, char **argv)
{
    const std::string folder = argc > 1 ? argv[1] : ".";
    const long totalMiB = argc > 2 ? std::atol(argv[2]) : 1024;
    const long writeMiB = argc > 3 ? std::atol(argv[3]) : 1;
    if (writeMiB < 1 || writeMiB > 64 || 64 % writeMiB != 0 || totalMiB % writeMiB != 0) {
        std::fprintf(stderr, "the write size must divide 64 MiB and the total\n");
        return 2;
    }
    writeBytes = writeMiB * ChunkBytes;
    std::mt19937_64 random(42);
    std::vector<char> source(64 * ChunkBytes);   // random bytes, so that no layer below can compress them
    for (size_t i = 0; i < source.size(); i += 8) {
        const unsigned long long value = random();
        std::memcpy(source.data() + i, &value, 8);
    }

    std::printf("durable writes of %ld MiB into %s (%ld MiB O_DIRECT appends)\n", totalMiB, folder.c_str(), writeMiB);
    const WriteRun runs[] = {{"none", 0, false},  {"self", 16, false}, {"self", 64, false}, {"other", 16, false},
                             {"none", 0, true},   {"self", 16, true},  {"self", 64, true}};
    for (const WriteRun &run : runs)
        if (!durableWrites(folder, totalMiB, run, source.data()))
            return 1;

    std::printf("2000 creates of 4 KiB in a new folder\n");
    const std::vector<char> content(4096, 'f');
    const std::string a = folder + "/ferry-diskfloor-a", b = folder + "/ferry-diskfloor-b";
    const double fresh = createFiles(a, content);
    removeFiles(a);
    const double afterDelete = createFiles(b, content);
    removeFiles(b);
    std::printf("  fresh %.3f s; right after deleting 2000 files %.3f s\n", fresh, afterDelete);
    return fresh < 0 || afterDelete < 0 ? 1 : 0;
}
