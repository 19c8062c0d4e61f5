// MemoryHome's file contents: reads and part files. As on disk, a ReadFile and a PartFile hold the file itself
// (an inode), and a part file's commit and discard act on its name in the folder it was opened in.

#include "MemoryTree.h"

#include "Protocol.h"
#include "Sha256.h"

#include <cstring>

namespace ferry::test {

namespace {

class MemoryReadFile : public ReadFile {
public:
    MemoryReadFile(std::shared_ptr<MemoryTree> tree, std::shared_ptr<MemoryFile> file)
        : m_tree(std::move(tree)), m_file(std::move(file)), m_size(m_file->bytes.size()), m_mtimeMs(qMax<qint64>(0, m_file->mtimeMs)),
          m_changes(m_file->changes), m_openedAtMs(m_tree->now())
    {
    }

    qint64 size() const override { return m_size; }
    qint64 mtimeMs() const override { return m_mtimeMs; }
    qint64 readAt(char *data, qint64 length, qint64 offset) override
    {
        QMutexLocker lock(&m_tree->mutex);
        if (length < 0 || offset < 0)
            return -1;
        const qint64 count = qBound<qint64>(0, m_file->bytes.size() - offset, length);
        if (count > 0)
            std::memcpy(data, m_file->bytes.constData() + offset, size_t(count));
        return count;
    }
    QByteArray knownSha256() override
    {
        QMutexLocker lock(&m_tree->mutex);
        return m_file->sha256Size == m_size && m_file->sha256MtimeMs == m_mtimeMs ? m_file->sha256 : QByteArray();
    }
    void rememberSha256(const QByteArray &sha256Hex) override
    {
        QMutexLocker lock(&m_tree->mutex);
        if (m_mtimeMs > m_openedAtMs - SettledMtimeMs || m_file->changes != m_changes)
            return;
        m_file->sha256 = sha256Hex;
        m_file->sha256Size = m_size;
        m_file->sha256MtimeMs = m_mtimeMs;
    }

private:
    std::shared_ptr<MemoryTree> m_tree;
    std::shared_ptr<MemoryFile> m_file;
    qint64 m_size;
    qint64 m_mtimeMs;
    quint64 m_changes;
    qint64 m_openedAtMs;
};

class MemoryPartFile : public PartFile {
public:
    MemoryPartFile(std::shared_ptr<MemoryTree> tree, std::shared_ptr<MemoryFolder> folder, const QString &name,
                   std::shared_ptr<MemoryFile> file)
        : m_tree(std::move(tree)), m_folder(std::move(folder)), m_name(name), m_file(std::move(file))
    {
    }

