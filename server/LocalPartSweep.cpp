// LocalHome's sweep: part files no put touched for the part-file lifetime go, unless their target is locked by a
// put; replaced files a stop left before the reclaim thread deleted them go too. Never follows a link.

#include "LocalStorage.h"

#include "Protocol.h"

#include <QDateTime>

#include <fcntl.h>
#include <sys/xattr.h>
#include <unistd.h>

namespace ferry {

namespace {

constexpr qsizetype HashedNameLength = 64;   // hex SHA-256 (LocalStorage::partFileName)

// The name of the target a part file in `folder` is for: what follows the prefix, unless that is a hashed name and
// the file says the target's name in PartTargetAttribute.
QByteArray targetOf(int folder, const QByteArray &partName)
{
    const QByteArray named = partName.mid(PartFilePrefix.size());
    if (named.size() != HashedNameLength)
        return named;
    const UniqueFd part(::openat(folder, partName.constData(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    char target[256];
    const ssize_t length = part ? ::fgetxattr(part.get(), PartTargetAttribute, target, sizeof target) : -1;
    return length > 0 ? QByteArray(target, int(length)) : named;
}

} // namespace

qint64 LocalHome::removeStaleParts(qint64 lifetimeMs, const std::function<bool(const QString &)> &isLocked)
{
    if (!m_walker->isOpen())
        return 0;
    const qint64 cutoffMs = QDateTime::currentMSecsSinceEpoch() - lifetimeMs;
    const QByteArray prefix(PartFilePrefix.data(), PartFilePrefix.size());
    qint64 freed = 0;
    walkTree(UniqueFd(::openat(m_walker->homeFd(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)),
             [&](int folder, const QByteArray &name, const struct stat &info, const QByteArrayList &path) {
                 if (name.startsWith(TrashFilePrefix) && S_ISREG(info.st_mode)) {
                     ::unlinkat(folder, name.constData(), 0);   // left by a stop before its deletion; not counted
                     return;
                 }
                 const qint64 touchedMs = qint64(info.st_mtim.tv_sec) * 1000 + info.st_mtim.tv_nsec / 1000000;
                 if (!name.startsWith(prefix) || !S_ISREG(info.st_mode) || touchedMs > cutoffMs)
                     return;
                 // The lock key of its target (lockKey()): its real location.
                 QByteArrayList target = path;
                 target.last() = targetOf(folder, name);
                 if (isLocked(m_walker->realLocation(target)))
                     return;
                 if (::unlinkat(folder, name.constData(), 0) == 0)
                     freed += info.st_size;
             });
    return freed;
}

} // namespace ferry
