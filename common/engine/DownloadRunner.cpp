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
#include <QHash>
#include <QThreadPool>
#include <QTimer>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <iterator>
#include <mutex>
#include <system_error>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <cstdio>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace ferry {

namespace {
// Bytes queued for the disk before receiving waits. Small: what waits here is lost when the client is
// killed, and a resume must fetch it again (32 MiB made a 1 GiB download ~13 % faster on the test VM, riding
// out the disk's flushes, but a download killed halfway then fetched 1.020-1.035x its size: PERFORMANCE.md).
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
    QString path;
    QFile file;                               // streamed downloads
    QByteArray held;                          // a small download's bytes, written by its commit (inMemory)
    bool inMemory = false;
    int heldFd = -1;                          // its part file, opened by the commit: no QFile, whose open and
                                              // close would add three system calls per file
    Sha256 hash;                              // declared before the writer, which updates it until destroyed
    std::unique_ptr<PartFileWriter> writer;   // open while receiving

    // The writer's threads tell the runner when they caught up, and the commit when it ended, until the runner
    // lets go (nullptr).
    void setReceiver(DownloadRunner *runner)
    {
        const std::lock_guard<std::mutex> lock(receiverMutex);
        receiver = runner;
    }
    ~PartState() { close(); }

    int handle() const { return inMemory ? heldFd : file.handle(); }
    void close()
    {
        if (!inMemory) {
            file.close();
        } else if (heldFd >= 0) {
            ::close(heldFd);
            heldFd = -1;
        }
    }

    void notifyRoom()   // on a writer's thread
    {
        const std::lock_guard<std::mutex> lock(receiverMutex);
        if (receiver)
            QMetaObject::invokeMethod(receiver, &DownloadRunner::onWriterRoom, Qt::QueuedConnection);
    }

    // The commit's end (on its thread): kept for the runner, which learns of it on its own thread. A plain
    // queued call: a QPromise and its continuation cost 3-4 % of ferry-cli's CPU in a 2000-file get -r.
    void settleCommit(const Status &status)
    {
        const std::lock_guard<std::mutex> lock(receiverMutex);
        commitStatus = status;
        committed = true;
        commitEnded.notify_all();
        if (receiver)
            QMetaObject::invokeMethod(receiver, &DownloadRunner::onCommitted, Qt::QueuedConnection);
    }
    Status commitResult()
    {
        const std::lock_guard<std::mutex> lock(receiverMutex);
        return commitStatus;
    }
    void waitForCommit()
    {
        std::unique_lock<std::mutex> lock(receiverMutex);
        commitEnded.wait(lock, [this] { return committed; });
    }

private:
    std::mutex receiverMutex;
    DownloadRunner *receiver = nullptr;
    std::condition_variable commitEnded;
    bool committed = false;
    Status commitStatus;
};

// A verified download waiting for its commit; settle() reports the commit's end to the runner.
struct DownloadRunner::CommitJob {
    std::shared_ptr<PartState> part;
    QByteArray expectedSha256;
    qint64 mtimeMs;
    QString remotePath;
    QString targetPath;
    bool replaceTarget;   // false: a target that appeared meanwhile is not replaced (the task found none)

    void settle(const Status &status) const
    {
        if (!status)
            part->close();   // lets go of its lock: a retry must be able to take the part file at once
        part->settleCommit(status);
    }
};

// Small downloads' commits, in groups, on two pool threads: one writes every commit waiting (data, hash check,
// mtime) and hands the group on; the other syncs a group's data with one sync, renames its files and syncs each
// folder once. The next group is written while the last one's syncs run: done one after the other on one thread,
// the syncs (~half of a 2000-file get -r's time) waited for the writes and the writes for the syncs. With each
// commit on a pool thread of its own (sharing syncs through GroupSync), a 2000-file get -r spent ~15 % of the
// client's CPU on those threads waking each other.
class DownloadCommitQueue {
public:
    using Jobs = std::vector<DownloadRunner::CommitJob>;

    static DownloadCommitQueue &instance()
    {
        // Never destroyed: a pool thread may still be leaving its loop when the program ends.
        static auto *queue = new DownloadCommitQueue;
        return *queue;
    }

    void add(DownloadRunner::CommitJob job)
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_waiting.push_back(std::move(job));
        if (m_writing)
            return;
        m_writing = true;
        commitPool()->start([this] { writeGroups(); });
    }

