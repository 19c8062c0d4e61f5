#include "StateFileLock.h"

#include <QDir>
#include <QFileInfo>

namespace ferry {

StateFileLock::StateFileLock(const QString &path, std::unique_ptr<QLockFile> lock)
    : m_path(path), m_lock(std::move(lock))
{
}

QString StateFileLock::alternative(const QString &preferred, int n)
{
    if (n <= 1)
        return preferred;
    const QFileInfo info(preferred);
    const QString suffix = info.completeSuffix();
    const QString name = info.baseName() + QLatin1Char('-') + QString::number(n)
                         + (suffix.isEmpty() ? QString() : QLatin1Char('.') + suffix);
    return info.dir().filePath(name);
}

std::unique_ptr<StateFileLock> StateFileLock::acquire(const QString &preferred)
{
    for (int n = 1; n <= MaxInstances; ++n) {
        const QString path = alternative(preferred, n);
        auto lock = std::make_unique<QLockFile>(path + QStringLiteral(".lock"));
        lock->setStaleLockTime(0);   // held as long as its process lives, however long that is
        if (lock->tryLock(0))
            return std::unique_ptr<StateFileLock>(new StateFileLock(path, std::move(lock)));
        if (lock->error() != QLockFile::LockFailedError)
            return nullptr;   // cannot create a lock file there at all
    }
    return nullptr;
}

} // namespace ferry
