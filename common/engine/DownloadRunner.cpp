#include "DownloadRunner.h"

#include "ClientSession.h"
#include "FileHashing.h"
#include "Frame.h"
#include "PartFileWriter.h"
#include "Protocol.h"
#include "TransferNames.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QTimer>

#include <filesystem>
#include <system_error>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>
#endif

namespace ferry {

namespace {
// Bytes queued for the disk before receiving waits. Small: what waits here is lost when the client is
// killed, and a resume must fetch it again.
constexpr qint64 MaxWriteBacklogBytes = 8 * 1024 * 1024;

std::filesystem::path nativePath(const QString &path)
{
#ifdef Q_OS_WIN
    return std::filesystem::path(path.toStdWString());
#else
    return std::filesystem::path(QFile::encodeName(path).toStdString());
#endif
}
} // namespace

DownloadRunner::DownloadRunner(ClientSession *session, const QString &remotePath, const QString &targetPath, bool resume,
                               QObject *parent)
    : QObject(parent), m_session(session), m_remotePath(remotePath), m_targetPath(targetPath),
      m_partPath(localPartPath(targetPath)), m_resume(resume)
{
}

DownloadRunner::~DownloadRunner()
{
    stop();
}

Error DownloadRunner::ioError(const QString &reason) const
{
    return Error::make(ErrorCode::IoError, tr("Cannot write %1: %2").arg(m_targetPath, reason));
}

void DownloadRunner::start()
{
    QDir().mkpath(QFileInfo(m_targetPath).path());
    m_file.setFileName(m_partPath);
    // Opened without truncating and locked first: a second download of the same target must not touch
    // the part file another one is writing.
    if (!m_session || !m_file.open(QIODevice::ReadWrite | QIODevice::Unbuffered)) {
        finish(ioError(m_file.errorString()));
        return;
    }
#ifdef Q_OS_UNIX
    if (::flock(m_file.handle(), LOCK_EX | LOCK_NB) != 0) {
        m_file.close();
        // ErrorExtra::Local: the lock is on this machine; waiting for a server to let go of it would not help.
        finish(Error::make(ErrorCode::Busy, tr("%1 is being downloaded already (by another transfer or program).")
                                                .arg(m_targetPath),
                           QJsonObject{{ErrorExtra::Local, true}}));
        return;
    }
#endif
    const bool resume = m_resume && m_file.size() > 0;
    if (!resume && !m_file.resize(0)) {
        finish(ioError(m_file.errorString()));
        return;
    }
    if (!resume) {
        sendGet();
        return;
    }
    // What the part file holds is hashed once; the hash then continues over the bytes still to come.
    m_offset = m_file.size();
    m_phase = Phase::Hashing;
    hashPartFile();
}

void DownloadRunner::hashPartFile()
{
    if (m_phase != Phase::Hashing)
        return;
    switch (hashFileStep(m_file, m_offset, m_hash)) {
    case HashStep::More:
        QTimer::singleShot(0, this, &DownloadRunner::hashPartFile);
        return;
    case HashStep::Failed:
        finish(Error::make(ErrorCode::IoError, tr("Cannot read %1: %2").arg(m_partPath, m_file.errorString())));
        return;
    case HashStep::Done:
        sendGet();
        return;
    }
}

void DownloadRunner::sendGet()
{
    m_position = m_offset;
    m_phase = Phase::Requesting;
    QJsonObject get{{Field::Op, QString(Op::Get)}, {Field::Path, m_remotePath}, {Field::Offset, m_offset}};
    if (m_offset > 0)
        get.insert(Field::PrefixSha256, QString::fromLatin1(m_hash.hexDigest()));
    QPointer<DownloadRunner> self(this);
    m_id = m_session->request(get, [self](const Frame &frame) { return self && self->onFrame(frame); });
}

bool DownloadRunner::onFrame(const Frame &frame)
{
    if (m_phase != Phase::Requesting && m_phase != Phase::Receiving)
        return false;
    const QString op = frame.op();
    if (op == Op::Error) {
        const Error error = ClientSession::errorFromFrame(frame);
        if (error.code == ErrorCode::ResumeMismatch && m_offset > 0 && !m_restarted)
            restartFromZero();   // the remote file changed since our part file was written
        else
            finish(error);
        return false;
    }
    if (m_phase == Phase::Requesting && op == Op::Ok)
        return onAccepted(frame);
    if (m_phase == Phase::Receiving && op == Op::Data)
        return onData(frame);
    if (m_phase == Phase::Receiving && op == Op::End) {
        onEnd(frame);
        return false;
    }
    abortWith(Error::make(ErrorCode::ProtocolError, tr("The server sent an unexpected reply '%1'.").arg(op)));
    return false;
}

bool DownloadRunner::onAccepted(const Frame &frame)
{
    const std::optional<qint64> size = jsonInteger(frame.header, Field::Size);
    if (!size || *size < m_offset) {
        abortWith(Error::make(ErrorCode::ProtocolError, tr("The server announced an invalid size for %1.").arg(m_remotePath)));
        return false;
    }
    m_size = *size;
    m_mtimeMs = jsonInteger(frame.header, Field::Mtime).value_or(-1);
    m_phase = Phase::Receiving;
    // The writer hashes what it writes: on its own thread for big files, beside this one receiving.
    m_writer = std::make_unique<PartFileWriter>(m_file.handle(), m_size - m_offset, MaxWriteBacklogBytes, &m_hash);
    emit accepted(m_offset, m_size, m_mtimeMs);
    return m_phase == Phase::Receiving;   // a slot may have stopped us
}

bool DownloadRunner::onData(const Frame &frame)
{
    const QByteArray &bytes = frame.payload;
    if (m_position + bytes.size() > m_size) {
        abortWith(Error::make(ErrorCode::SizeMismatch, tr("The server sent more than the %1 bytes of %2.")
                                                               .arg(m_size)
                                                               .arg(m_remotePath)));
        return false;
    }
    QString failure;
    if (!m_writer->write(bytes, &failure)) {
        abortWith(ioError(failure));
        return false;
    }
    m_position += bytes.size();
    emit progress(m_position);
    return m_phase == Phase::Receiving;
}

void DownloadRunner::onEnd(const Frame &frame)
{
    if (m_position != m_size) {
        finish(Error::make(ErrorCode::SizeMismatch, tr("Received %1 of the %2 bytes of %3.")
                                                            .arg(m_position)
                                                            .arg(m_size)
                                                            .arg(m_remotePath)));
        return;
    }
    QString failure;
    if (!m_writer->finish(&failure)) {   // the hash is complete once everything is written
        finish(ioError(failure));
        return;
    }
    const QByteArray expected = frame.header.value(Field::Sha256).toString().toLatin1();
    if (m_hash.hexDigest() != expected) {
        // The part file holds bytes that are not the server's file: nothing in it is worth resuming.
        m_writer.reset();
        m_file.close();
        QFile::remove(m_partPath);
        finish(Error::make(ErrorCode::ChecksumMismatch, tr("The SHA-256 of the downloaded %1 does not match the server's.")
                                                                .arg(m_remotePath)));
        return;
    }
    finish(commit());
}

Status DownloadRunner::commit()
{
    QString failure;
    if (m_writer && !m_writer->finish(&failure))
        return ioError(failure);
    m_writer.reset();
    if (m_mtimeMs >= 0)
        m_file.setFileTime(QDateTime::fromMSecsSinceEpoch(m_mtimeMs, Qt::UTC), QFileDevice::FileModificationTime);
#ifdef Q_OS_UNIX
    if (::fdatasync(m_file.handle()) != 0)
        return ioError(QString::fromLocal8Bit(strerror(errno)));
#endif
    m_file.close();
    // Atomic replacement of an existing target (std::filesystem::rename replaces, QFile::rename does not).
    std::error_code error;
    std::filesystem::rename(nativePath(m_partPath), nativePath(m_targetPath), error);
    if (error)
        return ioError(QString::fromStdString(error.message()));
    return Status::success();
}

void DownloadRunner::restartFromZero()
{
    m_restarted = true;
    m_writer.reset();
    m_hash.reset();
    m_offset = 0;
    if (!m_file.resize(0) || !m_file.seek(0)) {
        finish(ioError(m_file.errorString()));
        return;
    }
    sendGet();
}

void DownloadRunner::abortWith(const Error &error)
{
    stop();
    emit finished(error);
}

void DownloadRunner::stop()
{
    const bool requestOpen = m_phase == Phase::Requesting || m_phase == Phase::Receiving;
    m_phase = Phase::Finished;
    m_writer.reset();   // writes what arrived: it stays in the part file for a resume
    m_file.close();
    if (requestOpen && m_session) {
        m_session->abandon(m_id);
        m_session->request(QJsonObject{{Field::Op, QString(Op::Cancel)}, {Field::Target, m_id}},
                           [](const Frame &) { return false; });
    }
}

void DownloadRunner::finish(const Status &status)
{
    m_phase = Phase::Finished;
    m_writer.reset();
    m_file.close();
    emit finished(status);
}

} // namespace ferry