private:
    void writeGroups()
    {
        for (Jobs group; take(m_waiting, m_writing, group); group.clear()) {
            Jobs written = DownloadRunner::writeTogether(group);
            const std::lock_guard<std::mutex> lock(m_mutex);
            std::move(written.begin(), written.end(), std::back_inserter(m_written));
            if (!m_syncing && !m_written.empty()) {
                m_syncing = true;
                commitPool()->start([this] { syncGroups(); });
            }
        }
    }

    void syncGroups()
    {
        for (Jobs group; take(m_written, m_syncing, group); group.clear())
            DownloadRunner::syncAndPlaceTogether(group);
    }

    // Takes every job waiting in `from` into the empty `group`; when none waits, the thread that asked stops:
    // false, and its `running` flag cleared under the same lock.
    bool take(Jobs &from, bool &running, Jobs &group)
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (from.empty()) {
            running = false;
            return false;
        }
        group.swap(from);
        return true;
    }

    std::mutex m_mutex;
    Jobs m_waiting;   // received, to be written
    Jobs m_written;   // written, to be synced and renamed
    bool m_writing = false;
    bool m_syncing = false;
};

DownloadRunner::DownloadRunner(ClientSession *session, const QString &remotePath, const QString &targetPath, bool resume,
                               bool replaceTarget, QObject *parent)
    : QObject(parent), m_session(session), m_remotePath(remotePath), m_targetPath(targetPath),
      m_partPath(localPartPath(targetPath)), m_resume(resume), m_replaceTarget(replaceTarget),
      m_part(std::make_shared<PartState>())
{
    m_part->path = m_partPath;
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
    if (!m_session) {
        finish(Error::make(ErrorCode::ConnectionLost, ClientSession::tr("Not connected to a server.")));
        return;
    }
    // A fresh download opens its part file once the server said how big the file is: a small one is then kept
    // in memory and written by its commit, off this thread (opening, locking and writing 2 000 part files was
    // a fifth of a get -r's client CPU, on the thread that runs the window).
    struct stat partFile;
    if (!m_resume || ::lstat(QFile::encodeName(m_partPath).constData(), &partFile) != 0) {
        sendGet();   // nothing to resume
        return;
    }
    if (!openPart())
        return;
    const qint64 held = m_part->file.size();
    if (held == 0) {
        sendGet();
        return;
    }
    // What the part file holds is hashed once; the hash then continues over the bytes still to come.
    m_offset = held;
    m_phase = Phase::Hashing;
    hashPartFile();
}

bool DownloadRunner::openPart()
{
    // Opened without truncating and locked first: a second download of the same target must not touch
    // the part file another one is writing. The folder is made when missing (most often its folder's task
    // made it already: asking first would cost two system calls per file).
    m_part->file.setFileName(m_partPath);
    const auto open = [this] { return m_part->file.open(QIODevice::ReadWrite | QIODevice::Unbuffered); };
    const QString folder = QFileInfo(m_targetPath).path();
    bool opened = open();
    if (!opened && !QFileInfo::exists(folder))
        opened = QDir().mkpath(folder) && open();
    if (!opened) {
        abortWith(ioError(m_targetPath, m_part->file.errorString()));
        return false;
    }
#ifdef Q_OS_UNIX
    if (::flock(m_part->file.handle(), LOCK_EX | LOCK_NB) != 0) {
        m_part->file.close();
        abortWith(busyError(m_targetPath));
        return false;
    }
#endif
    return true;
}

