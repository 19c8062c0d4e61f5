#pragma once
// Test support: time limits that scale with the build. A sanitized build (FERRY_SANITIZE) runs several times
// slower, so a server timeout a test sets, a delay it injects, or a latency bound it asserts that fits a
// normal build can race the code under test there. FERRY_TEST_TIME_SCALE (a whole number, 1 to 20) multiplies
// them; tests/CMakeLists.txt sets it for every test of a sanitized build (FERRY_TEST_TIME_SCALE, default 3
// there), and it is 1 when unset. Scale every time of one check together (the server's limit, the delay
// that must stay under it, the bound the test asserts), so the check keeps its meaning at any speed.

#include <QCoreApplication>
#include <QTest>
#include <QtGlobal>

namespace ferry::test {

inline int timeScale()
{
    bool ok = false;
    const int scale = qEnvironmentVariableIntValue("FERRY_TEST_TIME_SCALE", &ok);
    return ok ? qBound(1, scale, 20) : 1;
}

inline int scaledMs(int ms)
{
    return ms * timeScale();
}

// Runs every event posted to this thread before the call, then returns: a call queued now runs after all of
// them. How a test checks that nothing more arrives (a second reply, a repeated signal: the engine delivers
// them as queued calls) without sleeping for a while and hoping that was long enough.
inline bool runPostedEvents()
{
    bool reached = false;
    QMetaObject::invokeMethod(QCoreApplication::instance(), [&reached] { reached = true; }, Qt::QueuedConnection);
    return QTest::qWaitFor([&reached] { return reached; }, 10000);
}

} // namespace ferry::test
