#pragma once
// TransferQueue's insides, shared by TransferQueue.cpp (the public operations), TransferQueueList.cpp (the
// item list and its bookkeeping) and TransferQueueScheduler.cpp (which items run, their tasks, progress and
// what the session's state means for them).

#include "ClientSession.h"
#include "ConflictArbiter.h"
#include "ProgressMeter.h"
#include "TransferQueue.h"
#include "TransferStateFile.h"
#include "TransferTask.h"

#include <QElapsedTimer>
#include <QHash>
#include <QPointer>
#include <QSet>
#include <QTimer>

namespace ferry {

class TransferQueue::Private : public QObject {
public:
    // At most this many small items (one data frame or a folder) run at once: the pipelining window. A wide
    // one lets the server commit small files in large groups (256 put 2 000 small files ~15 % faster than 64).
    // Uploads may widen it to MaxSmallUploadsRunning: a small upload holds no file open while it waits for its
    // answer, and ferryd bounds what it holds itself (it stops reading at 512 files awaiting their commit), so
    // the rest wait in the socket buffers and ferryd never runs dry between two group commits (1 024 put 2 000
    // small files 7-10 % faster than 256 or 512). A small download holds its data in memory (up to 64 KiB) or
    // its part file open until its commit: downloads start only while fewer than MaxSmallDownloadsRunning items
    // of either kind run and the small downloads running are expected to hold at most MaxSmallDownloadBytes (one
    // may always run). 512 got 2 000 small files ~5 % faster than 256 (their commits share larger groups); the
    // bytes keep a folder of 1 MiB files at 64 MiB, not 512.
    static constexpr int MaxSmallDownloadsRunning = 512;
    static constexpr qint64 MaxSmallDownloadBytes = 64 * 1024 * 1024;
    static constexpr int MaxSmallUploadsRunning = 1024;
    // Large files go one at a time: they share one connection, so more would not be faster.
    static constexpr int MaxLargeRunning = 1;
    // One scheduling pass starts at most this many tasks, then lets them run before it starts more: opening a
    // window of 1 024 at once kept the first file off the wire until every task existed (~40 ms for a folder
    // of 2 000, the server idle meanwhile).
    static constexpr int MaxStartsPerPass = 64;
    static constexpr int ProgressIntervalMs = 100;
    // Busy ("another session is writing this file") is most often the previous run of this very transfer,
    // killed a moment ago: the server lets go once it noticed the dropped connection. Such items are queued
    // again after a growing delay (about 15 s in all) before the failure counts.
    static constexpr int MaxBusyAttempts = 10;
    static constexpr int FirstBusyDelayMs = 100;
    static constexpr int MaxBusyDelayMs = 2000;

    Private(TransferQueue *queue, ClientSession *session);
    ~Private() override;

    // ---- The list (TransferQueueList.cpp) ----
    struct Job {
        TransferDirection direction = TransferDirection::Upload;
        int items = 0;
        int unfinished = 0;     // Queued, Running or Paused
        int failed = 0;
        QSet<QString> paths;    // sources already listed, so a folder listed again adds nothing twice
    };

    int rowOf(qint64 itemId) const;
    TransferItem &itemAt(int row) { return *items[row]; }
    const TransferItem &itemAt(int row) const { return *items.at(row); }
    qint64 newJob(TransferDirection direction);
    // Gives ids and inserts after the job's last row (or at the end); sources the job holds are skipped.
    void insertItems(qint64 jobId, const QList<TransferItem> &items);
    void removeRows(int first, int last);
    void removeFinished(const std::function<bool(const TransferItem &)> &which);
    void setState(int row, TransferState state, const Error &error = {});
    // Counts `item` into (+1) or out of (-1) the queue's and its job's tallies.
    void account(const TransferItem &item, int sign);
    void checkJobLater(qint64 jobId);
    void reportFinishedJobs();
    QList<TransferItem> snapshot() const;
    static QString sourceKey(const TransferItem &item);
    // Items belong to the account they were queued on ("host:port" + user) and run only there.
    QString sessionServer() const;
    void stampAccount(TransferItem &item) const;
    bool belongsToSession(const TransferItem &item) const;

    // ---- Running (TransferQueueScheduler.cpp) ----
    struct Running {
        TransferTask *task = nullptr;
        bool large = false;
        qint64 smallDownloadBytes = 0;   // counted in smallDownloadBytesRunning
        ProgressMeter meter;
        qint64 lastEmitMs = -ProgressIntervalMs;
        qint64 countedDone = 0;   // the item's `done` when its bytes were last added to bytesMoved
    };

    bool canStart() const;
    int smallWindow(const TransferItem &item) const;
    static qint64 smallDownloadBytes(const TransferItem &item);
    void requestSchedule();
    void schedule();
    void startTask(int row);
    // Starts the tasks startTask() created, in order, from one queued call (one event per pass, not per task).
    void startCreatedTasks();
    // Ends a running item's task without waiting for it; the item takes `state`.
    void stopTask(qint64 itemId, TransferTask::StopReason reason, TransferState state);
    void releaseTask(Running &running);
    void onTaskChanged(TransferTask *task);
    void onTaskProgressed(TransferTask *task);
    void onTaskFinished(TransferTask *task, TransferState state, const Error &error);
    void onSessionStateChanged(ClientSession::State state);
    void noteProgress(int row, Running &running);
    void tick();
    // True when the item failed with busy and gets another try later (it stays Queued until then).
    bool retryBusyLater(qint64 itemId, const Error &error);
    bool isWaitingToRetry(qint64 itemId) const;

    TransferQueue *q;
    QPointer<ClientSession> session;
    ConflictArbiter arbiter;
    TransferStateFile stateFile;
    // Shared with the item's task while it runs: the task updates the item in place.
    QList<std::shared_ptr<TransferItem>> items;
    mutable QHash<qint64, int> rowById;
    mutable bool rowsMoved = false;
    QHash<qint64, Job> jobs;
    QSet<qint64> jobsToCheck;
    qint64 nextItemId = 1;
    qint64 nextJobId = 1;
    int queuedCount = 0;
    int runningCount = 0;
    bool wasIdle = true;

    QHash<qint64, Running> running;
    int smallRunning = 0;
    int largeRunning = 0;
    qint64 smallDownloadBytesRunning = 0;
    bool autoStart = true;
    bool scheduleRequested = false;
    QList<QPointer<TransferTask>> createdTasks;   // by startTask(), waiting for startCreatedTasks()
    bool waitingForWritable = false;
    int scanFrom = 0;               // no Queued item lies before this row
    QSet<qint64> unsentProgress;    // items whose progress is waiting for the throttle
    int batch = 0;                  // the current batch: a new one starts when items come to an idle queue
    qint64 bytesMoved = 0;          // by every task so far: the total rate is measured on it
    ProgressMeter totalMeter;
    QTimer ticker;
    QElapsedTimer clock;
    QHash<qint64, int> busyAttempts;
    QHash<qint64, qint64> notBefore;  // item -> clock time before which it does not start again
    QTimer retryTimer;
};

} // namespace ferry
