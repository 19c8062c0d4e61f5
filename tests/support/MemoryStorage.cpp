// MemoryStorage's homes and MemoryHome's names: stat, list, mkdir, rename, remove, usage, lock keys. The rules
// and codes are LocalStorage's (server/LocalStorage.h): a folder never replaces anything, only a file replaces a
// file, a folder holding only part files counts as empty, a recursive remove frees the part files in it too.

#include "MemoryTree.h"

#include "Protocol.h"

#include <QDateTime>

namespace ferry::test {

namespace {

EntryInfo entryInfo(const QString &name, const MemoryNode &node)
{
    EntryInfo entry;
    entry.name = name;
    entry.isDir = node.isDir();
    entry.size = node.isDir() ? 0 : node.file->bytes.size();
    entry.mtimeMs = qMax<qint64>(0, node.isDir() ? node.folder->mtimeMs : node.file->mtimeMs);
    return entry;
}

// Files and part files, all the way down.
qint64 bytesIn(const MemoryFolder &folder)
{
    qint64 total = 0;
    for (const auto &part : folder.parts)
        total += part.second->bytes.size();
    for (const auto &entry : folder.entries)
        total += entry.second.isDir() ? bytesIn(*entry.second.folder) : entry.second.file->bytes.size();
    return total;
}

// Empties a folder taken out of the tree, all the way down: a part file still open in it then finds nothing to
// commit, as one in a deleted folder on disk does.
void empty(MemoryFolder &folder)
{
    for (auto &entry : folder.entries) {
        if (entry.second.isDir())
            empty(*entry.second.folder);
    }
    folder.entries.clear();
    folder.parts.clear();
}

std::map<QString, MemoryNode>::iterator addFolder(MemoryFolder &parent, const QString &name, qint64 now)
{
    auto folder = std::make_shared<MemoryFolder>();
    folder->mtimeMs = now;
    parent.mtimeMs = now;
    return parent.entries.emplace(name, MemoryNode{folder, {}}).first;
}

// Streams a folder's entries in name order, each read under the lock: entries added or removed meanwhile are
// seen or not, and none is seen twice.
class MemoryCursor : public DirectoryCursor {
public:
    MemoryCursor(std::shared_ptr<MemoryTree> tree, std::shared_ptr<MemoryFolder> folder)
        : m_tree(std::move(tree)), m_folder(std::move(folder))
    {
    }

