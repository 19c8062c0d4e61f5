#include "Upload.h"

#include "LocalStorage.h"
#include "PartFileWriter.h"
#include "Protocol.h"
#include "QuotaLedger.h"
#include "ServerConfig.h"
#include "Storage.h"
#include "TargetLocks.h"
#include "Download.h"

#include <QFileInfo>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ferry {

namespace {
// Bytes queued for the disk before the session waits for it.
constexpr qint64 MaxWriteBacklogBytes = 8 * 1024 * 1024;

Error ioError(const VirtualPath &path, const QString &what)
{
    return Error::make(ErrorCode::IoError, QStringLiteral("Cannot write %1: %2.").arg(path.toString(), what));
}
} // namespace

Upload::Upload(ServerServices &services, const Request &request, const QString &user)
    : m_services(services), m_request(request), m_user(user)
{
}

Upload::~Upload()
{
    if (m_finished)
        return;
    // Interrupted (dropped connection, cancel): the part file stays for a later resume.
    closePartFile();
    m_services.ledger->release(m_reservation);
    if (m_locked)
        m_services.targetLocks->unlock(m_targetPath);
}

Result<std::unique_ptr<Upload>> Upload::begin(const Request &request, const QString &user, const QString &home,
                                               std::optional<qint64> limit, ServerServices &services)
{
    const VirtualPath &path = request.path;
    if (path.isRoot())
        return Error::make(ErrorCode::IsADirectory, QStringLiteral("Cannot upload onto the home folder \"/\"."));
    const Result<QString> real = services.storage->resolve(home, path);
    if (!real)
        return real.error();
    const QFileInfo folder(QFileInfo(*real).path());
    if (!folder.exists())
        return Error::make(ErrorCode::NotFound, QStringLiteral("Folder %1 does not exist.").arg(path.parent().toString()));
    if (!folder.isDir())
        return Error::make(ErrorCode::NotADirectory, QStringLiteral("%1 is not a folder.").arg(path.parent().toString()));
    const QFileInfo target(*real);
    if (target.isDir())
        return Error::make(ErrorCode::IsADirectory, QStringLiteral("%1 is a folder.").arg(path.toString()));
    if (target.exists() && request.mode == Mode::New)
        return Error::make(ErrorCode::Exists, QStringLiteral("%1 already exists.").arg(path.toString()));

    std::unique_ptr<Upload> upload(new Upload(services, request, user));
    upload->m_targetPath = *real;
    upload->m_partPath = folder.filePath() + u'/' + LocalStorage::partFileName(path.name());
    if (!services.targetLocks->tryLock(*real))
        return Error::make(ErrorCode::Busy, QStringLiteral("%1 is being written by another session.").arg(path.toString()));
    upload->m_locked = true;

    // Quota before any data: what this put adds beyond the bytes it already holds for the target.
    const QFileInfo part(upload->m_partPath);
    const qint64 partBytes = part.exists() ? part.size() : 0;
    const qint64 targetBytes = target.exists() ? target.size() : 0;
    const Result<qint64> reservation =
        services.ledger->reserve(user, qMax<qint64>(0, request.size - partBytes - targetBytes), limit);
    if (!reservation)
        return reservation.error();
    upload->m_reservation = *reservation;

    const bool resume = request.mode == Mode::Resume && partBytes > 0 && partBytes <= request.size;
    QFile &file = upload->m_part;
    file.setFileName(upload->m_partPath);
    if (!file.open(QIODevice::ReadWrite | QIODevice::Unbuffered | (resume ? QIODevice::Append : QIODevice::Truncate)))
        return ioError(path, file.errorString());
    if (resume) {
        // The kept prefix is hashed first, so the end hash covers the whole file.
        if (!Sha256::addFile(upload->m_hash, upload->m_partPath, partBytes))
            return ioError(path, QStringLiteral("cannot read the part file"));
        upload->m_offset = partBytes;
        upload->m_written = partBytes;
    } else if (partBytes > 0) {
        services.ledger->adjustUsed(user, -partBytes);   // truncated: starts over
    }
    upload->m_writer = std::make_unique<PartFileWriter>(file.handle(), request.size - upload->m_offset, MaxWriteBacklogBytes);
    return upload;
}

