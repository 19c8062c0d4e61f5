// ferry-wirefloor: the floor under a verified, encrypted, durable transfer on this machine, without Ferry. Two
// processes on loopback TCP do only what Ferry's design must do for one big file, with OpenSSL and the kernel and
// nothing else (no frames, JSON, Qt, login or process start): the sender reads the file from the page cache, hashes
// it (SHA-256, an upload's client; a download's server has the hash stored and skips it) and sends it in TLS 1.3
// (AES-256-GCM, as Ferry negotiates); the receiver decrypts, hashes and writes it with O_DIRECT, an fdatasync every
// 16 MiB on a thread of its own and one at the end (as PartFileWriter does; a download's receiver writes through
// the page cache while a flush runs, as ferry-cli does), then sends its hash back, which the sender checks. Each
// step has a thread of its own on both sides, with up to 32 MiB in flight between them, so the two cores overlap
// everything the design allows. Not a ctest test; see docs/PERFORMANCE.md (session 33).
//
//   cmake --build build --target ferry-wirefloor
//   build/tests/ferry-wirefloor FILE DEST [up|down] [tls|plain] [FLUSH-MiB|cache]
//
// up (default): both ends hash, as an upload; down: only the receiver does, as a download of a stored file.
// plain: no TLS (what encryption costs). FLUSH-MiB: the flush-behind step (0: only the last fdatasync); cache:
// written through the page cache and synced once at the end, as FTP and rsync servers would with a sync after.
// Prints the wall time from connect to the receiver's hash (after its last fdatasync), each side's CPU time (user +
// system) by thread, and the receiver's wall time in writes and in its last fdatasync.

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace {

constexpr size_t ChunkBytes = 1 << 20;
constexpr int ChunksInFlight = 32;
long flushStepBytes = 16L << 20;   // 0: only the last fdatasync
bool direct = true;                 // else written through the page cache (as FTP and rsync servers do)
bool cacheWhileFlushing = false;    // direct, except while a flush runs (as Ferry's client downloads)
constexpr size_t Alignment = 4096;

double now()
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double threadCpuSeconds()
{
    timespec spent{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spent);
    return double(spent.tv_sec) + spent.tv_nsec / 1e9;
}

double cpuSeconds(int who)
{
    rusage usage{};
    getrusage(who, &usage);
    const timeval &user = usage.ru_utime, &system = usage.ru_stime;
    return double(user.tv_sec + system.tv_sec) + double(user.tv_usec + system.tv_usec) / 1e6;
}

[[noreturn]] void die(const char *what)
{
    std::fprintf(stderr, "ferry-wirefloor: %s: %s\n", what, std::strerror(errno));
    ERR_print_errors_fp(stderr);
    std::exit(1);
}

struct Chunk {
    char *data = nullptr;
    size_t length = 0;   // 0: the end
};

// A bounded hand-over between two threads.
class Queue {
public:
    void push(Chunk chunk)
    {
        {
            std::lock_guard<std::mutex> lock(m_mutex);
            m_chunks.push_back(chunk);
        }
        m_wake.notify_one();
    }
    Chunk pop()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_wake.wait(lock, [this] { return !m_chunks.empty(); });
        const Chunk chunk = m_chunks.front();
        m_chunks.pop_front();
        return chunk;
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::deque<Chunk> m_chunks;
};

// The buffers in flight: aligned for O_DIRECT; a thread that needs one waits until one is back.
class Pool {
public:
    Pool()
    {
        for (int i = 0; i < ChunksInFlight; ++i)
            m_free.push(Chunk{static_cast<char *>(std::aligned_alloc(Alignment, ChunkBytes)), 0});
    }
    Chunk take() { return m_free.pop(); }
    void give(Chunk chunk) { m_free.push(chunk); }

private:
    Queue m_free;
};

// The connection: TLS 1.3 or plain TCP.
class Channel {
public:
    Channel(int fd, SSL *ssl) : m_fd(fd), m_ssl(ssl) {}
    void sendAll(const char *data, size_t length)
    {
        while (length > 0) {
            const long sent = m_ssl ? SSL_write(m_ssl, data, int(length)) : ::send(m_fd, data, length, 0);
            if (sent <= 0)
                die("send");
            data += sent;
            length -= size_t(sent);
        }
        if (m_ssl && BIO_flush(SSL_get_wbio(m_ssl)) != 1)
            die("send");
    }
    void receiveAll(char *data, size_t length)
    {
        while (length > 0) {
            const long got = m_ssl ? SSL_read(m_ssl, data, int(length)) : ::recv(m_fd, data, length, 0);
            if (got <= 0)
                die("receive");
            data += got;
            length -= size_t(got);
        }
    }

private:
    int m_fd;
    SSL *m_ssl;
};

// A self-signed ECDSA P-256 certificate, as ferryd makes once.
SSL_CTX *serverContext()
{
    EVP_PKEY *key = EVP_EC_gen("P-256");
    X509 *certificate = X509_new();
    if (!key || !certificate)
        die("key");
    X509_set_version(certificate, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(certificate), 1);
    X509_gmtime_adj(X509_getm_notBefore(certificate), 0);
    X509_gmtime_adj(X509_getm_notAfter(certificate), 3600);
    X509_set_pubkey(certificate, key);
    X509_NAME *name = X509_get_subject_name(certificate);
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>("floor"), -1, -1, 0);
    X509_set_issuer_name(certificate, name);
    if (!X509_sign(certificate, key, EVP_sha256()))
        die("certificate");
    SSL_CTX *context = SSL_CTX_new(TLS_server_method());
    SSL_CTX_set_min_proto_version(context, TLS1_3_VERSION);
    SSL_CTX_set_ciphersuites(context, "TLS_AES_256_GCM_SHA384");
    if (!SSL_CTX_use_certificate(context, certificate) || !SSL_CTX_use_PrivateKey(context, key))
        die("certificate");
    return context;
}

