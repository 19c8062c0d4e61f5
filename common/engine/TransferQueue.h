#pragma once
// The client engine's transfer queue: uploads and downloads of files and folders over one ClientSession,
// file by file, small files pipelined, with progress, pause/resume/cancel/retry, conflict handling and
// persistence (unfinished items come back after a restart and resume from their part files).
//
// Integrity: every file is checked end to end with SHA-256; downloads go to a local part file
// (".ferry-part-<name>" beside the target) renamed into place only after the hash matched.

#include "TransferItem.h"

#include <QList>
#include <QObject>

#include <functional>

namespace ferry {

class ClientSession;

// Decides what to do when a target exists. Called on the queue's thread; answer through `decide`
// (possibly later, e.g. after a dialog). applyToAll: use the same answer for the rest of that job.
class ConflictResolver {
public:
    virtual ~ConflictResolver() = default;
    struct Conflict {
        TransferItem item;
        qint64 existingSize = 0;       // the target that exists
        qint64 existingMtimeMs = -1;
        bool canResume = false;        // a part file / smaller target exists that may be continued
    };
    virtual void resolve(const Conflict &conflict, std::function<void(ConflictPolicy policy, bool applyToAll)> decide) = 0;
};

struct TransferTotals {
    qint64 bytesDone = 0;
    qint64 bytesTotal = 0;
    int filesDone = 0;
    int filesTotal = 0;
    int filesFailed = 0;
    int filesCancelled = 0;
    int filesActive = 0;
    double rate = 0;          // bytes per second, all running items
    qint64 etaSeconds = -1;
};

class TransferQueue : public QObject {
    Q_OBJECT
public:
    explicit TransferQueue(ClientSession *session, QObject *parent = nullptr);
    ~TransferQueue() override;

    // Where unfinished items are saved (JSON, written atomically); restore() loads them as Queued/Paused.
    // Saved: every item of each job that is not finished yet (finished ones too, so a restored job reports
    // its failures and a folder listed again adds nothing twice). restore() returns false when the file
    // exists but cannot be read.
    void setStateFile(const QString &path);
    bool restore();
    void setConflictResolver(ConflictResolver *resolver);   // not owned; nullptr: policy Ask fails the item
    // Items belong to the account ("host:port" + user) that was logged in when they were queued (or first
    // ran) and start only while the session is logged in there.
    // Starts queued items automatically while the session is Ready (default true).
    void setAutoStart(bool enabled);
    bool autoStart() const;

    // Files and folders (recursively). Remote targets go into remoteDir / localDir under their own names.
    // Returns the job id; the items appear at once (a folder's content as it is listed). A path that does
    // not exist becomes a Failed item of the job, so jobFinished() reports it like any other failure.
    qint64 upload(const QStringList &localPaths, const QString &remoteDir, ConflictPolicy policy = ConflictPolicy::Ask);
    qint64 download(const QStringList &remotePaths, const QString &localDir, ConflictPolicy policy = ConflictPolicy::Ask);
    // One file or folder (recursively) into remoteDir / localDir under a name of the caller's choosing.
    qint64 uploadAs(const QString &localPath, const QString &remoteDir, const QString &name,
                    ConflictPolicy policy = ConflictPolicy::Ask);
    qint64 downloadAs(const QString &remotePath, const QString &localDir, const QString &name,
                      ConflictPolicy policy = ConflictPolicy::Ask);

    void pause(qint64 itemId);       // a running item stops, keeping its part file
    void resume(qint64 itemId);      // Paused, Failed or Cancelled -> Queued (continues from a part file)
    // Stops; what arrived is removed: a download's local part file, an upload's part file on the server
    // (cancel with discard). A retry starts from zero.
    void cancel(qint64 itemId);
    void retry(qint64 itemId) { resume(itemId); }
    void pauseAll();
    void resumeAll();
    void clearFinished();
    void removeJob(qint64 jobId);    // the job's finished items leave the list

    int count() const;
    const TransferItem &at(int row) const;
    int rowOf(qint64 itemId) const;   // -1 when unknown
    // The current batch: what was queued since the queue was last idle.
    TransferTotals totals() const;
    // A folder item is Done once it was created and listed; what people wait for is its content.
    struct FolderSummary {
        TransferState state = TransferState::Queued;   // Running while any file inside runs, …
        qint64 done = 0;
        qint64 size = 0;
        int files = 0;
        int filesDone = 0;
        int filesFailed = 0;
    };
    FolderSummary folderSummary(int row) const;
    bool isIdle() const;              // nothing queued or running
    int activeCount() const;          // items queued or running
    QList<TransferItem> jobItems(qint64 jobId) const;   // e.g. a command line client reporting failures
    // The same items without copying them (a job of thousands of files is looked at when it ends).
    void forEachJobItem(qint64 jobId, const std::function<void(const TransferItem &)> &visit) const;

signals:
    // Rows first..last are about to be inserted / removed (the list has not changed yet), for models.
    void itemsAboutToBeInserted(int first, int last);
    void itemsAboutToBeRemoved(int first, int last);
    void itemsInserted(int first, int last);
    void itemsRemoved(int first, int last);
    // State changes at once; progress (done, rate, ETA) at most ~10 times a second per item.
    void itemChanged(int row);
    // Every item of the job ended (Done, Failed, Skipped or Cancelled); failedItems of them Failed.
    // Emitted again if a retried item of the job ends later.
    void jobFinished(qint64 jobId, int failedItems);
    // Nothing is queued or running any more.
    void idle();

private:
    class Private;
    std::unique_ptr<Private> d;
};

} // namespace ferry
