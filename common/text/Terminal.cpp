#include "Terminal.h"

#include <QByteArray>
#include <QCoreApplication>

#ifdef Q_OS_UNIX
#include <cerrno>
#include <csignal>
#include <fcntl.h>
#include <termios.h>
#include <unistd.h>
#endif

namespace ferry {

namespace {

const char *const Context = "ferry::Terminal";
constexpr int MaxPasswordBytes = 4096;

#ifdef Q_OS_UNIX
// While echo is off, a signal that ends the program must not leave the user's terminal silent: these
// hold what the handler needs to put it back (async-signal-safe calls only). Not reentrant: one prompt
// at a time, as programs ask for passwords on their main thread.
int g_ttyFd = -1;
struct termios g_savedMode;
const int CaughtSignals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
struct sigaction g_previousActions[sizeof(CaughtSignals) / sizeof(CaughtSignals[0])];

void restoreTerminalAndReraise(int signal)
{
    tcsetattr(g_ttyFd, TCSAFLUSH, &g_savedMode);
    for (size_t i = 0; i < sizeof(CaughtSignals) / sizeof(CaughtSignals[0]); ++i) {
        if (CaughtSignals[i] == signal)
            sigaction(signal, &g_previousActions[i], nullptr);
    }
    raise(signal);   // delivered with the previous disposition once this handler returns
}

void installSignalGuards()
{
    struct sigaction action = {};
    action.sa_handler = restoreTerminalAndReraise;
    sigemptyset(&action.sa_mask);
    for (size_t i = 0; i < sizeof(CaughtSignals) / sizeof(CaughtSignals[0]); ++i)
        sigaction(CaughtSignals[i], &action, &g_previousActions[i]);
}

void removeSignalGuards()
{
    for (size_t i = 0; i < sizeof(CaughtSignals) / sizeof(CaughtSignals[0]); ++i)
        sigaction(CaughtSignals[i], &g_previousActions[i], nullptr);
}

void writeAll(int fd, const QByteArray &bytes)
{
    qsizetype done = 0;
    while (done < bytes.size()) {
        const ssize_t written = ::write(fd, bytes.constData() + done, size_t(bytes.size() - done));
        if (written < 0 && errno == EINTR)
            continue;
        if (written <= 0)
            return;
        done += written;
    }
}

// One line from fd; nullopt on end of input before any newline.
std::optional<QByteArray> readLine(int fd)
{
    QByteArray line;
    for (;;) {
        char c = 0;
        const ssize_t got = ::read(fd, &c, 1);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return line.isEmpty() ? std::nullopt : std::optional<QByteArray>(line);
        if (c == '\n')
            break;
        if (line.size() < MaxPasswordBytes)
            line.append(c);
    }
    if (line.endsWith('\r'))
        line.chop(1);
    return line;
}
#endif

} // namespace

std::optional<QString> readPasswordFromTerminal(const QString &prompt)
{
#ifdef Q_OS_UNIX
    const int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    struct termios mode;
    if (tcgetattr(fd, &mode) != 0) {
        ::close(fd);
        return std::nullopt;
    }
    g_ttyFd = fd;
    g_savedMode = mode;
    installSignalGuards();
    mode.c_lflag &= ~tcflag_t(ECHO | ECHOE | ECHOK | ECHONL);
    tcsetattr(fd, TCSAFLUSH, &mode);

    writeAll(fd, prompt.toUtf8());
    std::optional<QByteArray> line = readLine(fd);

    tcsetattr(fd, TCSAFLUSH, &g_savedMode);
    removeSignalGuards();
    writeAll(fd, QByteArrayLiteral("\n"));   // the user's Enter was not echoed
    ::close(fd);
    g_ttyFd = -1;

    if (!line)
        return std::nullopt;
    const QString password = QString::fromUtf8(*line);
    line->fill('\0');   // best effort: fewer copies of the password in memory
    return password;
#else
    Q_UNUSED(prompt);
    return std::nullopt;
#endif
}

std::optional<QString> askOnTerminal(const QString &text, const QString &prompt)
{
#ifdef Q_OS_UNIX
    const int fd = ::open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0)
        return std::nullopt;
    writeAll(fd, (text + prompt).toUtf8());
    const std::optional<QByteArray> line = readLine(fd);
    ::close(fd);
    if (!line)
        return std::nullopt;
    return QString::fromUtf8(*line).trimmed();
#else
    Q_UNUSED(text);
    Q_UNUSED(prompt);
    return std::nullopt;
#endif
}

std::optional<QString> passwordFromEnvironmentOrTerminal(bool confirm, QString *error)
{
    const auto fail = [error](const char *message) -> std::optional<QString> {
        if (error)
            *error = QCoreApplication::translate(Context, message);
        return std::nullopt;
    };

    if (!qEnvironmentVariableIsEmpty("FERRY_PASSWORD"))
        return qEnvironmentVariable("FERRY_PASSWORD");

    const std::optional<QString> password =
        readPasswordFromTerminal(QCoreApplication::translate("ferry::Terminal", "Password: "));
    if (!password)
        return fail(QT_TRANSLATE_NOOP("ferry::Terminal", "no password: set FERRY_PASSWORD or run on a terminal"));
    if (password->isEmpty())
        return fail(QT_TRANSLATE_NOOP("ferry::Terminal", "the password is empty"));
    if (confirm) {
        const std::optional<QString> again =
            readPasswordFromTerminal(QCoreApplication::translate("ferry::Terminal", "Repeat password: "));
        if (!again || *again != *password)
            return fail(QT_TRANSLATE_NOOP("ferry::Terminal", "the two passwords differ"));
    }
    return password;
}

} // namespace ferry
