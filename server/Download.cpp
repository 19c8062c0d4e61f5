#include "Download.h"

#include <QPointer>

#include "CacheAwareReader.h"
#include "DiskQueue.h"
#include "FrameConnection.h"
#include "Protocol.h"
#include "Reply.h"
#include "Sha256.h"

#include <atomic>

namespace ferry {

namespace {
// Read ahead of the connection: one chunk on the disk while one waits to be sent keeps both busy; more would
// only hold memory per download (a slow reader's session already buffers up to the write watermark).
constexpr int ReadAheadChunks = 2;
}

// What the disk-pool jobs touch. Jobs of one download run in order, and the session thread reads the hash
// only after the last job's completion has reached it.
struct Download::Source {
    std::unique_ptr<ReadFile> file;
    Sha256 hash;
    QByteArray knownSha256;   // stored at upload and still valid: nothing to hash while sending
    std::atomic<bool> stopped{false};   // abandoned, or a read failed: skip what is still queued
};

Download::Download(qint64 id, FrameConnection *connection, QObject *parent)
    : QObject(parent), m_id(id), m_connection(connection), m_source(std::make_shared<Source>())
{
}

Download::~Download()
{
    abandon();
}

Result<Download *> Download::open(qint64 id, const VirtualPath &path, qint64 offset, StorageHome &home,
                                  FrameConnection *connection, QThreadPool *diskPool,
                                  const std::shared_ptr<DiskQueue> &smallReads, QObject *parent)
{
    Result<std::unique_ptr<ReadFile>> file = home.openRead(path);
    if (!file)
        return file.error();
    const qint64 size = (*file)->size();
    if (offset > size)
        return Error::make(ErrorCode::ResumeMismatch,
                           QStringLiteral("%1 has only %2 bytes, fewer than the offset %3.")
                               .arg(path.toString())
                               .arg(size)
                               .arg(offset));
    std::unique_ptr<Download> download(new Download(id, connection, parent));
    download->m_path = path;
    download->m_size = size;
    download->m_mtimeMs = (*file)->mtimeMs();
    download->m_offset = offset;
    download->m_readPosition = offset;
    download->m_sentPosition = offset;
    download->m_source->knownSha256 = (*file)->knownSha256();
    download->m_source->file = std::move(*file);
    download->m_ownsReads = size - offset > Limits::DataChunkBytes || !smallReads;
    download->m_reads = download->m_ownsReads ? std::make_shared<DiskQueue>(diskPool, download.get()) : smallReads;
    return download.release();
}

void Download::start(const QByteArray &prefixSha256)
{
    const bool needsPrefix = m_offset > 0 && (!prefixSha256.isEmpty() || m_source->knownSha256.isEmpty());
    if (!needsPrefix) {
        m_sending = true;
        emit accepted();
        pump();
        return;
    }
    checkPrefix(prefixSha256);
}

void Download::checkPrefix(const QByteArray &prefixSha256)
{
    auto readable = std::make_shared<bool>(true);
    m_reads->post(
        [source = m_source, offset = m_offset, readable] {
            QByteArray buffer(Limits::DataChunkBytes, Qt::Uninitialized);
            for (qint64 at = 0; at < offset && !source->stopped;) {
                const qint64 got = source->file->readAt(buffer.data(), qMin<qint64>(buffer.size(), offset - at), at);
                if (got <= 0) {
                    *readable = false;
                    return;
                }
                source->hash.update(buffer.constData(), got);
                at += got;
            }
        },
        whileAlive([this, prefixSha256, readable] {
            if (m_done)
                return;
            if (!*readable)
                return fail(Error::make(ErrorCode::IoError, QStringLiteral("Cannot read %1.").arg(m_path.toString())));
            if (!prefixSha256.isEmpty() && m_source->hash.hexDigest() != prefixSha256)
                return fail(Error::make(ErrorCode::ResumeMismatch,
                                        QStringLiteral("The first %1 bytes of %2 differ from the client's part file.")
                                            .arg(m_offset)
                                            .arg(m_path.toString())));
            m_sending = true;
            emit accepted();
            pump();
        }));
}

void Download::readAhead()
{
    while (!m_done && m_readPosition < m_size && m_reading + int(m_ready.size()) < ReadAheadChunks) {
        const qint64 at = m_readPosition;
        const qint64 length = qMin(Limits::DataChunkBytes, m_size - at);
        m_readPosition += length;
        ++m_reading;
        auto chunk = std::make_shared<QByteArray>();
        m_reads->post(
            [source = m_source, chunk, at, length] {
                if (source->stopped)
                    return;
                QByteArray bytes = CacheAwareReader::bufferFor(at, length);
                if (source->file->readAt(bytes.data(), length, at) != length) {
                    source->stopped = true;   // the hash of what follows would be wrong anyway
                    return;
                }
                if (source->knownSha256.isEmpty()) {
                    source->hash.update(bytes);
                    // The hash covers the whole file (a resume hashed the prefix first): the next download
                    // of this file, and a stat, need not hash it.
                    if (at + length == source->file->size())
                        source->file->rememberSha256(source->hash.hexDigest());
                }
                *chunk = std::move(bytes);
            },
            whileAlive([this, chunk] {
                --m_reading;
                if (m_done)
                    return;
                if (chunk->isEmpty())
                    return fail(Error::make(ErrorCode::IoError, QStringLiteral("Reading the file failed.")));
                m_ready.push_back(std::move(*chunk));
                pump();
            }));
    }
}

void Download::pump()
{
    if (!m_sending || m_done)
        return;
    const QJsonObject dataHeader = Reply::data(m_id);
    while (!m_ready.empty() && m_connection->canWrite()) {
        m_sentPosition += m_ready.front().size();
        m_connection->send(dataHeader, m_ready.front());
        m_ready.pop_front();
    }
    readAhead();
    if (m_sentPosition < m_size || !m_connection->canWrite())
        return;
    m_done = true;
    const QByteArray &known = m_source->knownSha256;
    m_connection->send(Reply::end(m_id, known.isEmpty() ? m_source->hash.hexDigest() : known));
    emit finished(Status::success());
}

void Download::fail(const Error &error)
{
    m_done = true;
    m_source->stopped = true;
    m_connection->send(Reply::error(m_id, error));
    emit finished(error);
}

void Download::abandon()
{
    m_done = true;
    m_source->stopped = true;
    if (m_reads && m_ownsReads)
        m_reads->detach();
}

std::function<void()> Download::whileAlive(std::function<void()> done)
{
    return [self = QPointer<Download>(this), done = std::move(done)] {
        if (self)
            done();
    };
}

} // namespace ferry
