#include "ThreadPriority.h"

#include <QtGlobal>

#include <cerrno>
#include <sys/resource.h>
#include <unistd.h>

namespace ferry {

void lowerThisThreadsPriority()
{
#ifdef Q_OS_LINUX
    const id_t thread = id_t(::gettid());
    errno = 0;
    const int current = ::getpriority(PRIO_PROCESS, thread);
    if (errno == 0)
        ::setpriority(PRIO_PROCESS, thread, qMin(19, current + BulkNiceness));
#endif
}

} // namespace ferry