    std::optional<EntryInfo> next() override
    {
        QMutexLocker lock(&m_tree->mutex);
        const auto &entries = m_folder->entries;
        const auto next = m_started ? entries.upper_bound(m_last) : entries.begin();
        if (next == entries.end())
            return std::nullopt;
        m_started = true;
        m_last = next->first;
        return entryInfo(next->first, next->second);
    }

private:
    std::shared_ptr<MemoryTree> m_tree;
    std::shared_ptr<MemoryFolder> m_folder;
    bool m_started = false;
    QString m_last;
};

} // namespace

QString quoted(const VirtualPath &path)
{
    return QLatin1Char('"') + path.toString() + QLatin1Char('"');
}

Error unreachable(const VirtualPath &path)
{
    return Error::make(ErrorCode::NotFound, QStringLiteral("Cannot reach %1: the folder %2 does not exist.")
                                                .arg(quoted(path), quoted(path.parent())));
}

Error blocked(const VirtualPath &path)
{
    return Error::make(ErrorCode::NotADirectory,
                       QStringLiteral("Cannot reach %1: a part of the path is not a folder.").arg(quoted(path)));
}

Error missing(const VirtualPath &path)
{
    return Error::make(ErrorCode::NotFound, QStringLiteral("%1 does not exist.").arg(quoted(path)));
}

Result<MemorySpot> findSpot(const MemoryTree &tree, const VirtualPath &path)
{
    if (path.isRoot())
        return MemorySpot{nullptr, QString(), &tree.home};
    std::shared_ptr<MemoryFolder> folder = tree.home.folder;
    const QStringList &segments = path.segments();
    for (qsizetype i = 0; i + 1 < segments.size(); ++i) {
        const auto found = folder->entries.find(segments[i]);
        if (found == folder->entries.end())
            return unreachable(path);
        if (!found->second.isDir())
            return blocked(path);
        folder = found->second.folder;
    }
    const auto found = folder->entries.find(path.name());
    return MemorySpot{folder, path.name(), found == folder->entries.end() ? nullptr : &found->second};
}

Result<MemorySpot> findEntry(const MemoryTree &tree, const VirtualPath &path)
{
    Result<MemorySpot> spot = findSpot(tree, path);
    if (spot && !spot->node)
        return missing(path);
    return spot;
}

qint64 MemoryClock::nowMs() const
{
    return QDateTime::currentMSecsSinceEpoch() + m_offsetMs;
}

MemoryStorage::MemoryStorage() : m_clock(std::make_shared<MemoryClock>()) {}
MemoryStorage::~MemoryStorage() = default;

std::shared_ptr<MemoryTree> MemoryStorage::tree(const QString &user) const
{
    QMutexLocker lock(&m_mutex);
    const auto found = m_homes.find(user);
    return found == m_homes.end() ? nullptr : found->second;
}

Result<std::shared_ptr<StorageHome>> MemoryStorage::openHome(const QString &user)
{
    if (VirtualPath::checkSegment(user).isError())
        return Error::make(ErrorCode::PermissionDenied, QStringLiteral("No home for this user name."));
    std::shared_ptr<MemoryTree> home = tree(user);
    if (!home)
        return Error::make(ErrorCode::IoError, QStringLiteral("The home folder is not available."));
    return std::shared_ptr<StorageHome>(std::make_shared<MemoryHome>(std::move(home)));
}

Status MemoryStorage::createHome(const QString &user)
{
    if (VirtualPath::checkSegment(user).isError())
        return Error::make(ErrorCode::IoError, QStringLiteral("Cannot create the home folder."));
    QMutexLocker lock(&m_mutex);
    std::shared_ptr<MemoryTree> &home = m_homes[user];
    if (!home) {
        home = std::make_shared<MemoryTree>();
        home->user = user;
        home->clock = m_clock;
        home->home.folder = std::make_shared<MemoryFolder>();
        home->home.folder->mtimeMs = home->now();
    }
    return Status::success();
}

Status MemoryStorage::removeHome(const QString &user)
{
    if (VirtualPath::checkSegment(user).isError())
        return Error::make(ErrorCode::IoError, QStringLiteral("Cannot delete the home folder completely."));
    std::shared_ptr<MemoryTree> home;
    {
        QMutexLocker lock(&m_mutex);
        if (const auto found = m_homes.find(user); found != m_homes.end()) {
            home = found->second;
            m_homes.erase(found);
        }
    }
    if (home) {
        QMutexLocker lock(&home->mutex);
        empty(*home->home.folder);
    }
    return Status::success();
}

Status MemoryStorage::alterFile(const QString &user, const VirtualPath &path, const QByteArray &bytes, qint64 mtimeMs)
{
    const std::shared_ptr<MemoryTree> home = tree(user);
    if (!home)
        return Error::make(ErrorCode::NotFound, QStringLiteral("No home for %1.").arg(user));
    QMutexLocker lock(&home->mutex);
    const Result<MemorySpot> spot = findEntry(*home, path);
    if (!spot || spot->node->isDir())
        return missing(path);
    spot->node->file->bytes = bytes;
    spot->node->file->mtimeMs = mtimeMs;
    ++spot->node->file->changes;
    return Status::success();
}

Result<EntryInfo> MemoryHome::stat(const VirtualPath &path) const
{
    QMutexLocker lock(&m_tree->mutex);
    const Result<MemorySpot> spot = findEntry(*m_tree, path);
    if (!spot)
        return spot.error();
    return entryInfo(path.isRoot() ? QStringLiteral("/") : path.name(), *spot->node);
}

Result<std::unique_ptr<DirectoryCursor>> MemoryHome::openDirectory(const VirtualPath &path) const
{
    QMutexLocker lock(&m_tree->mutex);
    const Result<MemorySpot> spot = findEntry(*m_tree, path);
    if (!spot)
        return spot.error();
    if (!spot->node->isDir())
        return Error::make(ErrorCode::NotADirectory, QStringLiteral("%1 is not a folder.").arg(quoted(path)));
    return std::unique_ptr<DirectoryCursor>(new MemoryCursor(m_tree, spot->node->folder));
}

Status MemoryHome::makeDirectory(const VirtualPath &path, bool parents)
{
    const Error taken = Error::make(ErrorCode::Exists, QStringLiteral("%1 already exists.").arg(quoted(path)));
    if (path.isRoot())
        return parents ? Status::success() : Status(taken);
    QMutexLocker lock(&m_tree->mutex);
    MemoryFolder *folder = m_tree->home.folder.get();
    const QStringList &segments = path.segments();
    for (qsizetype i = 0; i + 1 < segments.size(); ++i) {
        auto found = folder->entries.find(segments[i]);
        if (found == folder->entries.end()) {
            if (!parents)
                return unreachable(path);
            found = addFolder(*folder, segments[i], m_tree->now());
        } else if (!found->second.isDir()) {
            return blocked(path);
        }
        folder = found->second.folder.get();
    }
    if (const auto found = folder->entries.find(path.name()); found != folder->entries.end())
        return parents && found->second.isDir() ? Status::success() : Status(taken);
    addFolder(*folder, path.name(), m_tree->now());
    return Status::success();
}

Result<qint64> MemoryHome::rename(const VirtualPath &from, const VirtualPath &to, bool overwrite)
{
    const QString what = QStringLiteral("Cannot rename %1 to %2").arg(quoted(from), quoted(to));
    if (from.isRoot() || to.isRoot())
        return Error::make(ErrorCode::PermissionDenied, what + QStringLiteral(": the home folder cannot be renamed or replaced."));
    if (from.contains(to) && from != to)
        return Error::make(ErrorCode::InvalidPath, what + QStringLiteral(": a folder cannot move into itself."));
    QMutexLocker lock(&m_tree->mutex);
    const Result<MemorySpot> source = findEntry(*m_tree, from);
    if (!source)
        return source.error();
    const Result<MemorySpot> target = findSpot(*m_tree, to);
    if (!target)
        return target.error();
    if (from == to)
        return qint64(0);
    qint64 freed = 0;
    if (target->node) {
        if (!overwrite)
            return Error::make(ErrorCode::Exists, what + QStringLiteral(": the target already exists."));
        if (source->node->isDir())
            return Error::make(ErrorCode::Exists, what + QStringLiteral(": a folder never replaces an existing name."));
        if (target->node->isDir())
            return Error::make(ErrorCode::IsADirectory, what + QStringLiteral(": the target is a folder."));
        freed = target->node->file->bytes.size();
        target->folder->entries.erase(to.name());
    }
    auto moved = source->folder->entries.extract(from.name());
    moved.key() = to.name();
    target->folder->entries.insert(std::move(moved));
    source->folder->mtimeMs = target->folder->mtimeMs = m_tree->now();
    return freed;
}

Result<qint64> MemoryHome::remove(const VirtualPath &path, bool recursive)
{
    if (path.isRoot())
        return Error::make(ErrorCode::PermissionDenied, QStringLiteral("The home folder itself cannot be removed."));
    QMutexLocker lock(&m_tree->mutex);
    const Result<MemorySpot> spot = findEntry(*m_tree, path);
    if (!spot)
        return spot.error();
    const MemoryNode node = *spot->node;
    if (node.isDir() && !recursive && !node.folder->entries.empty())
        return Error::make(ErrorCode::NotEmpty, QStringLiteral("Cannot remove %1: the folder is not empty.").arg(quoted(path)));
    const qint64 freed = node.isDir() ? bytesIn(*node.folder) : node.file->bytes.size();
    spot->folder->entries.erase(path.name());
    spot->folder->mtimeMs = m_tree->now();
    if (node.isDir())
        empty(*node.folder);
    return freed;
}

qint64 MemoryHome::usage() const
{
    QMutexLocker lock(&m_tree->mutex);
    return bytesIn(*m_tree->home.folder);
}

QString MemoryHome::lockKey(const VirtualPath &path) const
{
    return path.isRoot() ? m_tree->homeKey() : m_tree->homeKey() + path.toString();
}

} // namespace ferry::test
