// An LD_PRELOAD module for tests that run a real ferry-cli over a slow disk: every pwrite() to a Ferry part file
// (".ferry-part-" in its name) at or past FERRY_TEST_SLOW_FROM bytes first waits FERRY_TEST_SLOW_MS milliseconds.
// The client's download writer then falls behind what arrives, as it does on a disk slower than the network, and
// its backlog fills: what an interrupted download must still write before it exits (tst_cliput).

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>

#include <dlfcn.h>
#include <unistd.h>

namespace {

using PwriteFunction = ssize_t (*)(int, const void *, size_t, off_t);

long long environmentNumber(const char *name)
{
    const char *text = std::getenv(name);
    return text ? std::atoll(text) : 0;
}

bool isPartFile(int fd)
{
    char link[64];
    char path[4096];
    std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    const ssize_t length = ::readlink(link, path, sizeof path - 1);
    if (length <= 0)
        return false;
    path[length] = '\0';
    return std::strstr(path, "/.ferry-part-") != nullptr;
}

ssize_t slowPwrite(const char *realName, int fd, const void *data, size_t count, off_t offset)
{
    static const long long slowFrom = environmentNumber("FERRY_TEST_SLOW_FROM");
    static const long long slowMs = environmentNumber("FERRY_TEST_SLOW_MS");
    const auto real = reinterpret_cast<PwriteFunction>(::dlsym(RTLD_NEXT, realName));
    if (!real) {
        errno = ENOSYS;
        return -1;
    }
    if (slowMs > 0 && offset >= slowFrom && isPartFile(fd)) {
        const int savedErrno = errno;
        struct timespec wait = {time_t(slowMs / 1000), long(slowMs % 1000) * 1000000L};
        while (::nanosleep(&wait, &wait) != 0 && errno == EINTR) {
        }
        errno = savedErrno;
    }
    return real(fd, data, count, offset);
}

} // namespace

extern "C" ssize_t pwrite(int fd, const void *data, size_t count, off_t offset)
{
    return slowPwrite("pwrite", fd, data, count, offset);
}

extern "C" ssize_t pwrite64(int fd, const void *data, size_t count, off_t offset)
{
    return slowPwrite("pwrite64", fd, data, count, offset);
}
