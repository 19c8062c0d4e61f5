#include "Download.h"

#include "FrameConnection.h"
#include "Protocol.h"
#include "ServerConfig.h"
#include "Storage.h"

#include <QFileInfo>

#include <sys/xattr.h>

namespace ferry {

namespace {
const char HashAttribute[] = "user.ferry.sha256";
}

void storeKnownSha256(const QString &realPath, qint64 size, qint64 mtimeMs, const QByteArray &sha256Hex)
{
    const QByteArray value = QByteArray::number(size) + ':' + QByteArray::number(mtimeMs) + ':' + sha256Hex;
    // Best effort: without xattr support a download just hashes the file again.
    ::setxattr(QFile::encodeName(realPath).constData(), HashAttribute, value.constData(), size_t(value.size()), 0);
}

QByteArray knownSha256(const QString &realPath, qint64 size, qint64 mtimeMs)
{
    char buffer[128];
    const ssize_t length = ::getxattr(QFile::encodeName(realPath).constData(), HashAttribute, buffer, sizeof buffer);
    if (length <= 0)
        return {};
    const QList<QByteArray> parts = QByteArray(buffer, int(length)).split(':');
    if (parts.size() != 3 || parts[0].toLongLong() != size || parts[1].toLongLong() != mtimeMs || parts[2].size() != 64)
        return {};
    return parts[2];
}

Download::Download(qint64 id, FrameConnection *connection, QObject *parent)
    : QObject(parent), m_id(id), m_connection(connection)
{
}

Result<Download *> Download::begin(qint64 id, const VirtualPath &path, qint64 offset, const QByteArray &prefixSha256,
                                   const QString &home, ServerServices &services, FrameConnection *connection,
                                   QObject *parent)
{
    const Result<QString> real = services.storage->resolve(home, path);
    if (!real)
        return real.error();
    const QFileInfo info(*real);
    if (!info.exists())
        return Error::make(ErrorCode::NotFound, QStringLiteral("%1 does not exist.").arg(path.toString()));
    if (info.isDir())
        return Error::make(ErrorCode::IsADirectory, QStringLiteral("%1 is a folder.").arg(path.toString()));

    std::unique_ptr<Download> download(new Download(id, connection, parent));
    QFile &file = download->m_file;
    file.setFileName(*real);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return Error::make(ErrorCode::PermissionDenied, QStringLiteral("Cannot read %1.").arg(path.toString()));
    download->m_size = file.size();
    download->m_mtimeMs = info.lastModified().toMSecsSinceEpoch();
    if (offset > download->m_size)
        return Error::make(ErrorCode::ResumeMismatch,
                           QStringLiteral("%1 has only %2 bytes, fewer than the offset %3.")
                               .arg(path.toString())
                               .arg(download->m_size)
                               .arg(offset));
    download->m_knownSha256 = knownSha256(*real, download->m_size, download->m_mtimeMs);
    const bool checkPrefix = offset > 0 && !prefixSha256.isEmpty();
    if (checkPrefix || (offset > 0 && download->m_knownSha256.isEmpty())) {
        if (!Sha256::addFile(download->m_hash, *real, offset))
            return Error::make(ErrorCode::IoError, QStringLiteral("Cannot read %1.").arg(path.toString()));
        if (checkPrefix && download->m_hash.hexDigest() != prefixSha256)
            return Error::make(ErrorCode::ResumeMismatch,
                               QStringLiteral("The first %1 bytes of %2 differ from the client's part file.")
                                   .arg(offset)
                                   .arg(path.toString()));
    }
    download->m_offset = offset;
    download->m_position = offset;
    if (!file.seek(offset))
        return Error::make(ErrorCode::IoError, QStringLiteral("Cannot read %1.").arg(path.toString()));
    return download.release();
}

void Download::pump()
{
    const QJsonObject dataHeader{{QStringLiteral("op"), QString(Op::Data)}, {QStringLiteral("re"), m_id}};
    while (!m_done && m_connection->canWrite()) {
        const qint64 length = qMin(Limits::DataChunkBytes, m_size - m_position);
        if (length > 0) {
            QByteArray chunk(length, Qt::Uninitialized);
            if (m_file.read(chunk.data(), length) != length) {
                m_done = true;
                const Error error = Error::make(ErrorCode::IoError, QStringLiteral("Reading the file failed."));
                m_connection->send(QJsonObject{{QStringLiteral("op"), QString(Op::Error)},
                                               {QStringLiteral("re"), m_id},
                                               {QStringLiteral("code"), error.code},
                                               {QStringLiteral("message"), error.message}});
                emit finished(error);
                return;
            }
            if (m_knownSha256.isEmpty())
                m_hash.update(chunk);
            m_position += length;
            m_connection->send(dataHeader, chunk);
            continue;
        }
        m_done = true;
        const QByteArray sha256 = m_knownSha256.isEmpty() ? m_hash.hexDigest() : m_knownSha256;
        m_connection->send(QJsonObject{{QStringLiteral("op"), QString(Op::End)},
                                       {QStringLiteral("re"), m_id},
                                       {QStringLiteral("sha256"), QString::fromLatin1(sha256)}});
        emit finished(Status::success());
    }
}

} // namespace ferry