Error DownloadRunner::busyError(const QString &targetPath)
{
    // ErrorExtra::Local: the lock is on this machine; waiting for a server to let go of it would not help.
    return Error::make(ErrorCode::Busy,
                       tr("%1 is being downloaded already (by another transfer or program).").arg(targetPath),
                       QJsonObject{{ErrorExtra::Local, true}});
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
    if (!m_part->file.isOpen()) {
        if (m_size <= InMemoryMaxBytes) {
            m_part->inMemory = true;
            m_phase = Phase::Receiving;
            emit accepted(m_offset, m_size, m_mtimeMs);
            return m_phase == Phase::Receiving;
        }
        if (!openPart())
            return false;
        if (m_part->file.size() > 0 && !m_part->file.resize(0)) {   // left by an earlier download: not resumed
            abortWith(ioError(m_targetPath, m_part->file.errorString()));
            return false;
        }
    }
    m_phase = Phase::Receiving;
    // The writer hashes what it writes: on its own thread for big files, beside this one receiving.
    PartState *part = m_part.get();
    part->setReceiver(this);
    part->writer = std::make_unique<PartFileWriter>(part->file.handle(), m_size - m_offset, MaxWriteBacklogBytes, &part->hash,
                                                    [part] { part->notifyRoom(); });
    // Big files around the page cache, as ferryd's uploads: copying into fresh page-cache pages cost this VM more
    // of the client's CPU than hashing (a 1 GiB get took 2.7 s with 2.9 CPU-s buffered, 1.9 s with 1.8 direct).
    part->writer->goAroundPageCache();
    // On this VM every flush-behind stalls direct writes for 11-41 ms, and the backlog above must stay small; the
    // page cache takes the data meanwhile (survives a killed client too): a 1 GiB get 1.55 s against 2.07 s.
    part->writer->useCacheWhileFlushing();
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
    if (m_part->inMemory) {
        m_part->held.append(bytes);   // most often the only payload: shared, not copied
        m_position += bytes.size();
        emit progress(m_position);
        return m_phase == Phase::Receiving;
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
    m_phase = Phase::Committing;
    // The rest waits for the disk: the last writes, the sync and the rename run on the commit pool, which owns
    // the part file from now on (so this runner may go meanwhile), and finished() follows on this thread.
    m_part->setReceiver(this);   // onCommitted() follows the commit
    CommitJob job{m_part,       frame.header.value(Field::Sha256).toString().toLatin1(),
                  m_mtimeMs,    m_remotePath,
                  m_targetPath, m_replaceTarget};
    if (m_size - m_offset < PartFileWriter::BackgroundMinBytes) {
        DownloadCommitQueue::instance().add(std::move(job));
    } else {
        commitPool()->start([job = std::move(job)] { job.settle(commit(job)); });
    }
}

void DownloadRunner::onCommitted()
{
    if (m_phase == Phase::Committing)
        finish(m_part->commitResult());
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
    if (part.inMemory) {
        if (const Status written = writeHeld(job); !written)
            return written;
    } else {
        QString failure;
        if (!part.writer->finish(&failure))   // the hash is complete once everything is written
            return ioError(targetPath, failure);
        part.writer.reset();
    }
    if (part.hash.hexDigest() != job.expectedSha256) {
        // The part file holds bytes that are not the server's file: nothing in it is worth resuming.
        part.close();
        QFile::remove(part.path);
        return Error::make(ErrorCode::ChecksumMismatch,
                           tr("The SHA-256 of the downloaded %1 does not match the server's.").arg(job.remotePath));
    }
    if (job.mtimeMs >= 0 && part.inMemory) {
        const struct timespec times[2] = {{0, UTIME_OMIT}, {time_t(job.mtimeMs / 1000), long(job.mtimeMs % 1000) * 1000000}};
        ::futimens(part.heldFd, times);
    } else if (job.mtimeMs >= 0) {
        part.file.setFileTime(QDateTime::fromMSecsSinceEpoch(job.mtimeMs, Qt::UTC), QFileDevice::FileModificationTime);
    }
    return Status::success();
}

// A small download's part file, opened, locked and written at once on the commit's thread.
Status DownloadRunner::writeHeld(const CommitJob &job)
{
    PartState &part = *job.part;
    part.hash.update(part.held);
    const QByteArray path = QFile::encodeName(part.path);
    const auto open = [&path](int extraFlags) { return ::open(path.constData(), O_RDWR | O_CREAT | O_CLOEXEC | extraFlags, 0666); };
    // Most often there is no part file: made here, nobody else can hold it yet. Else it is left by an earlier
    // download (cut to what is written below) or another one's, locked.
    int fd = open(O_EXCL);
    const bool created = fd >= 0;
    if (fd < 0 && errno == ENOENT && QDir().mkpath(QFileInfo(job.targetPath).path()))
        fd = open(O_EXCL);
    if (fd < 0 && errno == EEXIST)
        fd = open(0);
    if (fd < 0)
        return ioError(job.targetPath, QString::fromLocal8Bit(strerror(errno)));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return busyError(job.targetPath);
    }
    part.heldFd = fd;   // closed after the rename
    int failed = 0;
    const qint64 written = writeFully(fd, part.held.constData(), part.held.size(), 0, &failed);
    if (failed)
        return ioError(job.targetPath, QString::fromLocal8Bit(strerror(failed)));
    if (!created && ::ftruncate(fd, off_t(written)) != 0)
        return ioError(job.targetPath, QString::fromLocal8Bit(strerror(errno)));
    part.held = QByteArray();
    return Status::success();
}

