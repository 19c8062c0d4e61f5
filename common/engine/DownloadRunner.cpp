#include "DownloadRunner.h"

#include "ClientSession.h"
#include "FileHashing.h"
#include "Frame.h"
#include "GroupSync.h"
#include "PartFileWriter.h"
#include "Protocol.h"
#include "TransferNames.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QFuture>
#include <QHash>
#include <QPromise>
#include <QThreadPool>
#include <QTimer>

#include <filesystem>
#include <mutex>
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

// Big files' commits wait for the disk (the data's sync, then the folder's), each on a thread of this pool;
// commits waiting at once share one of each (GroupSync). Small files commit in groups (DownloadCommitQueue),
// one thread of it at a time. The pool's size is from when every small file had a thread of its own: a
// 2000-file download on a fresh ext4 took 0.63 s with 32 threads against 0.75 s with 8; with the window of 256
// small items, 64 threads took 0.46-0.57 s, 32 0.55-0.57, 16 0.66-0.82, 128 and 256 no less than 64.
QThreadPool *commitPool()
{
    static QThreadPool *pool = [] {
        auto *threads = new QThreadPool;
        threads->setMaxThreadCount(64);
        return threads;
    }();
    return pool;
}
} // namespace

// What a commit takes over from the runner, which may be gone before the commit ends.
struct DownloadRunner::PartState {
    QFile file;
    Sha256 hash;                              // declared before the writer, which updates it until destroyed
    std::unique_ptr<PartFileWriter> writer;   // open while receiving

    // The writer's threads tell the runner when they caught up, until the runner lets go (nullptr).
    void setRoomReceiver(DownloadRunner *runner)
    {
        const std::lock_guard<std::mutex> lock(roomMutex);
        roomReceiver = runner;
    }
    void notifyRoom()   // on a writer's thread
    {
        const std::lock_guard<std::mutex> lock(roomMutex);
        if (roomReceiver)
            QMetaObject::invokeMethod(roomReceiver, &DownloadRunner::onWriterRoom, Qt::QueuedConnection);
    }

private:
    std::mutex roomMutex;
    DownloadRunner *roomReceiver = nullptr;
};

// A verified download waiting for its commit; the promise reports the commit's end to the runner.
struct DownloadRunner::CommitJob {
    std::shared_ptr<PartState> part;
    QByteArray expectedSha256;
    qint64 mtimeMs;
    QString remotePath;
    QString targetPath;
    std::shared_ptr<QPromise<Status>> promise;

    void settle(const Status &status) const
    {
        promise->addResult(status);
        promise->finish();
    }
};

// Small downloads' commits, in groups: one pool thread at a time takes every commit waiting, syncs their data
// with one sync, renames them and syncs each folder once, while the next group gathers. With each commit on a
// pool thread of its own (sharing syncs through GroupSync), a 2000-file get -r spent ~15 % of the client's CPU
// on those threads waking each other.
class DownloadCommitQueue {
public:
    static DownloadCommitQueue &instance()
    {
        // Never destroyed: a pool thread may still be leaving drain() when the program ends.
        static auto *queue = new DownloadCommitQueue;
        return *queue;
    }

    void add(DownloadRunner::CommitJob job)
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_jobs.push_back(std::move(job));
        if (m_draining)
            return;
        m_draining = true;
        commitPool()->start([this] { drain(); });
    }

private:
    void drain()
    {
        for (;;) {
            std::vector<DownloadRunner::CommitJob> group;
            {
                const std::lock_guard<std::mutex> lock(m_mutex);
                if (m_jobs.empty()) {
                    m_draining = false;
                    return;
                }
                group.swap(m_jobs);
            }
            DownloadRunner::commitTogether(group);
        }
    }

    std::mutex m_mutex;
    std::vector<DownloadRunner::CommitJob> m_jobs;
    bool m_draining = false;
};

DownloadRunner::DownloadRunner(ClientSession *session, const QString &remotePath, const QString &targetPath, bool resume,
                               QObject *parent)
    : QObject(parent), m_session(session), m_remotePath(remotePath), m_targetPath(targetPath),
      m_partPath(localPartPath(targetPath)), m_resume(resume), m_part(std::make_shared<PartState>())
{
}

DownloadRunner::~DownloadRunner()
{
    stop();
}

Error DownloadRunner::ioError(const QString &targetPath, const QString &reason)
{
    return Error::make(ErrorCode::IoError, tr("Cannot write %1: %2").arg(targetPath, reason));
}

