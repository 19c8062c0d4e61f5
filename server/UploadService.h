#pragma once
// A session's uploads: put requests, their data and end frames, cancel, and the group commit that makes
// files which ended together durable with one sync. Owns every open Upload of the session; the session
// only routes frames here and does not know about part files. The disk work runs on the session's
// DiskQueue (the shared disk pool); while more than MaxDiskBacklogBytes wait for the disk (fewer while the
// server as a whole has much waiting), the session stops reading from its socket (pauseReceiving), and reads
// again once half of it is written.

#include "Result.h"
#include "Storage.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>
#include <QSet>

#include <functional>
#include <memory>

namespace ferry {

class DiskQueue;
class Upload;
struct Frame;
struct ServerServices;

class UploadService : public QObject {
    Q_OBJECT
public:
    // How the service answers and logs through its session.
    struct Replies {
        std::function<void(qint64 id, const QJsonObject &fields)> ok;
        std::function<void(qint64 id, const Error &error)> error;
        std::function<void(const QString &path, qint64 bytes, const QString &result)> log;
        std::function<QJsonObject()> quotaFields;
        std::function<void(bool paused)> pauseReceiving;
    };
    // Big enough to ride out a device flush (PartFileWriter::FlushStepBytes: 11-17 ms on the test VM, during which
    // the device takes no writes, some 40 ms at times) while the session goes on decrypting: with 8 MiB the
    // session stood paused for ~1 s of a 2.4 s upload of 1 GiB, the cores idle a third of the time (PERFORMANCE.md).
    static constexpr qint64 MaxDiskBacklogBytes = 32 * 1024 * 1024;
    // While all sessions together have more than MaxDiskBacklogAllBytes waiting for the disk, each session's
    // own limit is CrowdedDiskBacklogBytes: the server's memory stays bounded however many upload at once.
    static constexpr qint64 MaxDiskBacklogAllBytes = 256 * 1024 * 1024;
    static constexpr qint64 CrowdedDiskBacklogBytes = 8 * 1024 * 1024;
    // Files that ended and wait for their group commit hold a part file open each: past this many the session
    // stops reading until a commit is answered. They need nothing more from the client, so this cannot stall
    // it. Our client pipelines up to 1 024 small uploads: the rest wait in the socket buffers meanwhile, which
    // keeps the next group ready (a limit of 2 048 was no faster and holds twice the files open).
    static constexpr int MaxUploadsAwaitingCommit = 512;
    // Every open upload holds its part file and its folder open: a put beyond this many open in one session is
    // refused (`throttled`), so that one client cannot take the server's descriptors from everyone else (3 000
    // puts sent without their data held 6 000). Twice the 1 024 small uploads our client keeps in flight.
    static constexpr int MaxUploadsOpen = 2048;
    static constexpr int OpenUploadsRetryAfterSeconds = 1;

    UploadService(ServerServices &services, Replies replies, QObject *parent = nullptr);
    ~UploadService() override;   // open uploads keep their part files and settle

    void start(const QString &user, std::shared_ptr<StorageHome> home) { m_user = user; m_home = std::move(home); }
    bool isOpen(qint64 id) const { return m_uploads.contains(id) || m_closing.contains(id); }
    int openCount() const { return int(m_uploads.size()); }

    void put(qint64 id, const QJsonObject &request, std::optional<qint64> limit);
    // A data or end frame; frames of ids that are not an open put are ignored (PROTOCOL.md).
    void transferFrame(const QString &op, const Frame &frame);
    // False when `target` is not an upload that may still be cancelled. Otherwise the put gets
    // `cancelled` and `done` runs once its part file is kept or (discard) deleted.
    bool cancel(qint64 target, bool discard, std::function<void()> done);
    // The connection dropped: every open upload ends, part files kept.
    void interruptAll();

private:
    // Ends `id` with `error`; with `discard` its part file is deleted (on the disk queue) first.
    void fail(qint64 id, const Error &error, bool discard, std::function<void()> done = {});
    // `id` ended and is verified: it joins the next group commit.
    void awaitCommit(qint64 id);
    void commitVerified();
    void answerCommits(const QList<std::shared_ptr<Upload>> &batch,
                       const QList<std::pair<qint64, Result<QJsonObject>>> &results);
    void addBacklog(qint64 bytes);
    // Tells the session to stop or go on reading as the disk backlog and the files awaiting commit stand.
    void updatePause();

    ServerServices &m_services;
    Replies m_replies;
    QString m_user;
    std::shared_ptr<StorageHome> m_home;
    std::shared_ptr<DiskQueue> m_disk;
    QHash<qint64, std::shared_ptr<Upload>> m_uploads;
    QSet<qint64> m_closing;     // ended, answered once their disk work is done
    QSet<qint64> m_answering;   // open puts not answered yet (a resume's prefix is being hashed)
    QSet<qint64> m_hashingBehind;   // uploads hashed aside whose hasher has too much queued: reading pauses
    qint64 m_backlog = 0;       // accepted bytes not yet written
    bool m_paused = false;
    QList<qint64> m_verified;   // ended and verified, waiting for the next group commit
    // Files of the group commit on the disk queue (0: none); what ends meanwhile forms the next group.
    int m_inCommit = 0;
};

} // namespace ferry