QString Upload::targetDirectory() const
{
    return QFileInfo(m_targetPath).path();
}

void Upload::closePartFile()
{
    m_writer.reset();   // writes what is queued first
    m_part.close();
}

void Upload::discardPartFile()
{
    closePartFile();
    QFile::remove(m_partPath);
    m_services.ledger->adjustUsed(m_user, -m_written);
    m_services.ledger->release(m_reservation);
    m_services.targetLocks->unlock(m_targetPath);
    m_locked = false;
    m_finished = true;
}

Status Upload::append(const QByteArray &bytes)
{
    if (m_written + bytes.size() > m_request.size) {
        discardPartFile();
        return Error::make(ErrorCode::SizeMismatch,
                           QStringLiteral("%1: more data than the declared %2 bytes.")
                               .arg(m_request.path.toString())
                               .arg(m_request.size));
    }
    QString failure;
    if (!m_writer->write(bytes, &failure)) {
        discardPartFile();
        return ioError(m_request.path, failure);
    }
    m_hash.update(bytes);
    m_services.ledger->consume(m_reservation, bytes.size());
    m_written += bytes.size();
    return Status::success();
}

Status Upload::verify(const QByteArray &sha256Hex)
{
    if (m_written != m_request.size) {
        discardPartFile();
        return Error::make(ErrorCode::SizeMismatch, QStringLiteral("%1: received %2 of the declared %3 bytes.")
                                                        .arg(m_request.path.toString())
                                                        .arg(m_written)
                                                        .arg(m_request.size));
    }
    m_sha256Hex = m_hash.hexDigest();
    QString failure;
    if (!m_writer->finish(&failure)) {
        discardPartFile();
        return ioError(m_request.path, failure);
    }
    if (m_sha256Hex != sha256Hex) {
        discardPartFile();
        return Error::make(ErrorCode::ChecksumMismatch,
                           QStringLiteral("%1: the SHA-256 of the received data does not match.").arg(m_request.path.toString()));
    }
    const int fd = m_part.handle();
    m_mtimeMs = m_request.mtimeMs.value_or(-1);
    if (m_mtimeMs >= 0) {
        const struct timespec times[2] = {{0, UTIME_OMIT}, {time_t(m_mtimeMs / 1000), long(m_mtimeMs % 1000) * 1000000L}};
        ::futimens(fd, times);
    } else {
        struct stat info {};
        ::fstat(fd, &info);
        m_mtimeMs = qint64(info.st_mtim.tv_sec) * 1000 + info.st_mtim.tv_nsec / 1000000;
    }
    return Status::success();
}

bool Upload::syncBatch(const QList<Upload *> &batch)
{
    // One fdatasync is cheapest for a lone (big) file; many small files share one journal commit.
    return batch.size() > 1 && ::syncfs(batch.first()->m_part.handle()) == 0;
}

Result<QJsonObject> Upload::commit(bool alreadySynced)
{
    if (!alreadySynced && ::fdatasync(m_part.handle()) != 0) {
        const QString reason = QString::fromLocal8Bit(strerror(errno));
        discardPartFile();
        return ioError(m_request.path, reason);
    }
    const qint64 mtimeMs = m_mtimeMs;
    closePartFile();

    struct stat replaced {};
    const bool replacing = ::lstat(QFile::encodeName(m_targetPath).constData(), &replaced) == 0 && S_ISREG(replaced.st_mode);
    if (::rename(QFile::encodeName(m_partPath).constData(), QFile::encodeName(m_targetPath).constData()) != 0) {
        const QString reason = QString::fromLocal8Bit(strerror(errno));
        discardPartFile();
        return ioError(m_request.path, reason);
    }
    if (replacing)
        m_services.ledger->adjustUsed(m_user, -qint64(replaced.st_size));
    storeKnownSha256(m_targetPath, m_written, mtimeMs, m_sha256Hex);
    m_services.ledger->release(m_reservation);
    m_services.targetLocks->unlock(m_targetPath);
    m_locked = false;
    m_finished = true;
    return QJsonObject{{QStringLiteral("size"), m_written},
                       {QStringLiteral("sha256"), QString::fromLatin1(m_sha256Hex)},
                       {QStringLiteral("mtime"), mtimeMs}};
}

} // namespace ferry