void DownloadRunner::start()
{
    m_part->file.setFileName(m_partPath);
    // Opened without truncating and locked first: a second download of the same target must not touch
    // the part file another one is writing. The folder is made when missing (most often its folder's task
    // made it already: asking first would cost two system calls per file).
    const auto open = [this] { return m_part->file.open(QIODevice::ReadWrite | QIODevice::Unbuffered); };
    const QString folder = QFileInfo(m_targetPath).path();
    bool opened = m_session && open();
    if (!opened && m_session && !QFileInfo::exists(folder))
        opened = QDir().mkpath(folder) && open();
    if (!opened) {
        finish(ioError(m_targetPath, m_part->file.errorString()));
        return;
    }
#ifdef Q_OS_UNIX
    if (::flock(m_part->file.handle(), LOCK_EX | LOCK_NB) != 0) {
        m_part->file.close();
        // ErrorExtra::Local: the lock is on this machine; waiting for a server to let go of it would not help.
        finish(Error::make(ErrorCode::Busy, tr("%1 is being downloaded already (by another transfer or program).")
                                                .arg(m_targetPath),
                           QJsonObject{{ErrorExtra::Local, true}}));
        return;
    }
#endif
    const qint64 held = m_part->file.size();
    const bool resume = m_resume && held > 0;
    if (!resume && held > 0 && !m_part->file.resize(0)) {
        finish(ioError(m_targetPath, m_part->file.errorString()));
        return;
    }
    if (!resume) {
        sendGet();
        return;
    }
    // What the part file holds is hashed once; the hash then continues over the bytes still to come.
    m_offset = m_part->file.size();
    m_phase = Phase::Hashing;
    hashPartFile();
}

