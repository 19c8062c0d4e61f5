#pragma once
// Writes a big transfer's data to its file on a thread of its own, so the copy into the page cache and the
// start of writeback overlap with receiving and hashing the next frames. Memory stays bounded: the
// receiver waits (waitForBacklogBelow) when the disk falls behind.

#include <QByteArray>
#include <QString>

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

namespace ferry {

class BackgroundFileWriter {
public:
    // Writes at the file's current position; fd stays owned by the caller and must outlive this.
    explicit BackgroundFileWriter(int fd);
    ~BackgroundFileWriter();   // writes what is queued, then stops

    void write(QByteArray data);
    qint64 backlog() const;
    // The first write error, empty while all is well.
    QString error() const;
    void waitForBacklogBelow(qint64 bytes);
    // Waits until everything queued is on its way to disk; false with `error` after a failed write.
    bool flush(QString *error);

private:
    void run();

    const int m_fd;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;      // the thread: work arrived or stop
    std::condition_variable m_progress;  // waiters: backlog shrank
    std::deque<QByteArray> m_queue;
    qint64 m_backlog = 0;
    bool m_stop = false;
    bool m_busy = false;
    QString m_error;
    std::thread m_thread;
};

} // namespace ferry
