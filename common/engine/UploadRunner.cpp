#include "UploadRunner.h"

#include "ClientSession.h"
#include "FileChunkReader.h"
#include "FileHashing.h"
#include "Frame.h"
#include "Protocol.h"

#include <QFileInfo>
#include <QTimer>

#include <cerrno>
#include <memory>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ferry {

namespace {
// How far the reader thread may read and hash ahead of the socket.
constexpr qint64 ReadAheadBytes = 8 * 1024 * 1024;
}

UploadRunner::UploadRunner(ClientSession *session, const QString &localPath, const QString &remotePath, Mode mode,
                           QObject *parent)
    : QObject(parent), m_session(session), m_localPath(localPath), m_remotePath(remotePath), m_mode(mode)
{
}

UploadRunner::~UploadRunner()
{
    stop();
}

Error UploadRunner::error(QLatin1String code, const QString &message) const
{
    return Error::make(code, message);
}

void UploadRunner::start()
{
    // Plain system calls: QFile looked at the file twice more per file (when it opened and when it read), which
    // was a third of the system calls of a small upload. A big file is handed to QFile once it is open.
    const int fd = m_session ? ::open(QFile::encodeName(m_localPath).constData(), O_RDONLY | O_CLOEXEC) : -1;
    if (fd < 0) {
        finish(error(ErrorCode::IoError, tr("Cannot read %1: %2").arg(m_localPath, m_session ? qt_error_string(errno) : QString())));
        return;
    }
    // One look at the open file gives both size and time (QFileInfo would walk the path again).
    struct stat info {};
    if (::fstat(fd, &info) != 0 || S_ISDIR(info.st_mode)) {
        const int failure = S_ISDIR(info.st_mode) ? EISDIR : errno;
        ::close(fd);
        finish(error(ErrorCode::IoError, tr("Cannot read %1: %2").arg(m_localPath, qt_error_string(failure))));
        return;
    }
    m_size = info.st_size;
    m_mtimeMs = qint64(info.st_mtim.tv_sec) * 1000 + info.st_mtim.tv_nsec / 1'000'000;
    m_pipelined = isPipelined(m_size, m_mode);

    QByteArray content;
    if (m_pipelined) {
        // Read first, so the size we declare is the size we send even if the file just changed.
        content = QByteArray(m_size, Qt::Uninitialized);
        qint64 got = 0;
        ssize_t last = 0;
        while (got < m_size) {
            last = ::read(fd, content.data() + got, size_t(m_size - got));
            if (last < 0 && errno == EINTR)
                continue;
            if (last <= 0)
                break;
            got += last;
        }
        const int failure = last < 0 ? errno : 0;
        ::close(fd);
        if (got != m_size) {
            finish(error(ErrorCode::IoError,
                         failure != 0 ? tr("Cannot read %1: %2").arg(m_localPath, qt_error_string(failure))
                                      : tr("Cannot read %1: the file changed or became unreadable during the upload.")
                                                .arg(m_localPath)));
            return;
        }
        m_hash.update(content);
        m_sha256 = m_hash.hexDigest();
        m_position = m_size;
    } else {
        m_file.setFileName(m_localPath);
        if (!m_file.open(fd, QIODevice::ReadOnly | QIODevice::Unbuffered, QFileDevice::AutoCloseHandle)) {
            ::close(fd);
            finish(error(ErrorCode::IoError, tr("Cannot read %1: %2").arg(m_localPath, m_file.errorString())));
            return;
        }
    }

    QJsonObject put{{Field::Op, QString(Op::Put)},
                    {Field::Path, m_remotePath},
                    {Field::Size, m_size},
                    {Field::Mode, QString(putModeName(m_mode))}};
    if (m_mtimeMs >= 0)
        put.insert(Field::Mtime, m_mtimeMs);
    QPointer<UploadRunner> self(this);
    m_phase = Phase::Accepting;
    m_id = m_session->request(put, [self](const Frame &frame) { return self && self->onFrame(frame); });
    if (m_pipelined) {
        if (!content.isEmpty())
            m_session->sendForRequest(m_id, QJsonObject{{Field::Op, QString(Op::Data)}}, content);
        sendEnd();
    }
}

bool UploadRunner::onFrame(const Frame &frame)
{
    if (m_phase == Phase::Finished)
        return false;
    if (frame.op() == Op::Error) {
        finish(ClientSession::errorFromFrame(frame));
        return false;
    }
    if (frame.op() != Op::Ok) {
        abortWith(error(ErrorCode::ProtocolError, tr("The server sent an unexpected reply '%1'.").arg(frame.op())));
        return false;
    }
    if (!m_accepted) {
        const std::optional<qint64> offset = jsonInteger(frame.header, Field::Offset);
        if (!offset || *offset > m_size || (m_pipelined && *offset != 0)) {
            abortWith(error(ErrorCode::ProtocolError, tr("The server answered the upload of %1 with an invalid offset.")
                                                              .arg(m_remotePath)));
            return false;
        }
        onAccepted(*offset);
        return m_phase != Phase::Finished;
    }
    checkResult(frame);
    return false;
}

void UploadRunner::onAccepted(qint64 offset)
{
    m_accepted = true;
    m_offset = offset;
    emit accepted(offset, m_size);
    if (m_phase == Phase::Finished || m_pipelined)
        return;   // stopped from a slot, or everything was sent already
    m_phase = Phase::Hashing;
    hashPrefix();
}