// Records leave and arrive through a buffering BIO, as in Ferry's TlsSocket: several per system call each way,
// and no read-ahead (which moves the bytes left in its buffer before each record).
SSL *newConnection(SSL_CTX *context, int fd)
{
    SSL *ssl = SSL_new(context);
    BIO *socket = BIO_new_socket(fd, BIO_NOCLOSE);
    BIO *buffer = BIO_new(BIO_f_buffer());
    if (!ssl || !socket || !buffer || BIO_set_read_buffer_size(buffer, 256 * 1024) != 1
        || BIO_set_write_buffer_size(buffer, 64 * 1024) != 1)
        die("TLS");
    BIO_push(buffer, socket);
    SSL_set_bio(ssl, buffer, buffer);
    return ssl;
}

// TLS on `fd`, as the server or the client; none (plain TCP) without a context.
SSL *handshake(SSL_CTX *context, int fd, bool asServer)
{
    if (!context)
        return nullptr;
    SSL *ssl = newConnection(context, fd);
    if ((asServer ? SSL_accept(ssl) : SSL_connect(ssl)) != 1)
        die("TLS handshake");
    return ssl;
}

SSL_CTX *clientContext()
{
    SSL_CTX *context = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_min_proto_version(context, TLS1_3_VERSION);
    SSL_CTX_set_ciphersuites(context, "TLS_AES_256_GCM_SHA384");
    SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nullptr);
    return context;
}

void hashThread(Queue &in, Queue &out, unsigned char *digest, double *cpu)
{
    EVP_MD_CTX *hash = EVP_MD_CTX_new();
    EVP_DigestInit_ex(hash, EVP_sha256(), nullptr);
    for (;;) {
        const Chunk chunk = in.pop();
        EVP_DigestUpdate(hash, chunk.data, chunk.length);
        out.push(chunk);
        if (chunk.length == 0)
            break;
    }
    EVP_DigestFinal_ex(hash, digest, nullptr);
    EVP_MD_CTX_free(hash);
    *cpu = threadCpuSeconds();
}