    qint64 size() const override
    {
        QMutexLocker lock(&m_tree->mutex);
        return m_file->bytes.size();
    }
    Status hashContents(Sha256 &hash) override
    {
        QMutexLocker lock(&m_tree->mutex);
        hash.update(m_file->bytes);
        return Status::success();
    }
    Status append(const QByteArray &bytes) override
    {
        QMutexLocker lock(&m_tree->mutex);
        m_file->bytes.append(bytes);
        m_file->mtimeMs = m_tree->now();
        ++m_file->changes;
        return Status::success();
    }
    Status finishWrites() override { return Status::success(); }
    Status sync() override { return Status::success(); }
    void setMtime(qint64 mtimeMs) override
    {
        QMutexLocker lock(&m_tree->mutex);
        m_file->mtimeMs = mtimeMs;
        ++m_file->changes;
    }
    void setKnownSha256(const QByteArray &sha256Hex) override
    {
        QMutexLocker lock(&m_tree->mutex);
        m_file->sha256 = sha256Hex;
        m_file->sha256Size = m_file->bytes.size();
        m_file->sha256MtimeMs = qMax<qint64>(0, m_file->mtimeMs);
    }
    Result<qint64> commit(bool replace) override
    {
        QMutexLocker lock(&m_tree->mutex);
        auto &entries = m_folder->entries;
        const auto target = entries.find(m_name);
        if (target != entries.end() && target->second.isDir())
            return Error::make(ErrorCode::IsADirectory, QStringLiteral("The target became a folder."));
        if (target != entries.end() && !replace)
            return Error::make(ErrorCode::Exists, QStringLiteral("The target appeared meanwhile."));
        // By name, like a rename on disk: gone when its folder was removed or the part file swept meanwhile.
        const auto part = m_folder->parts.find(m_name);
        if (part == m_folder->parts.end())
            return Error::make(ErrorCode::IoError, QStringLiteral("Cannot move the file into place: the part file is gone."));
        const qint64 replaced = target != entries.end() ? target->second.file->bytes.size() : 0;
        entries[m_name] = MemoryNode{{}, part->second};
        m_folder->parts.erase(part);
        m_folder->mtimeMs = m_tree->now();
        return replaced;
    }
    void syncFolder() override {}
    QString folderId() const override { return QString::number(quintptr(m_folder.get()), 16); }
    void discard() override
    {
        QMutexLocker lock(&m_tree->mutex);
        m_folder->parts.erase(m_name);
    }

private:
    std::shared_ptr<MemoryTree> m_tree;
    std::shared_ptr<MemoryFolder> m_folder;   // where it was opened, wherever that folder moved since
    QString m_name;                           // its target's name
    std::shared_ptr<MemoryFile> m_file;
};

qint64 sweepParts(MemoryFolder &folder, const QString &key, qint64 cutoffMs,
                  const std::function<bool(const QString &)> &isLocked)
{
    qint64 freed = 0;
    for (auto part = folder.parts.begin(); part != folder.parts.end();) {
        if (part->second->mtimeMs > cutoffMs || isLocked(key + u'/' + part->first)) {
            ++part;
            continue;
        }
        freed += part->second->bytes.size();
        part = folder.parts.erase(part);
    }
    for (auto &entry : folder.entries) {
        if (entry.second.isDir())
            freed += sweepParts(*entry.second.folder, key + u'/' + entry.first, cutoffMs, isLocked);
    }
    return freed;
}

} // namespace

Result<std::unique_ptr<ReadFile>> MemoryHome::openRead(const VirtualPath &path)
{
    QMutexLocker lock(&m_tree->mutex);
    const Result<MemorySpot> spot = findEntry(*m_tree, path);
    if (!spot)
        return spot.error();
    if (spot->node->isDir())
        return Error::make(ErrorCode::IsADirectory, QStringLiteral("%1 is a folder.").arg(quoted(path)));
    return std::unique_ptr<ReadFile>(new MemoryReadFile(m_tree, spot->node->file));
}

qint64 MemoryHome::partSize(const VirtualPath &target) const
{
    QMutexLocker lock(&m_tree->mutex);
    const Result<MemorySpot> spot = findSpot(*m_tree, target);
    if (!spot || spot->isHome())
        return 0;
    const auto part = spot->folder->parts.find(spot->name);
    return part == spot->folder->parts.end() ? 0 : part->second->bytes.size();
}

Result<std::unique_ptr<PartFile>> MemoryHome::openPart(const VirtualPath &target, PartMode mode, const UploadTarget *)
{
    QMutexLocker lock(&m_tree->mutex);
    const Result<MemorySpot> spot = findSpot(*m_tree, target);
    if (!spot)
        return spot.error();
    if (spot->isHome() || (spot->node && spot->node->isDir()))
        return Error::make(ErrorCode::IsADirectory, QStringLiteral("%1 is a folder.").arg(quoted(target)));
    std::shared_ptr<MemoryFile> &part = spot->folder->parts[spot->name];
    if (!part || mode == PartMode::Truncate) {
        if (!part)
            part = std::make_shared<MemoryFile>();
        *part = MemoryFile();   // emptied in place: a PartFile already open on it sees that, as with O_TRUNC
        part->mtimeMs = m_tree->now();
    }
    return std::unique_ptr<PartFile>(new MemoryPartFile(m_tree, spot->folder, spot->name, part));
}

qint64 MemoryHome::removeStaleParts(qint64 lifetimeMs, const std::function<bool(const QString &)> &isLocked)
{
    QMutexLocker lock(&m_tree->mutex);
    return sweepParts(*m_tree->home.folder, m_tree->homeKey(), m_tree->now() - lifetimeMs, isLocked);
}

} // namespace ferry::test
