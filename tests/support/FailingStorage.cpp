#include "FailingStorage.h"

#include "Protocol.h"

#include <QThread>

#include <cerrno>
#include <cstring>

namespace ferry::test {

namespace {

class FailingCursor : public DirectoryCursor {
public:
    FailingCursor(std::unique_ptr<DirectoryCursor> inner, Error failure) : m_inner(std::move(inner)), m_failure(failure) {}
    std::optional<EntryInfo> next() override
    {
        if (m_failure.isError() && m_returned > 0) {
            m_error = m_failure;
            return std::nullopt;
        }
        ++m_returned;
        return m_inner->next();
    }
    Status error() const override { return m_error.isError() ? Status(m_error) : m_inner->error(); }

private:
    std::unique_ptr<DirectoryCursor> m_inner;
    Error m_failure;
    Error m_error;
    int m_returned = 0;
};

class FailingReadFile : public ReadFile {
public:
    FailingReadFile(std::unique_ptr<ReadFile> inner, const FailingStorage &storage) : m_inner(std::move(inner)), m_storage(storage) {}
    qint64 size() const override { return m_inner->size(); }
    qint64 mtimeMs() const override { return m_inner->mtimeMs(); }
    qint64 readAt(char *data, qint64 length, qint64 offset) override
    {
        if (const int delay = m_storage.readDelayMs(); delay > 0)
            QThread::msleep(delay);
        return m_storage.failure(QStringLiteral("read")).isError() ? -1 : m_inner->readAt(data, length, offset);
    }
    QByteArray knownSha256() override { return m_inner->knownSha256(); }
    void rememberSha256(const QByteArray &sha256Hex) override { m_inner->rememberSha256(sha256Hex); }

private:
    std::unique_ptr<ReadFile> m_inner;
    const FailingStorage &m_storage;
};

class FailingPartFile : public PartFile {
public:
    FailingPartFile(std::unique_ptr<PartFile> inner, const FailingStorage &storage, const QString &path)
        : m_inner(std::move(inner)), m_storage(storage), m_path(path)
    {
    }
    ~FailingPartFile() override
    {
        m_storage.notePartClosing();
        m_inner.reset();   // closes the real part file here, on the thread noted
    }
    qint64 size() const override { return m_inner->size(); }
    Status hashContents(Sha256 &hash) override { return m_inner->hashContents(hash); }
    Status append(const QByteArray &bytes) override
    {
        m_storage.countAppend(1);
        if (const int delay = m_storage.appendDelayMs(); delay > 0)
            QThread::msleep(delay);
        const Error failure = m_storage.failure(QStringLiteral("append"));
        const Status appended = failure.isError() ? Status(failure) : m_inner->append(bytes);
        m_storage.countAppend(-1);
        return appended;
    }
    Status finishWrites() override { return m_inner->finishWrites(); }
    Status sync() override
    {
        const Error failure = m_storage.failure(QStringLiteral("sync"));
        return failure.isError() ? Status(failure) : m_inner->sync();
    }
    void setMtime(qint64 mtimeMs) override { m_inner->setMtime(mtimeMs); }
    void setKnownSha256(const QByteArray &sha256Hex) override { m_inner->setKnownSha256(sha256Hex); }
    Result<qint64> commit(bool replace) override
    {
        Error failure = m_storage.failure(QStringLiteral("commit"));
        if (!failure.isError())
            failure = m_storage.failure(QStringLiteral("commit:") + m_path);
        if (failure.isError())
            return failure;
        const Result<qint64> committed = m_inner->commit(replace);
        if (committed)
            m_storage.noteCommitEvent(QStringLiteral("renamed ") + m_path);
        return committed;
    }
    void syncFolder() override
    {
        m_inner->syncFolder();
        m_storage.noteCommitEvent(QStringLiteral("folder synced"));
    }
    QString folderId() const override { return m_inner->folderId(); }
    void discard() override { m_inner->discard(); }

private:
    std::unique_ptr<PartFile> m_inner;
    const FailingStorage &m_storage;
    const QString m_path;
};

class FailingHome : public StorageHome {
public:
    FailingHome(std::shared_ptr<StorageHome> inner, const FailingStorage &storage) : m_inner(std::move(inner)), m_storage(storage) {}