// Each thread's CPU time, in seconds.
struct ThreadTimes {
    double io = 0;        // the sender's reader, the receiver's writer
    double hash = 0;
    double channel = 0;   // encrypting and sending, or receiving and decrypting
    double flush = 0;     // the receiver's flushing thread
    double inWrites = 0;  // wall time the receiver's writer spent in pwrite (waiting for the disk)
    double lastSync = 0;  // wall time of the receiver's last fdatasync
};

// Sender: reader thread → (hashing thread) → this thread, which encrypts and sends.
double send(const char *file, Channel &channel, bool hash, ThreadTimes &times)
{
    const int fd = ::open(file, O_RDONLY);
    if (fd < 0)
        die(file);
    const long long size = ::lseek(fd, 0, SEEK_END);
    channel.sendAll(reinterpret_cast<const char *>(&size), sizeof size);
    Pool pool;
    Queue read, hashed;
    unsigned char digest[32] = {};
    std::thread reader([&] {
        for (long long at = 0; at < size;) {
            Chunk chunk = pool.take();
            const ssize_t got = ::pread(fd, chunk.data, ChunkBytes, at);
            if (got <= 0)
                die("read");
            chunk.length = size_t(got);
            at += got;
            read.push(chunk);
        }
        read.push(Chunk{});
        times.io = threadCpuSeconds();
    });
    std::thread hasher;
    if (hash)
        hasher = std::thread(hashThread, std::ref(read), std::ref(hashed), digest, &times.hash);
    Queue &toSend = hash ? hashed : read;
    for (;;) {
        const Chunk chunk = toSend.pop();
        if (chunk.length == 0)
            break;
        channel.sendAll(chunk.data, chunk.length);
        pool.give(chunk);
    }
    times.channel = threadCpuSeconds();
    reader.join();
    if (hasher.joinable())
        hasher.join();
    unsigned char theirs[32];
    channel.receiveAll(reinterpret_cast<char *>(theirs), sizeof theirs);
    ::close(fd);
    if (hash && std::memcmp(digest, theirs, sizeof digest) != 0) {
        std::fprintf(stderr, "ferry-wirefloor: the receiver's hash differs\n");
        std::exit(1);
    }
    return now();
}

// Receiver: this thread receives and decrypts → hashing thread → writing thread (O_DIRECT, flushes behind on a
// flushing thread, then a last fdatasync).
void receive(const std::string &path, Channel &channel, ThreadTimes &times)
{
    long long size = 0;
    channel.receiveAll(reinterpret_cast<char *>(&size), sizeof size);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | (direct ? O_DIRECT : 0), 0600);
    if (fd < 0)
        die(path.c_str());
    Pool pool;
    Queue received, hashed;
    unsigned char digest[32] = {};
    std::thread hasher(hashThread, std::ref(received), std::ref(hashed), digest, &times.hash);

    std::mutex flushMutex;
    std::condition_variable flushWake;
    bool flushWanted = false, flushStop = false;
    std::atomic<bool> flushing{false};
    std::thread flusher([&] {
        std::unique_lock<std::mutex> lock(flushMutex);
        for (;;) {
            flushWake.wait(lock, [&] { return flushWanted || flushStop; });
            if (!flushWanted) {
                times.flush = threadCpuSeconds();
                return;
            }
            flushWanted = false;
            lock.unlock();
            flushing = true;
            ::fdatasync(fd);
            flushing = false;
            lock.lock();
        }
    });
    std::thread writer([&] {
        long long at = 0, flushedAt = 0;
        for (;;) {
            const Chunk chunk = hashed.pop();
            if (chunk.length == 0)
                break;
            const size_t whole = (chunk.length + Alignment - 1) / Alignment * Alignment;   // the last one padded
            const double started = now();
            const bool cached = direct && cacheWhileFlushing && flushing;
            if (cached)
                ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_DIRECT);
            if (::pwrite(fd, chunk.data, whole, at) != ssize_t(whole))
                die("write");
            if (cached)
                ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_DIRECT);
            times.inWrites += now() - started;
            at += chunk.length;
            pool.give(chunk);
            if (cached)
                flushedAt += chunk.length;   // as PartFileWriter: only direct writes bring the next flush nearer
            if (flushStepBytes > 0 && at - flushedAt >= flushStepBytes) {
                flushedAt = at;
                std::lock_guard<std::mutex> lock(flushMutex);
                flushWanted = true;
                flushWake.notify_one();
            }
        }
        if (::ftruncate(fd, at) != 0)
            die("truncate");
        times.io = threadCpuSeconds();
    });
    for (long long at = 0; at < size;) {
        Chunk chunk = pool.take();
        chunk.length = size_t(std::min<long long>(ChunkBytes, size - at));
        channel.receiveAll(chunk.data, chunk.length);
        at += chunk.length;
        received.push(chunk);
    }
    received.push(Chunk{});
    times.channel = threadCpuSeconds();
    hasher.join();
    writer.join();
    {
        std::lock_guard<std::mutex> lock(flushMutex);
        flushStop = true;
    }
    flushWake.notify_one();
    flusher.join();
    const double syncStarted = now();
    if (::fdatasync(fd) != 0)
        die("fdatasync");
    times.lastSync = now() - syncStarted;
    ::close(fd);
    channel.sendAll(reinterpret_cast<const char *>(digest), sizeof digest);
}

