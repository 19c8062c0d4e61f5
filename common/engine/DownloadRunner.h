#pragma once
// One get on the wire (docs/PROTOCOL.md, "Download"), into a local part file ".ferry-part-<name>" beside
// the target:
//
//   C: get{path,offset,prefix_sha256}   S: ok{size,mtime} | error (resume_mismatch: start over once from 0)
//                                       S: data{bytes} … (offset..size), then end{sha256}
//
// Data is written as it arrives, by a writer thread for big files; a fresh small download (InMemoryMaxBytes) is
// held in memory and written by its commit. This thread (which runs the window in the desktop client) never
// waits for the disk: while the writer is behind, the session stops reading the socket and TCP pushes back, so
// memory stays bounded. When resuming, the part file is hashed once and the hash continues over the new bytes.
// Only when the whole file's SHA-256 matches is the part file made durable (GroupSync), given the server's mtime
// and renamed over the target: a half file never appears under the real name, and a file the task did not
// choose to replace is never replaced. That commit runs on a thread pool (many small files then share their
// syncs), and finished() follows it.

#include "Result.h"
#include "Sha256.h"

#include <QObject>
#include <QPointer>

#include <memory>
#include <vector>

namespace ferry {

class ClientSession;
class DownloadCommitQueue;
struct Frame;

class DownloadRunner : public QObject {
    Q_OBJECT
public:
    // resume: continue the part file when there is one (else it is truncated and the download starts at 0).
    // replaceTarget: a file at targetPath is replaced; else the download fails with "exists" if one appeared
    // since the caller found the name free.
    DownloadRunner(ClientSession *session, const QString &remotePath, const QString &targetPath, bool resume,
                   bool replaceTarget, QObject *parent = nullptr);
    // A fresh download of at most this many bytes is kept in memory until it is complete, then written, synced
    // and renamed by its commit (at most a window of small items, 256 x 64 KiB, is held at once).
    static constexpr qint64 InMemoryMaxBytes = 64 * 1024;
    ~DownloadRunner() override;

    void start();
    // Cancels the get on the wire and keeps the part file; no signal follows. During the commit it waits for
    // the commit instead (the file is verified): whoever restarts the transfer then finds it in place.
    void stop();

signals:
    void accepted(qint64 offset, qint64 size, qint64 mtimeMs);
    void progress(qint64 done);
    void finished(const ferry::Status &status);

private:
    // Opens and locks the part file; false (and finished) when that failed.
    bool openPart();
    void hashPartFile();
    void sendGet();
    bool onFrame(const Frame &frame);
    bool onAccepted(const Frame &frame);
    bool onData(const Frame &frame);
    void onEnd(const Frame &frame);
    void onWriterRoom();
    void onCommitted();
    void releaseReceiving();
    void closePart();
    struct PartState;
    struct CommitJob;
    friend class DownloadCommitQueue;
    // The commit of one verified download, alone (big files), or of a group of small ones sharing their syncs:
    // written (those that fail are settled; the others are returned), then synced and renamed.
    static Status commit(const CommitJob &job);
    static std::vector<CommitJob> writeTogether(std::vector<CommitJob> &jobs);
    static void syncAndPlaceTogether(const std::vector<CommitJob> &jobs);
    // Before its sync: the last writes, the hash check and the mtime.
    static Status prepareCommit(const CommitJob &job);
    static Status writeHeld(const CommitJob &job);
    static Status renameIntoPlace(const CommitJob &job);
    void restartFromZero();
    void abortWith(const Error &error);
    void finish(const Status &status);
    static Error ioError(const QString &targetPath, const QString &reason);
    static Error busyError(const QString &targetPath);

    enum class Phase { Idle, Hashing, Requesting, Receiving, Committing, Finished };

    QPointer<ClientSession> m_session;
    QString m_remotePath;
    QString m_targetPath;
    QString m_partPath;
    bool m_resume;
    bool m_replaceTarget;
    bool m_restarted = false;   // resume_mismatch already made us start over once
    Phase m_phase = Phase::Idle;
    std::shared_ptr<PartState> m_part;   // the part file, its hash and writer; the commit's while it runs
    bool m_holdingReceive = false;       // the writer is behind: the session holds back frames
    quint64 m_receiveHold = 0;
    qint64 m_offset = 0;
    qint64 m_position = 0;
    qint64 m_size = 0;
    qint64 m_mtimeMs = -1;
    qint64 m_id = 0;
};

} // namespace ferry