    Result<EntryInfo> stat(const VirtualPath &path) const override
    {
        return failed("stat") ? Result<EntryInfo>(fail("stat")) : m_inner->stat(path);
    }
    Result<std::unique_ptr<DirectoryCursor>> openDirectory(const VirtualPath &path) const override
    {
        if (failed("list"))
            return fail("list");
        Result<std::unique_ptr<DirectoryCursor>> cursor = m_inner->openDirectory(path);
        if (!cursor)
            return cursor;
        return std::unique_ptr<DirectoryCursor>(new FailingCursor(std::move(*cursor), fail("list-read")));
    }
    Status makeDirectory(const VirtualPath &path, bool parents) override
    {
        return failed("mkdir") ? Status(fail("mkdir")) : m_inner->makeDirectory(path, parents);
    }
    Result<qint64> rename(const VirtualPath &from, const VirtualPath &to, bool overwrite) override
    {
        return failed("rename") ? Result<qint64>(fail("rename")) : m_inner->rename(from, to, overwrite);
    }
    Result<qint64> remove(const VirtualPath &path, bool recursive) override
    {
        return failed("remove") ? Result<qint64>(fail("remove")) : m_inner->remove(path, recursive);
    }
    qint64 usage() const override { return m_inner->usage(); }
    Result<std::unique_ptr<ReadFile>> openRead(const VirtualPath &path) override
    {
        if (failed("openRead"))
            return fail("openRead");
        Result<std::unique_ptr<ReadFile>> file = m_inner->openRead(path);
        if (!file)
            return file;
        return std::unique_ptr<ReadFile>(new FailingReadFile(std::move(*file), m_storage));
    }
    qint64 partSize(const VirtualPath &target) const override { return m_inner->partSize(target); }
    Result<std::unique_ptr<PartFile>> openPart(const VirtualPath &target, PartMode mode,
                                               const UploadTarget *found = nullptr) override
    {
        if (failed("openPart"))
            return fail("openPart");
        Result<std::unique_ptr<PartFile>> part = m_inner->openPart(target, mode, found);
        if (!part)
            return part;
        return std::unique_ptr<PartFile>(new FailingPartFile(std::move(*part), m_storage, target.toString()));
    }
    qint64 removeStaleParts(qint64 lifetimeMs, const std::function<bool(const QString &)> &isLocked) override
    {
        return m_inner->removeStaleParts(lifetimeMs, isLocked);
    }
    QString lockKey(const VirtualPath &path) const override { return m_inner->lockKey(path); }
    bool syncAll() override
    {
        m_storage.enterSyncAll();
        return !failed("sync") && m_inner->syncAll();
    }

private:
    bool failed(const char *call) const { return fail(call).isError(); }
    Error fail(const char *call) const { return m_storage.failure(QLatin1String(call)); }

    std::shared_ptr<StorageHome> m_inner;
    const FailingStorage &m_storage;
};

} // namespace

void FailingStorage::failWith(const QString &call, int error)
{
    QMutexLocker lock(&m_mutex);
    m_failing.insert(call, error);
}

void FailingStorage::clear()
{
    QMutexLocker lock(&m_mutex);
    m_failing.clear();
    m_appendDelayMs = 0;
    m_readDelayMs = 0;
}

void FailingStorage::holdSyncAll(bool held)
{
    QMutexLocker lock(&m_syncMutex);
    m_syncHeld = held;
    if (!held)
        m_syncReleased.wakeAll();
}

void FailingStorage::enterSyncAll() const
{
    ++m_syncAllCalls;
    if (m_syncAllObserver)
        m_syncAllObserver();
    QMutexLocker lock(&m_syncMutex);
    while (m_syncHeld)
        m_syncReleased.wait(&m_syncMutex);
}

Error FailingStorage::failure(const QString &call) const
{
    QMutexLocker lock(&m_mutex);
    const int error = m_failing.value(call, 0);
    if (error == 0)
        return {};
    const QString reason = QString::fromLocal8Bit(strerror(error));
    if (error == EACCES)
        return Error::make(ErrorCode::PermissionDenied, QStringLiteral("Injected failure: %1.").arg(reason));
    return Error::make(ErrorCode::IoError, QStringLiteral("Injected failure: %1.").arg(reason));
}

Result<std::shared_ptr<StorageHome>> FailingStorage::openHome(const QString &user)
{
    Result<std::shared_ptr<StorageHome>> home = m_inner->openHome(user);
    if (!home)
        return home;
    return std::shared_ptr<StorageHome>(std::make_shared<FailingHome>(*home, *this));
}

} // namespace ferry::test
