// ferry-guistall: how long the desktop client's event loop stalls while it moves a big file (issue 12,
// target 7: "GUI stays responsive during a 1 GiB transfer"). The real MainWindow (offscreen unless
// QT_QPA_PLATFORM says otherwise) connects to the built ferryd, run as a process, uploads a file of SIZE
// and downloads it again. Meanwhile a 5 ms timer on the GUI thread records how late each of its ticks
// comes: a late tick is a moment when the window could not repaint or react to the mouse. Also counts the
// transfer model's row updates per second (the queue coalesces progress to ~10 per second per item).
// Not a ctest test; see docs/PERFORMANCE.md.
//
//   cmake --build build --target ferry-guistall && build/tests/ferry-guistall [SIZE_MIB, default 1024]

#include "ScriptedDialogs.h"
#include "TestServer.h"
#include "TestSettings.h"
#include "TransferTestHelpers.h"

#include "ConnectionController.h"
#include "MainWindow.h"
#include "TransferItem.h"
#include "TransferQueue.h"

#include <QApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace ferry;
using namespace ferry::gui;
using namespace ferry::test;

namespace {

constexpr int TickMs = 5;

// Lateness of a 5 ms precise timer on the thread it lives in.
class StallMeter : public QObject {
public:
    void start()
    {
        m_late.clear();
        m_clock.start();
        m_last = 0;
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(TickMs);
        connect(&m_timer, &QTimer::timeout, this, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            m_late.append(qMax<qint64>(0, (now - m_last) / 1000 - TickMs * 1000));   // microseconds
            m_last = now;
        });
        m_timer.start();
    }
    void stop() { m_timer.stop(); }

    QString summary() const
    {
        QList<qint64> late = m_late;
        std::sort(late.begin(), late.end());
        auto at = [&](double fraction) {
            return late.isEmpty() ? 0.0 : late.at(qMin(late.size() - 1, int(fraction * late.size()))) / 1000.0;
        };
        const auto over = [&](qint64 ms) { return std::count_if(late.begin(), late.end(), [ms](qint64 us) { return us > ms * 1000; }); };
        return QStringLiteral("%1 ticks, late p50 %2 ms, p99 %3 ms, max %4 ms; %5 ticks > 50 ms, %6 > 100 ms")
            .arg(late.size())
            .arg(at(0.5), 0, 'f', 1)
            .arg(at(0.99), 0, 'f', 1)
            .arg(late.isEmpty() ? 0.0 : late.last() / 1000.0, 0, 'f', 1)
            .arg(over(50))
            .arg(over(100));
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    QList<qint64> m_late;
};

// Runs one job to its end with the meter on; prints a Markdown row.
bool measure(const char *label, MainWindow &window, const std::function<qint64()> &enqueue, qint64 bytes)
{
    TransferQueue *queue = window.queue();
    int updates = 0;
    const QMetaObject::Connection counting = QObject::connect(queue, &TransferQueue::itemChanged, [&updates] { ++updates; });
    StallMeter meter;
    QEventLoop loop;
    bool ok = false;
    qint64 job = -1;
    const QMetaObject::Connection finishing =
        QObject::connect(queue, &TransferQueue::jobFinished, [&](qint64 finished, int failed) {
            if (finished == job) {
                ok = failed == 0;
                loop.quit();
            }
        });
    QElapsedTimer clock;
    clock.start();
    meter.start();
    job = enqueue();
    QTimer::singleShot(600000, &loop, &QEventLoop::quit);
    loop.exec();
    meter.stop();
    const double seconds = clock.elapsed() / 1000.0;
    QObject::disconnect(counting);
    QObject::disconnect(finishing);
    std::printf("| %s | %s | %.2f s, %.0f MB/s | %.1f | %s |\n", label, ok ? "ok" : "FAILED", seconds, bytes / seconds / 1e6,
                updates / seconds, qPrintable(meter.summary()));
    std::fflush(stdout);
    return ok;
}

} // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const qint64 sizeMiB = argc > 1 ? QByteArray(argv[1]).toLongLong() : 1024;
    if (sizeMiB <= 0) {
        std::fprintf(stderr, "usage: ferry-guistall [SIZE_MIB]\n");
        return 2;
    }
    const qint64 bytes = sizeMiB * 1024 * 1024;

    QTemporaryDir temp(QDir::tempPath() + QStringLiteral("/ferry-guistall-XXXXXX"));
    isolateSettings(temp.filePath(QStringLiteral("settings")), QStringLiteral("ferry-guistall"));
    const QString data = temp.filePath(QStringLiteral("server"));
    if (runFerrydAdmin(data, {QStringLiteral("user"), QStringLiteral("add"), TestUser}, TestPassword) != 0) {
        std::fprintf(stderr, "ferryd user add failed\n");
        return 1;
    }
    FerrydProcess ferryd(data);
    if (!ferryd.start({QStringLiteral("--quiet")})) {
        std::fprintf(stderr, "ferryd did not start: %s\n", qPrintable(ferryd.output()));
        return 1;
    }
    trustAnyServer();

    const QString local = temp.filePath(QStringLiteral("local"));
    QDir().mkpath(local + QStringLiteral("/down"));
    const QString source = local + QStringLiteral("/big.bin");
    if (!writeRandomFile(source, bytes)) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(source));
        return 1;
    }

    ScriptedDialogs dialogs;
    MainWindow window(&dialogs, temp.filePath(QStringLiteral("queue.json")));
    window.resize(1000, 700);
    window.show();
    ConnectionParams params;
    params.host = QStringLiteral("127.0.0.1");
    params.port = ferryd.port();
    params.user = TestUser;
    params.password = TestPassword;
    window.connectTo(params);
    QElapsedTimer waiting;
    waiting.start();
    while (window.connection()->phase() != ConnectionController::Phase::Online && waiting.elapsed() < 10000)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
    if (window.connection()->phase() != ConnectionController::Phase::Online) {
        std::fprintf(stderr, "the window did not connect\n");
        return 1;
    }

    std::printf("Event-loop stall of the desktop client (a %d ms timer's lateness) during one transfer of %lld MiB;\n"
                "updates/s = the queue's row updates per second.\n\n",
                TickMs, sizeMiB);
    std::printf("| transfer | result | time | updates/s | GUI thread |\n|---|---|---:|---:|---|\n");
    StallMeter idle;
    idle.start();
    QEventLoop pause;
    QTimer::singleShot(2000, &pause, &QEventLoop::quit);
    pause.exec();
    idle.stop();
    std::printf("| (idle, 2 s) | - | - | - | %s |\n", qPrintable(idle.summary()));
    const bool up = measure("upload", window, [&] { return window.upload({source}, QStringLiteral("/")); }, bytes);
    const bool down = measure("download", window,
                              [&] { return window.download({QStringLiteral("/big.bin")}, local + QStringLiteral("/down")); }, bytes);
    return up && down ? 0 : 1;
}
