#pragma once
// One get: verifies the client's prefix, then streams data frames while the connection can take them,
// then the end frame with the whole file's SHA-256 (from the hash stored at upload when still valid).
// The file is read, and hashed when there is no stored hash, on the disk pool a few chunks ahead of the
// connection, never on the session's socket thread: a slow disk must not stall the other sessions that
// thread serves. A resumed get hashes the part the client already has there first: that can be gigabytes.

#include "Result.h"
#include "Storage.h"
#include "VirtualPath.h"

#include <QObject>

#include <deque>
#include <functional>
#include <memory>

class QThreadPool;

namespace ferry {

class DiskQueue;
class FrameConnection;

class Download : public QObject {
    Q_OBJECT
public:
    // Opens the file and checks the offset; the error is the reply to the get. What is left of a file that one
    // read takes is read on `smallReads`, the session's queue for such reads, which it may outlive: many small
    // files then take one pool task and one report back to the session, not one each. A bigger one reads ahead
    // on a queue of its own, so small files beside it never wait behind its chunks.
    static Result<Download *> open(qint64 id, const VirtualPath &path, qint64 offset, StorageHome &home,
                                   FrameConnection *connection, QThreadPool *diskPool,
                                   const std::shared_ptr<DiskQueue> &smallReads, QObject *parent);
    ~Download() override;

    qint64 id() const { return m_id; }
    qint64 size() const { return m_size; }
    qint64 mtimeMs() const { return m_mtimeMs; }
    qint64 sent() const { return m_sentPosition - m_offset; }

    // Checks the client's prefix (empty: none given) on the disk pool when there is one to check or the
    // whole file's hash needs it, then emits accepted() and sends; or sends the refusal and emits finished().
    void start(const QByteArray &prefixSha256);
    // Sends what has been read while the connection is under its watermark, and reads ahead.
    void pump();
    // Cancelled: reads still queued are skipped, nothing more is sent and no signal comes.
    void abandon();

signals:
    void accepted();   // the get's ok goes out now, before the first data frame
    void finished(const ferry::Status &status);

private:
    struct Source;
    Download(qint64 id, FrameConnection *connection, QObject *parent);
    void checkPrefix(const QByteArray &prefixSha256);
    void readAhead();
    void fail(const Error &error);
    // `done` for a job on m_reads, run only while this download exists (the shared queue outlives it).
    std::function<void()> whileAlive(std::function<void()> done);

    qint64 m_id;
    VirtualPath m_path;
    FrameConnection *m_connection;
    std::shared_ptr<Source> m_source;    // shared with the jobs on the disk pool
    std::shared_ptr<DiskQueue> m_reads;  // this download's jobs, in order (with other small downloads' reads)
    bool m_ownsReads = false;            // m_reads is its own queue, not the session's
    std::deque<QByteArray> m_ready;      // read, waiting for room on the connection
    int m_reading = 0;                   // chunks posted and not back yet
    qint64 m_size = 0;
    qint64 m_mtimeMs = 0;
    qint64 m_offset = 0;
    qint64 m_readPosition = 0;
    qint64 m_sentPosition = 0;
    bool m_sending = false;
    bool m_done = false;
};

} // namespace ferry