void UploadRunner::hashPrefix()
{
    if (m_phase != Phase::Hashing)
        return;
    // The server continues its part file: our hash must cover those bytes too, read but not sent.
    switch (hashFileStep(m_file, m_offset, m_hash)) {
    case HashStep::More:
        QTimer::singleShot(0, this, &UploadRunner::hashPrefix);
        return;
    case HashStep::Failed:
        abortWith(error(ErrorCode::IoError, tr("Cannot read %1: %2").arg(m_localPath, m_file.errorString())));
        return;
    case HashStep::Done:
        break;
    }
    m_position = m_offset;
    m_phase = Phase::Sending;
    // Reading and hashing run ahead on the reader's thread (big files), so this one only sends.
    // When the reader is behind, pump() returns and the reader calls it again: this thread never waits for the disk.
    m_reader = std::make_unique<FileChunkReader>(m_file.handle(), m_offset, m_size, Limits::DataChunkBytes,
                                                 ReadAheadBytes, &m_hash, [this] {
                                                     QMetaObject::invokeMethod(this, &UploadRunner::pump, Qt::QueuedConnection);
                                                 });
    m_writable = connect(m_session, &ClientSession::writable, this, &UploadRunner::pump);
    pump();
}

void UploadRunner::pump()
{
    const QJsonObject dataHeader{{Field::Op, QString(Op::Data)}};
    while (m_phase == Phase::Sending && m_session && m_session->canWrite()) {
        if (m_position >= m_size) {
            disconnect(m_writable);
            m_reader.reset();   // it took its last chunk: the hash is complete
            m_sha256 = m_hash.hexDigest();
            sendEnd();
            return;
        }
        if (!m_reader->hasChunk())
            return;
        // A fresh buffer per frame: the socket keeps a reference to it until the bytes are written.
        QString failure;
        const QByteArray chunk = m_reader->take(&failure);
        if (chunk.isEmpty()) {
            abortWith(error(ErrorCode::IoError, tr("Cannot read %1: the file changed or became unreadable during the upload.")
                                                        .arg(m_localPath)));
            return;
        }
        m_session->sendForRequest(m_id, dataHeader, chunk);
        m_position += chunk.size();
        emit progress(m_position);   // a slot may stop us: the loop condition checks the phase
    }
}

void UploadRunner::sendEnd()
{
    m_phase = Phase::Verifying;
    m_reader.reset();
    m_file.close();
    m_session->sendForRequest(m_id, QJsonObject{{Field::Op, QString(Op::End)}, {Field::Sha256, QString::fromLatin1(m_sha256)}});
}

void UploadRunner::checkResult(const Frame &frame)
{
    if (m_phase != Phase::Verifying) {
        abortWith(error(ErrorCode::ProtocolError, tr("The server confirmed the upload of %1 before it was complete.")
                                                          .arg(m_remotePath)));
        return;
    }
    const std::optional<qint64> size = jsonInteger(frame.header, Field::Size);
    const QByteArray sha256 = frame.header.value(Field::Sha256).toString().toLatin1();
    if (size != m_size || sha256 != m_sha256) {
        finish(error(ErrorCode::ChecksumMismatch, tr("The server stored different bytes for %1 than were sent.")
                                                          .arg(m_remotePath)));
        return;
    }
    emit progress(m_size);
    finish(Status::success());
}

void UploadRunner::abortWith(const Error &error)
{
    stop();
    emit finished(error);
}

bool UploadRunner::stop(bool discard)
{
    if (m_phase == Phase::Finished || m_phase == Phase::Idle) {
        m_phase = Phase::Finished;
        return false;
    }
    m_phase = Phase::Finished;
    disconnect(m_writable);
    m_reader.reset();
    m_file.close();
    if (!m_session || m_id == 0)
        return false;
    m_session->abandon(m_id);
    // Without discard the server keeps what it received in its part file; a put in mode resume continues it.
    QJsonObject cancel{{Field::Op, QString(Op::Cancel)}, {Field::Target, m_id}};
    if (discard)
        cancel.insert(Field::Discard, true);
    m_session->request(cancel, [](const Frame &) { return false; });
    return true;
}

void UploadRunner::discardPart(ClientSession *session, const QString &remotePath, qint64 localSize)
{
    if (!session || session->state() != ClientSession::State::Ready || localSize < 0)
        return;
    const QJsonObject put{{Field::Op, QString(Op::Put)},
                          {Field::Path, remotePath},
                          {Field::Size, localSize},
                          {Field::Mode, QString(putModeName(Mode::Resume))}};
    QPointer<ClientSession> guard(session);
    auto id = std::make_shared<qint64>(0);
    *id = session->request(put, [guard, id](const Frame &frame) {
        if (guard && frame.op() == Op::Ok) {
            guard->request(QJsonObject{{Field::Op, QString(Op::Cancel)}, {Field::Target, *id},
                                       {Field::Discard, true}},
                           [](const Frame &) { return false; });
        }
        return false;
    });
}

void UploadRunner::finish(const Status &status)
{
    m_phase = Phase::Finished;
    disconnect(m_writable);
    m_reader.reset();
    m_file.close();
    emit finished(status);
}

} // namespace ferry
