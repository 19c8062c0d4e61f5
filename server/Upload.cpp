#include "Upload.h"

#include "Protocol.h"
#include "QuotaLedger.h"
#include "ServerConfig.h"
#include "TargetLocks.h"

#include <QDateTime>

#include <atomic>
#include <system_error>

namespace ferry {

namespace {
std::atomic<bool> roomyHasherTaken{false};   // an upload hashes aside with MaxUnhashedBytes of slack

QString quoted(const VirtualPath &path)
{
    return QLatin1Char('"') + path.toString() + QLatin1Char('"');
}
} // namespace

Upload::Upload(ServerServices &services, const Request &request, const QString &user)
    : m_services(services), m_request(request), m_user(user)
{
}

Upload::~Upload()
{
    if (m_roomyHasher)
        roomyHasherTaken.store(false);
    if (m_settled)
        return;
    // Interrupted (dropped connection, cancel, idle): the part file stays for a later resume.
    const qint64 kept = m_part ? m_part->size() : 0;
    m_part.reset();
    settle(kept, 0);
}

void Upload::settle(qint64 partBytesLeft, qint64 replacedBytes)
{
    if (m_settled)
        return;
    m_settled = true;
    // The disk changed by: the part file's growth (or its removal) minus the file a commit replaced.
    m_services.ledger->settle(m_reservation, partBytesLeft - m_heldBefore - replacedBytes);
    if (!m_lockKey.isEmpty())
        m_services.targetLocks->unlock(m_lockKey);
}

Status Upload::fail(const Error &error)
{
    if (m_part)
        m_part->discard();
    m_part.reset();
    settle(0, 0);
    return error;
}

Result<std::unique_ptr<Upload>> Upload::begin(const Request &request, const QString &user,
                                               const std::shared_ptr<StorageHome> &home,
                                               std::optional<qint64> limit, ServerServices &services)
{
    const VirtualPath &path = request.path;
    if (path.isRoot())
        return Error::make(ErrorCode::IsADirectory, QStringLiteral("Cannot upload onto the home folder \"/\"."));
    const Result<UploadTarget> found = home->uploadTarget(path);
    if (!found)
        return found.error();
    const std::optional<EntryInfo> &target = found->existing;
    if (target && target->isDir)
        return Error::make(ErrorCode::IsADirectory, QStringLiteral("%1 is a folder.").arg(quoted(path)));
    if (target && request.mode == Mode::New)
        return Error::make(ErrorCode::Exists, QStringLiteral("%1 already exists.").arg(quoted(path)));

    std::unique_ptr<Upload> upload(new Upload(services, request, user));
    upload->m_home = home;
    const QString key = found->lockKey;
    if (key.isEmpty() || !services.targetLocks->tryLock(key))
        return Error::make(ErrorCode::Busy, QStringLiteral("%1 is being written by another session.").arg(quoted(path)));
    upload->m_lockKey = key;

    // The part file is opened as it is (made when missing: one look at its name, not a stat first), under the
    // lock; its size is what this put may resume from and what the home already counts for it.
    Result<std::unique_ptr<PartFile>> part = home->openPart(path, StorageHome::PartMode::Keep, &*found);
    if (!part)
        return part.error();
    const qint64 partBytes = (*part)->size();

    // Quota before any data: what this put adds beyond the bytes it already holds for the target.
    const qint64 targetBytes = target ? target->size : 0;
    const Result<qint64> reservation =
        services.ledger->reserve(user, qMax<qint64>(0, request.size - partBytes - targetBytes), limit);
    if (!reservation) {
        if (partBytes == 0)
            (*part)->discard();   // made just now (or left empty): nothing to resume from
        return reservation.error();   // the destructor unlocks; no reservation to settle
    }
    upload->m_reservation = *reservation;
    upload->m_heldBefore = partBytes;

    const bool resume = request.mode == Mode::Resume && partBytes > 0 && partBytes <= request.size;
    if (!resume && partBytes > 0) {
        part->reset();   // a leftover this put starts over: emptied
        part = home->openPart(path, StorageHome::PartMode::Truncate);
        if (!part) {
            upload->settle(home->partSize(path), 0);
            return part.error();
        }
    }
    upload->m_part = std::move(*part);
    if (resume)
        upload->m_offset = upload->m_part->size();   // hashPrefix() covers it, so the end hash covers all
    upload->m_accepted = upload->m_offset;
    return upload;
}

bool Upload::worthHashingAside() const
{
    return m_request.size - m_offset >= HashAsideMinBytes && BackgroundHasher::alive() < MaxHashersAlive;
}

bool Upload::hashAside(std::function<void()> onRoom)
{
    m_roomyHasher = !roomyHasherTaken.exchange(true);
    try {
        m_hasher = std::make_unique<BackgroundHasher>(m_hash, unhashedLimit(), std::move(onRoom));
    } catch (const std::system_error &) {
        if (std::exchange(m_roomyHasher, false))
            roomyHasherTaken.store(false);
        return false;   // out of threads: hashed as it arrives
    }
    return true;
}

Status Upload::hashPrefix()
{
    if (const Status hashed = m_part->hashContents(m_hash); !hashed)
        return fail(hashed.error());
    return Status::success();
}

Status Upload::accept(const QByteArray &bytes)
{
    if (m_accepted + bytes.size() > m_request.size)
        return Error::make(ErrorCode::SizeMismatch, QStringLiteral("%1: more data than the declared %2 bytes.")
                                                        .arg(quoted(m_request.path))
                                                        .arg(m_request.size));
    if (m_hasher)
        m_hashingFellBehind = m_hasher->add(bytes);
    else
        m_hash.update(bytes);
    m_accepted += bytes.size();
    return Status::success();
}

Status Upload::write(const QByteArray &bytes)
{
    if (!m_part)
        return Status::success();   // failed or discarded already; its error was reported
    if (const Status appended = m_part->append(bytes); !appended)
        return fail(appended.error());
    return Status::success();
}

Status Upload::checkSize()
{
    if (m_accepted != m_request.size)
        return Error::make(ErrorCode::SizeMismatch, QStringLiteral("%1: received %2 of the declared %3 bytes.")
                                                        .arg(quoted(m_request.path))
                                                        .arg(m_accepted)
                                                        .arg(m_request.size));
    m_ended = true;
    return Status::success();
}

Status Upload::checkHash(const QByteArray &sha256Hex)
{
    m_sha256Hex = m_hash.hexDigest();
    if (m_sha256Hex != sha256Hex)
        return Error::make(ErrorCode::ChecksumMismatch,
                           QStringLiteral("%1: the SHA-256 of the received data does not match.").arg(quoted(m_request.path)));
    return Status::success();
}

bool Upload::syncBatch(const QList<Upload *> &batch)
{
    // One fdatasync is cheapest for a lone (big) file; many small files share one journal commit.
    return batch.size() > 1 && batch.first()->m_home->syncAll();
}

Status Upload::finishWrites()
{
    if (!m_part)
        return Error::make(ErrorCode::IoError, QStringLiteral("Cannot write %1.").arg(quoted(m_request.path)));
    if (const Status finished = m_part->finishWrites(); !finished)
        return fail(finished.error());
    return Status::success();
}

Result<QJsonObject> Upload::commit(bool alreadySynced)
{
    if (!alreadySynced) {
        if (const Status synced = m_part->sync(); !synced)
            return fail(synced.error()).error();
    }
    // Without an mtime the file gets the time it was stored, also after a resume (PROTOCOL.md).
    const qint64 mtimeMs = m_request.mtimeMs.value_or(QDateTime::currentMSecsSinceEpoch());
    m_part->setMtime(mtimeMs);
    m_part->setKnownSha256(m_sha256Hex);
    m_finalSize = m_part->size();
    const Result<qint64> replaced = m_part->commit(m_request.mode != Mode::New);
    if (!replaced)
        return fail(replaced.error()).error();
    m_committed = std::move(m_part);
    settle(m_finalSize, *replaced);
    return QJsonObject{{Field::Size, m_finalSize},
                       {Field::Sha256, QString::fromLatin1(m_sha256Hex)},
                       {Field::Mtime, mtimeMs}};
}

void Upload::endCommit(bool syncFolder)
{
    if (m_committed && syncFolder)
        m_committed->syncFolder();
    m_committed.reset();
}

void Upload::discard()
{
    fail(Error());
}

void Upload::stopWriting()
{
    // A failure only leaves the part file shorter: a resume continues from what it holds.
    if (m_part)
        m_part->finishWrites();
}

} // namespace ferry
