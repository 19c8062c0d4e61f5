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
#include <QSet>
#include <QTimer>

namespace ferry {

class TransferQueue::Private : public QObject {
public:
    // At most this many small items (one data frame or a folder) run at once: the pipelining window.
    static constexpr int MaxSmallRunning = 64;
    // Large files go one at a time: they share one connection, so more would not be faster.
    static constexpr int MaxLargeRunning = 1;
    static constexpr int ProgressIntervalMs = 100;

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
    qint64 newJob(TransferDirection direction);
    // Gives ids and inserts after the job's last row (or at the end); sources the job holds are skipped.
    void insertItems(qint64 jobId, QList<TransferItem> items);
    void removeRows(int first, int last);
    void setState(int row, TransferState state, const Error &error = {});
    // Counts `item` into (+1) or out of (-1) the queue's and its job's tallies.
    void account(const TransferItem &item, int sign);
    void checkJobLater(qint64 jobId);
    void reportFinishedJobs();
    QList<TransferItem> snapshot() const;
    static QString sourceKey(const TransferItem &item);

    // ---- Running (TransferQueueScheduler.cpp) ----
    struct Running {
        TransferTask *task = nullptr;
        bool large = false;
        ProgressMeter meter;
        qint64 lastEmitMs = -ProgressIntervalMs;
    };

    static bool isLarge(const TransferItem &item);
    bool canStart() const;
    void requestSchedule();
    void schedule();
    void startTask(int row);
    // Ends a running item's task without waiting for it; the item takes `state`.
    void stopTask(qint64 itemId, TransferTask::StopReason reason, TransferState state);
    void releaseTask(Running &running);
    void onTaskChanged(TransferTask *task);
    void onTaskProgressed(TransferTask *task);
    void onTaskFinished(TransferTask *task, TransferState state, const Error &error);
    void onSessionStateChanged(ClientSession::State state);
    void noteProgress(int row, Running &running);
    void tick();
    static void absorb(TransferItem &target, const TransferItem &source);

    TransferQueue *q;
    QPointer<ClientSession> session;
    ConflictArbiter arbiter;
    TransferStateFile stateFile;
    QList<TransferItem> items;
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
    bool autoStart = true;
    bool scheduleRequested = false;
    bool waitingForWritable = false;
    int scanFrom = 0;               // no Queued item lies before this row
    QSet<qint64> unsentProgress;    // items whose progress is waiting for the throttle
    QTimer ticker;
    QElapsedTimer clock;
};

} // namespace ferry
