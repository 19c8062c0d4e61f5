#include "HangupNotifier.h"

#include <QSocketNotifier>

#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <unistd.h>

namespace ferry {

namespace {

int g_pipe[2] = {-1, -1};
struct sigaction g_previous;

void onSignal(int)
{
    // Async-signal-safe calls only. A full pipe already holds a wake-up: the byte may be dropped.
    const int savedErrno = errno;
    const char byte = 1;
    [[maybe_unused]] const ssize_t written = ::write(g_pipe[1], &byte, 1);
    errno = savedErrno;
}

} // namespace

HangupNotifier::HangupNotifier(QObject *parent) : QObject(parent)
{
    if (g_pipe[0] >= 0)
        return;   // one per process: the signal has one handler
    if (::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        g_pipe[0] = g_pipe[1] = -1;
        return;
    }
    m_notifier = new QSocketNotifier(qintptr(g_pipe[0]), QSocketNotifier::Read, this);
    connect(m_notifier, &QSocketNotifier::activated, this, &HangupNotifier::onReadable);

    struct sigaction action = {};
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART;
    sigaction(SIGHUP, &action, &g_previous);
}

HangupNotifier::~HangupNotifier()
{
    if (!m_notifier)
        return;
    sigaction(SIGHUP, &g_previous, nullptr);
    delete m_notifier;
    ::close(g_pipe[0]);
    ::close(g_pipe[1]);
    g_pipe[0] = g_pipe[1] = -1;
}

void HangupNotifier::onReadable()
{
    char buffer[64];
    bool any = false;
    while (::read(g_pipe[0], buffer, sizeof buffer) > 0)
        any = true;
    if (any)
        emit hangup();
}

} // namespace ferry