// Moves the part file to the target's name: atomically replacing an existing target where the task chose to,
// else only when the name is still free (the task found none; another download may have placed one since).
Status DownloadRunner::renameIntoPlace(const CommitJob &job)
{
    job.part->close();
    if (!job.replaceTarget) {
        const QByteArray from = QFile::encodeName(job.part->path);
        const QByteArray to = QFile::encodeName(job.targetPath);
        int renamed = ::renameat2(AT_FDCWD, from.constData(), AT_FDCWD, to.constData(), RENAME_NOREPLACE);
        if (renamed != 0 && (errno == EINVAL || errno == ENOSYS || errno == ENOTSUP)) {
            // A file system without that flag: a hard link fails the same way on a taken name.
            renamed = ::link(from.constData(), to.constData());
            if (renamed == 0)
                ::unlink(from.constData());
            else if (errno != EEXIST && localNameTaken(job.targetPath))
                errno = EEXIST;
            else if (errno != EEXIST)
                renamed = ::rename(from.constData(), to.constData());   // nor links (FAT): looked, now rename
        }
        if (renamed == 0)
            return Status::success();
        if (errno == EEXIST)
            return Error::make(ErrorCode::Exists, tr("%1 already exists.").arg(job.targetPath));
        return ioError(job.targetPath, QString::fromLocal8Bit(strerror(errno)));
    }
    std::error_code error;
    std::filesystem::rename(nativePath(job.part->path), nativePath(job.targetPath), error);
    if (error)
        return ioError(job.targetPath, QString::fromStdString(error.message()));
    return Status::success();
}

Status DownloadRunner::commit(const CommitJob &job)
{
    const QString &targetPath = job.targetPath;
    if (const Status prepared = prepareCommit(job); !prepared)
        return prepared;
    if (const int failed = GroupSync::afterWrites(job.part->handle()))
        return ioError(targetPath, QString::fromLocal8Bit(strerror(failed)));
    if (const Status renamed = renameIntoPlace(job); !renamed)
        return renamed;
    // The new name is durable only with its folder: "done" must survive a crash (the state file says so).
    if (const int failed = GroupSync::afterRename(QFileInfo(targetPath).absolutePath()))
        return ioError(targetPath, QString::fromLocal8Bit(strerror(failed)));
    return Status::success();
}

std::vector<DownloadRunner::CommitJob> DownloadRunner::writeTogether(std::vector<CommitJob> &jobs)
{
    std::vector<CommitJob> written;
    written.reserve(jobs.size());
    for (CommitJob &job : jobs) {
        if (const Status prepared = prepareCommit(job); !prepared)
            job.settle(prepared);
        else
            written.push_back(std::move(job));
    }
    return written;
}

void DownloadRunner::syncAndPlaceTogether(const std::vector<CommitJob> &jobs)
{
    // The data of all, in one sync (a failed one fails every file it was to cover); then the renames.
    QList<int> files;
    for (const CommitJob &job : jobs)
        files.append(job.part->handle());
    const QList<int> errors = GroupSync::syncData(files);
    QHash<QString, QList<const CommitJob *>> renamedInto;   // folder -> its renamed files
    for (qsizetype i = 0; i < qsizetype(jobs.size()); ++i) {
        const CommitJob &job = jobs[size_t(i)];
        if (const int failed = errors[i]) {
            job.settle(ioError(job.targetPath, QString::fromLocal8Bit(strerror(failed))));
            continue;
        }
        if (const Status renamed = renameIntoPlace(job); !renamed)
            job.settle(renamed);
        else
            renamedInto[QFileInfo(job.targetPath).absolutePath()].append(&job);
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
        m_part->waitForCommit();   // rare (a stop in the moment of the commit), and at most one sync long
        m_part->setReceiver(nullptr);
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
    m_part->setReceiver(nullptr);
    m_part->writer.reset();   // writes what arrived: it stays in the part file for a resume
    m_part->file.close();
}

void DownloadRunner::finish(const Status &status)
{
    const bool committed = m_phase == Phase::Committing;
    m_phase = Phase::Finished;
    releaseReceiving();
    if (committed)
        m_part->setReceiver(nullptr);
    else
        closePart();
    emit finished(status);
}

} // namespace ferry
