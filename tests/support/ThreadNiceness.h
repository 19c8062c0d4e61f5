#pragma once
// The nice values of this process's threads other than the calling one (Linux keeps one per thread): tests of
// bulk threads that must run at a lower priority than their owner (ThreadPriority.h).

#include <QDir>
#include <QList>
#include <QStringList>

#include <cerrno>
#include <sys/resource.h>
#include <unistd.h>

namespace ferry::test {

inline int threadNiceness()
{
    return ::getpriority(PRIO_PROCESS, id_t(::gettid()));
}

inline QList<int> otherThreadsNiceness()
{
    QList<int> found;
    const QStringList threads = QDir(QStringLiteral("/proc/self/task")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &thread : threads) {
        const id_t id = id_t(thread.toLongLong());
        if (pid_t(id) == ::gettid())
            continue;
        errno = 0;
        const int niceness = ::getpriority(PRIO_PROCESS, id);
        if (errno == 0)
            found.append(niceness);
    }
    return found;
}

} // namespace ferry::test
