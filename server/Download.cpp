#include "Download.h"

#include "FrameConnection.h"
#include "Protocol.h"
#include "Reply.h"


namespace ferry {

Download::Download(qint64 id, FrameConnection *connection, QObject *parent)
    : QObject(parent), m_id(id), m_connection(connection)
{
}

Result<Download *> Download::open(qint64 id, const VirtualPath &path, qint64 offset, StorageHome &home,
                                  FrameConnection *connection, QObject *parent)
{
    Result<std::unique_ptr<ReadFile>> file = home.openRead(path);
    if (!file)
        return file.error();
    std::unique_ptr<Download> download(new Download(id, connection, parent));
    download->m_path = path;
    download->m_file = std::move(*file);
    ReadFile &source = *download->m_file;
    download->m_size = source.size();
    download->m_mtimeMs = source.mtimeMs();
    if (offset > download->m_size)
        return Error::make(ErrorCode::ResumeMismatch,
                           QStringLiteral("%1 has only %2 bytes, fewer than the offset %3.")
                               .arg(path.toString())
                               .arg(download->m_size)
                               .arg(offset));
    download->m_knownSha256 = source.knownSha256();
    download->m_offset = offset;
    download->m_position = offset;
    return download.release();
}

bool Download::needsPrefixHash(const QByteArray &prefixSha256) const
{
    return m_offset > 0 && (!prefixSha256.isEmpty() || m_knownSha256.isEmpty());
}

std::shared_ptr<Download::PrefixCheck> Download::prefixCheck() const
{
    auto check = std::make_shared<PrefixCheck>();
    check->file = m_file;
    check->offset = m_offset;
    return check;
}

void Download::hashPrefix(PrefixCheck &check)
{
    QByteArray buffer(1024 * 1024, Qt::Uninitialized);
    for (qint64 at = 0; at < check.offset;) {
        const qint64 got = check.file->readAt(buffer.data(), qMin<qint64>(buffer.size(), check.offset - at), at);
        if (got <= 0) {
            check.readFailed = true;
            return;
        }
        check.hash.update(buffer.constData(), got);
        at += got;
    }
}

Status Download::acceptPrefix(const PrefixCheck &check, const QByteArray &prefixSha256)
{
    if (check.readFailed)
        return Error::make(ErrorCode::IoError, QStringLiteral("Cannot read %1.").arg(m_path.toString()));
    if (!prefixSha256.isEmpty() && check.hash.hexDigest() != prefixSha256)
        return Error::make(ErrorCode::ResumeMismatch,
                           QStringLiteral("The first %1 bytes of %2 differ from the client's part file.")
                               .arg(m_offset)
                               .arg(m_path.toString()));
    m_hash = check.hash;
    return Status::success();
}

void Download::start()
{
    m_started = true;
    pump();
}

void Download::pump()
{
    if (!m_started)
        return;
    const QJsonObject dataHeader = Reply::data(m_id);
    while (!m_done && m_connection->canWrite()) {
        const qint64 length = qMin(Limits::DataChunkBytes, m_size - m_position);
        if (length > 0) {
            QByteArray chunk(length, Qt::Uninitialized);
            if (m_file->readAt(chunk.data(), length, m_position) != length) {
                m_done = true;
                const Error error = Error::make(ErrorCode::IoError, QStringLiteral("Reading the file failed."));
                m_connection->send(Reply::error(m_id, error));
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
        m_connection->send(Reply::end(m_id, sha256));
        emit finished(Status::success());
    }
}

} // namespace ferry