struct Report {
    double cpu = 0;   // the whole process
    ThreadTimes threads;
};

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: ferry-wirefloor FILE DEST [up|down] [tls|plain] [FLUSH-MiB|cache]\n");
        return 2;
    }
    const bool senderHashes = argc < 4 || std::strcmp(argv[3], "down") != 0;
    cacheWhileFlushing = !senderHashes;
    const bool tls = argc < 5 || std::strcmp(argv[4], "plain") != 0;
    if (argc >= 6 && std::strcmp(argv[5], "cache") == 0) {
        direct = false;
        flushStepBytes = 0;
    } else if (argc >= 6) {
        flushStepBytes = std::atol(argv[5]) << 20;
    }

    const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (::bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0 || ::listen(listener, 1) != 0
        || ::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &length) != 0)
        die("listen");

    SSL_CTX *const serverSide = tls ? serverContext() : nullptr;   // made before the clock starts
    SSL_CTX *const clientSide = tls ? clientContext() : nullptr;
    int reportPipe[2];
    if (::pipe(reportPipe) != 0)
        die("pipe");
    const pid_t child = ::fork();
    if (child == 0) {   // the receiver
        const int fd = ::accept(listener, nullptr, nullptr);
        Channel channel(fd, handshake(serverSide, fd, true));
        Report report;
        receive(argv[2], channel, report.threads);
        report.cpu = cpuSeconds(RUSAGE_SELF);
        if (::write(reportPipe[1], &report, sizeof report) != sizeof report)
            die("report");
        return 0;
    }

    const double start = now();
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
        die("connect");
    Channel channel(fd, handshake(clientSide, fd, false));
    Report sender;
    const double end = send(argv[1], channel, senderHashes, sender.threads);
    sender.cpu = cpuSeconds(RUSAGE_SELF);
    Report receiver;
    if (::read(reportPipe[0], &receiver, sizeof receiver) != sizeof receiver)
        die("report");
    int status = 0;
    ::waitpid(child, &status, 0);
    std::printf("%s %s, %s, flush every %ld MiB: wall %.3f s\n", senderHashes ? "up" : "down", tls ? "tls" : "plain",
                !direct ? "page cache" : cacheWhileFlushing ? "O_DIRECT (page cache while flushing)" : "O_DIRECT",
                flushStepBytes >> 20, end - start);
    std::printf("  sender CPU %.2f s: read %.2f, hash %.2f, %s %.2f\n", sender.cpu, sender.threads.io,
                sender.threads.hash, tls ? "encrypt + send" : "send", sender.threads.channel);
    std::printf("  receiver CPU %.2f s: %s %.2f, hash %.2f, write %.2f, flush %.2f; wall in writes %.3f s, "
                "last fdatasync %.3f s\n",
                receiver.cpu, tls ? "receive + decrypt" : "receive", receiver.threads.channel, receiver.threads.hash,
                receiver.threads.io, receiver.threads.flush, receiver.threads.inWrites, receiver.threads.lastSync);
    return status == 0 ? 0 : 1;
}
