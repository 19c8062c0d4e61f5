#include "UploadService.h"

#include "Frame.h"
#include "Protocol.h"
#include "RequestFields.h"
#include "DiskQueue.h"
#include "ServerConfig.h"
#include "Upload.h"

#include <QThreadPool>

#include <QSet>

#include <optional>

namespace ferry {

namespace {
Result<Upload::Request> parsePut(qint64 id, const QJsonObject &request)
{
    Upload::Request put;
    put.id = id;
    const Result<VirtualPath> target = pathField(request, Field::Path);
    if (!target)
        return target.error();
    const Result<qint64> size = integerField(request, Field::Size, std::nullopt);
    if (!size)
        return size.error();
    const std::optional<PutMode> mode = parsePutMode(request.value(Field::Mode).toString());
    if (!mode)
        return badField(Field::Mode, QStringLiteral("must be \"new\", \"overwrite\" or \"resume\""));
    put.mode = *mode;
    if (request.contains(Field::Mtime)) {
        const Result<qint64> mtime = integerField(request, Field::Mtime, std::nullopt);
        if (!mtime)
            return mtime.error();
        put.mtimeMs = *mtime;
    }
    put.path = *target;
    put.size = *size;
    return put;
}
} // namespace

UploadService::UploadService(ServerServices &services, Replies replies, QObject *parent)
    : QObject(parent), m_services(services), m_replies(std::move(replies)),
      m_disk(std::make_shared<DiskQueue>(services.diskPool.get(), this))
{
}

UploadService::~UploadService()
{
    // Queued disk work still runs; the last job holding an upload settles it. Uploads cut off here stop writing
    // on the disk pool too, and this job holds the service's reference, so none of it waits on this thread.
    for (auto it = m_uploads.begin(); it != m_uploads.end(); ++it)
        m_disk->post([upload = std::move(it.value())] { upload->stopWriting(); });
    m_uploads.clear();
    m_disk->detach();
    m_services.diskBacklogBytes -= m_backlog;   // the detached queue reports no more writes here
}

void UploadService::put(qint64 id, const QJsonObject &request, std::optional<qint64> limit)
{
    Result<Upload::Request> put = parsePut(id, request);
    Error error = put ? Error() : put.error();
    if (put && m_uploads.size() + m_closing.size() >= MaxUploadsOpen) {
        error = Error::make(ErrorCode::Throttled,
                            QStringLiteral("This session has %1 uploads open; send their data or cancel some first.")
                                .arg(MaxUploadsOpen),
                            QJsonObject{{Field::RetryAfter, OpenUploadsRetryAfterSeconds}});
    } else if (put) {
        Result<std::unique_ptr<Upload>> begun = Upload::begin(*put, m_user, m_home, limit, m_services);
        if (begun) {
            std::shared_ptr<Upload> upload(begun->release());
            m_uploads.insert(id, upload);
            if (upload->worthHashingAside()) {
                // From the hashing thread, through the disk queue, which drops it once this service is gone.
                upload->hashAside([disk = m_disk, this, id] {
                    disk->afterQueued([this, id] {
                        m_hashingBehind.remove(id);
                        updatePause();
                    });
                });
            }
            if (!upload->needsPrefixHash()) {
                m_replies.ok(id, QJsonObject{{Field::Offset, upload->offset()}});
                return;
            }
            // The kept prefix is hashed on the disk queue; the put is answered after it.
            m_answering.insert(id);
            auto hashed = std::make_shared<Status>();
            m_disk->post([upload, hashed] { *hashed = upload->hashPrefix(); },
                         [this, id, upload, hashed] {
                             if (!m_answering.remove(id) || m_uploads.value(id) != upload)
                                 return;
                             if (*hashed)
                                 m_replies.ok(id, QJsonObject{{Field::Offset, upload->offset()}});
                             else
                                 fail(id, hashed->error(), false);
                         });
            return;
        }
        error = begun.error();
    }
    m_replies.error(id, error);
    m_replies.log(request.value(Field::Path).toString(), -1, error.code);
}

void UploadService::fail(qint64 id, const Error &error, bool discard, std::function<void()> done)
{
    // Answered once the writes queued before are done (and with `discard` the part file is gone), so the
    // disk and the ledger agree with the reply; the id stays in use until then.
    std::shared_ptr<Upload> upload = m_uploads.take(id);
    m_answering.remove(id);
    m_hashingBehind.remove(id);
    m_closing.insert(id);
    const QString path = upload->request().path.toString();
    const qint64 received = upload->received();
    m_disk->post(
        [upload, discard] {
            if (discard)
                upload->discard();
            else
                upload->stopWriting();
        },
        [this, id, error, path, received, upload, done = std::move(done)]() mutable {
            upload.reset();   // ends it (settles) before the reply
            m_closing.remove(id);
            m_replies.error(id, error);
            m_replies.log(path, received, error.code);
            if (done)
                done();
        });
}

void UploadService::addBacklog(qint64 bytes)
{
    m_backlog += bytes;
    m_services.diskBacklogBytes += bytes;
    updatePause();
}

void UploadService::updatePause()
{
    // A paused session is told again as its own writes finish, so a crowded server cannot leave it waiting.
    const qint64 limit =
        m_services.diskBacklogBytes > MaxDiskBacklogAllBytes ? CrowdedDiskBacklogBytes : MaxDiskBacklogBytes;
    const bool backlogged = m_paused ? m_backlog > limit / 2 : m_backlog > limit;
    const bool pause = backlogged || !m_hashingBehind.isEmpty() || m_verified.size() + m_inCommit >= MaxUploadsAwaitingCommit;
    if (pause != m_paused) {
        m_paused = pause;
        if (m_replies.pauseReceiving)
            m_replies.pauseReceiving(pause);
    }
}

void UploadService::transferFrame(const QString &op, const Frame &frame)
{
    const std::optional<qint64> id = jsonInteger(frame.header, Field::Id);
    const std::shared_ptr<Upload> upload = id ? m_uploads.value(*id) : nullptr;
    if (!upload || upload->ended() || m_answering.contains(*id))
        return;
    if (op == Op::Data) {
        if (const Status accepted = upload->accept(frame.payload); !accepted) {
            fail(*id, accepted.error(), true);
            return;
        }
        if (upload->hashingFellBehind())
            m_hashingBehind.insert(*id);   // updatePause() follows in addBacklog()
        const QByteArray bytes = frame.payload;
        addBacklog(bytes.size());
        auto written = std::make_shared<Status>();
        m_disk->post([upload, bytes, written] { *written = upload->write(bytes); },
                     [this, id = *id, upload, size = bytes.size(), written] {
                         addBacklog(-size);
                         if (!*written && m_uploads.value(id) == upload)
                             fail(id, written->error(), false);   // write() removed the part file
                     });
        return;
    }
    const QString sha256 = frame.header.value(Field::Sha256).toString();
    if (!isSha256Hex(sha256)) {
        // Ends the put and keeps its part file (PROTOCOL.md A.12).
        fail(*id, badField(Field::Sha256, QStringLiteral("must be 64 lowercase hex digits")), false);
        return;
    }
    if (const Status sized = upload->checkSize(); !sized) {
        fail(*id, sized.error(), true);
        return;
    }
    if (!upload->hashesAside()) {
        if (const Status verified = upload->checkHash(sha256.toLatin1()); !verified) {
            fail(*id, verified.error(), true);
            return;
        }
        awaitCommit(*id);
        return;
    }
    // Hashed aside: verified here once its hasher is done (from the hashing thread, through the disk queue, as
    // above). The hasher holds no reference to its own upload.
    upload->whenHashed([disk = m_disk, this, id = *id, weak = std::weak_ptr<Upload>(upload), sha256 = sha256.toLatin1()] {
        disk->afterQueued([this, id, weak, sha256] {
            const std::shared_ptr<Upload> upload = weak.lock();
            if (!upload || m_uploads.value(id) != upload)
                return;   // failed or dropped meanwhile
            if (const Status verified = upload->checkHash(sha256); verified)
                awaitCommit(id);
            else
                fail(id, verified.error(), true);
        });
    });
}

void UploadService::awaitCommit(qint64 id)
{
    // Commit after every frame already received is handled: files that ended together share one sync. While
    // a group commit runs, what ends meanwhile waits for it and forms the next group (after its answers).
    if (m_verified.isEmpty() && m_inCommit == 0)
        QMetaObject::invokeMethod(this, &UploadService::commitVerified, Qt::QueuedConnection);
    m_verified.append(id);
    updatePause();
}

bool UploadService::cancel(qint64 target, bool discard, std::function<void()> done)
{
    const std::shared_ptr<Upload> upload = m_uploads.value(target);
    if (!upload || upload->ended())
        return false;
    // discard: deletes the part file and frees its quota, after the writes queued before it.
    fail(target, Error::make(ErrorCode::Cancelled, QStringLiteral("Cancelled by the client.")), discard, std::move(done));
    return true;
}

void UploadService::interruptAll()
{
    for (const std::shared_ptr<Upload> &upload : std::as_const(m_uploads))
        m_replies.log(upload->request().path.toString(), upload->received(), QStringLiteral("interrupted"));
    m_uploads.clear();   // each ends (part file kept) once its queued writes are done
    m_answering.clear();
    m_hashingBehind.clear();
    m_closing.clear();
    m_verified.clear();
}

void UploadService::commitVerified()
{
    if (m_inCommit > 0 || m_verified.isEmpty())
        return;
    const QList<qint64> ids = std::exchange(m_verified, {});
    using Outcome = std::pair<qint64, Result<QJsonObject>>;
    QList<std::shared_ptr<Upload>> batch;
    for (const qint64 id : ids) {
        if (const std::shared_ptr<Upload> upload = m_uploads.value(id))
            batch.append(upload);
    }
    auto results = std::make_shared<QList<Outcome>>();
    m_inCommit = int(ids.size());
    // On the disk queue, after every write of these uploads: one sync for the batch, then the renames,
    // each folder made durable once, after all of its renames.
    m_disk->post(
        [batch, results] {
            // Every write done first (a big file's last bytes may still be staged): the sync must cover them.
            QList<Status> written;
            QList<Upload *> uploads;
            QStringList folders;
            for (int i = 0; i < batch.size(); ++i) {
                written.append(batch[i]->finishWrites());
                folders.append(batch[i]->folderId());
                if (written.last())
                    uploads.append(batch[i].get());
            }
            const bool synced = Upload::syncBatch(uploads);
            QHash<QString, int> lastRenamedInFolder;
            for (int i = 0; i < batch.size(); ++i) {
                results->append({batch[i]->request().id, written[i] ? batch[i]->commit(synced)
                                                                    : Result<QJsonObject>(written[i].error())});
                if (results->last().second)
                    lastRenamedInFolder.insert(folders[i], i);
            }
            // Each folder synced once, after all of its renames: by its last file that was renamed, since a
            // file whose commit failed has nothing to sync with.
            for (int i = 0; i < batch.size(); ++i)
                batch[i]->endCommit(lastRenamedInFolder.value(folders[i], -1) == i);
        },
        [this, batch, results] {
            m_inCommit = 0;
            answerCommits(batch, *results);
            commitVerified();
            updatePause();
        });
}

void UploadService::answerCommits(const QList<std::shared_ptr<Upload>> &batch,
                                  const QList<std::pair<qint64, Result<QJsonObject>>> &results)
{
    // One look at the quota for the group: its answers leave together (per answer, a group of small files
    // looked at users.json a hundred times in a row).
    std::optional<QJsonObject> quota;
    for (int i = 0; i < results.size(); ++i) {
        const auto &[id, result] = results[i];
        if (m_uploads.value(id) != batch[i])
            continue;   // the connection dropped meanwhile
        m_uploads.remove(id);
        if (result) {
            QJsonObject fields = *result;
            if (!quota)
                quota = m_replies.quotaFields();
            for (auto it = quota->constBegin(); it != quota->constEnd(); ++it)
                fields.insert(it.key(), it.value());
            m_replies.ok(id, fields);
        } else {
            m_replies.error(id, result.error());
        }
        m_replies.log(batch[i]->request().path.toString(), batch[i]->received(), result ? QStringLiteral("ok") : result.error().code);
    }
}

} // namespace ferry