void DownloadRunner::hashPartFile()
{
    if (m_phase != Phase::Hashing)
        return;
    switch (hashFileStep(m_part->file, m_offset, m_part->hash)) {
    case HashStep::More:
        QTimer::singleShot(0, this, &DownloadRunner::hashPartFile);
        return;
    case HashStep::Failed:
        finish(Error::make(ErrorCode::IoError, tr("Cannot read %1: %2").arg(m_partPath, m_part->file.errorString())));
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
        get.insert(Field::PrefixSha256, QString::fromLatin1(m_part->hash.hexDigest()));
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
    PartState *part = m_part.get();
    part->setRoomReceiver(this);
    part->writer = std::make_unique<PartFileWriter>(part->file.handle(), m_size - m_offset, MaxWriteBacklogBytes, &part->hash,
                                                    [part] { part->notifyRoom(); });
    // Big files around the page cache, as ferryd's uploads: copying into fresh page-cache pages cost this VM more
    // of the client's CPU than hashing (a 1 GiB get took 2.7 s with 2.9 CPU-s buffered, 1.9 s with 1.8 direct).
    part->writer->goAroundPageCache();
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
    bool full = false;
    if (!m_part->writer->writeWithoutWaiting(bytes, &failure, &full)) {
        abortWith(ioError(m_targetPath, failure));
        return false;
    }
    if (full && !m_holdingReceive && m_session) {
        m_receiveHold = m_session->holdReceiving();
        m_holdingReceive = true;
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
    releaseReceiving();
    m_part->setRoomReceiver(nullptr);
    m_phase = Phase::Committing;
    // The rest waits for the disk: the last writes, the sync and the rename run on the commit pool, which owns
    // the part file from now on (so this runner may go meanwhile), and finished() follows on this thread.
    CommitJob job{m_part, frame.header.value(Field::Sha256).toString().toLatin1(), m_mtimeMs, m_remotePath,
                  m_targetPath, std::make_shared<QPromise<Status>>()};
    m_commit = job.promise->future();
    job.promise->start();
    if (m_size - m_offset < PartFileWriter::BackgroundMinBytes) {
        DownloadCommitQueue::instance().add(std::move(job));
    } else {
        commitPool()->start([job = std::move(job)] { job.settle(commit(job)); });
    }
    m_commit.then(this, [this](const Status &status) {
        if (m_phase == Phase::Committing)
            finish(status);
    });
}

void DownloadRunner::onWriterRoom()
{
    if (m_phase == Phase::Receiving)
        releaseReceiving();
}

void DownloadRunner::releaseReceiving()
{
    if (!m_holdingReceive)
        return;
    m_holdingReceive = false;
    if (m_session)
        m_session->releaseReceiving(m_receiveHold);
}

Status DownloadRunner::prepareCommit(const CommitJob &job)
{
    PartState &part = *job.part;
    const QString &targetPath = job.targetPath;
    QString failure;
    if (!part.writer->finish(&failure))   // the hash is complete once everything is written
        return ioError(targetPath, failure);
    part.writer.reset();
    if (part.hash.hexDigest() != job.expectedSha256) {
        // The part file holds bytes that are not the server's file: nothing in it is worth resuming.
        part.file.close();
        QFile::remove(part.file.fileName());
        return Error::make(ErrorCode::ChecksumMismatch,
                           tr("The SHA-256 of the downloaded %1 does not match the server's.").arg(job.remotePath));
    }
    if (job.mtimeMs >= 0)
        part.file.setFileTime(QDateTime::fromMSecsSinceEpoch(job.mtimeMs, Qt::UTC), QFileDevice::FileModificationTime);
    return Status::success();
}

// Replaces an existing target atomically (std::filesystem::rename replaces, QFile::rename does not).
Status DownloadRunner::renameIntoPlace(const CommitJob &job)
{
    job.part->file.close();
    std::error_code error;
    std::filesystem::rename(nativePath(job.part->file.fileName()), nativePath(job.targetPath), error);
    if (error)
        return ioError(job.targetPath, QString::fromStdString(error.message()));
    return Status::success();
}

Status DownloadRunner::commit(const CommitJob &job)
{
    const QString &targetPath = job.targetPath;
    if (const Status prepared = prepareCommit(job); !prepared)
        return prepared;
    if (const int failed = GroupSync::afterWrites(job.part->file.handle()))
        return ioError(targetPath, QString::fromLocal8Bit(strerror(failed)));
    if (const Status renamed = renameIntoPlace(job); !renamed)
        return renamed;
    // The new name is durable only with its folder: "done" must survive a crash (the state file says so).
    if (const int failed = GroupSync::afterRename(QFileInfo(targetPath).absolutePath()))
        return ioError(targetPath, QString::fromLocal8Bit(strerror(failed)));
    return Status::success();
}

void DownloadRunner::commitTogether(std::vector<CommitJob> &jobs)
{
    std::vector<const CommitJob *> ready;
    for (const CommitJob &job : jobs) {
        if (const Status prepared = prepareCommit(job); !prepared)
            job.settle(prepared);
        else
            ready.push_back(&job);
    }
    // The data of all, in one sync (a failed one fails every file it was to cover); then the renames.
    QList<int> files;
    for (const CommitJob *job : ready)
        files.append(job->part->file.handle());
    const QList<int> errors = GroupSync::syncData(files);
    QHash<QString, QList<const CommitJob *>> renamedInto;   // folder -> its renamed files
    for (qsizetype i = 0; i < qsizetype(ready.size()); ++i) {
        const CommitJob *job = ready[size_t(i)];
        if (const int failed = errors[i]) {
            job->settle(ioError(job->targetPath, QString::fromLocal8Bit(strerror(failed))));
            continue;
        }
        if (const Status renamed = renameIntoPlace(*job); !renamed)
            job->settle(renamed);
        else
            renamedInto[QFileInfo(job->targetPath).absolutePath()].append(job);
    }
    // The new names: one sync of each folder (GroupSync shares it with big files' commits there).
    for (auto folder = renamedInto.cbegin(); folder != renamedInto.cend(); ++folder) {
        const int failed = GroupSync::afterRename(folder.key());
        for (const CommitJob *job : folder.value())
            job->settle(failed ? ioError(job->targetPath, QString::fromLocal8Bit(strerror(failed))) : Status::success());
    }
}

void DownloadRunner::restartFromZero()
{
    m_restarted = true;
    m_part->writer.reset();
    m_part->hash.reset();
    m_offset = 0;
    if (!m_part->file.resize(0) || !m_part->file.seek(0)) {
        finish(ioError(m_targetPath, m_part->file.errorString()));
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
    const bool committing = m_phase == Phase::Committing;
    m_phase = Phase::Finished;
    releaseReceiving();
    if (committing) {
        m_commit.waitForFinished();   // rare (a stop in the moment of the commit), and at most one sync long
        return;
    }
    closePart();
    if (requestOpen && m_session) {
        m_session->abandon(m_id);
        m_session->request(QJsonObject{{Field::Op, QString(Op::Cancel)}, {Field::Target, m_id}},
                           [](const Frame &) { return false; });
    }
}

void DownloadRunner::closePart()
{
    m_part->setRoomReceiver(nullptr);
    m_part->writer.reset();   // writes what arrived: it stays in the part file for a resume
    m_part->file.close();
}

void DownloadRunner::finish(const Status &status)
{
    const bool committed = m_phase == Phase::Committing;
    m_phase = Phase::Finished;
    releaseReceiving();
    if (!committed)
        closePart();
    emit finished(status);
}

} // namespace ferry
