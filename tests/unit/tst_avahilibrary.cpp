// libavahi-client is loaded by the first MdnsBrowser::start(), not at program start (AvahiLibrary.h): a
// client that never browses (every ferry-cli command but discover) does not load it or the libraries behind it.

#include "MdnsBrowser.h"

#include <QFile>
#include <QProcess>
#include <QtTest>

using namespace ferry;

namespace {

bool isLoaded(const char *library)
{
    QFile maps(QStringLiteral("/proc/self/maps"));
    return maps.open(QIODevice::ReadOnly) && maps.readAll().contains(library);
}

} // namespace

class TestAvahiLibrary : public QObject {
    Q_OBJECT
private slots:
    void loadedOnlyWhenBrowsingStarts()
    {
#ifndef FERRY_HAVE_AVAHI
        QSKIP("built without libavahi-client");
#else
        QVERIFY(QFile::exists(QStringLiteral("/proc/self/maps")));
        QVERIFY(!isLoaded("libavahi-client"));
        QVERIFY(!isLoaded("libavahi-common"));
        MdnsBrowser browser;
        QString error;
        // Without a running avahi-daemon start() fails with the daemon's error; either way the library is in.
        const bool started = browser.start(&error);
        QVERIFY2(started || error.startsWith(QLatin1String("mDNS is not available: ")), qPrintable(error));
        QVERIFY(isLoaded("libavahi-client"));
        QVERIFY(isLoaded("libavahi-common"));
        browser.stop();
        QVERIFY(browser.start(&error) == started);   // a second start reuses the loaded functions
#endif
    }

    void ferryCliDoesNotLinkIt()
    {
        // ld.so lists what a program loads at start and exits (what ldd does).
        QProcess process;
        QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
        environment.insert(QStringLiteral("LD_TRACE_LOADED_OBJECTS"), QStringLiteral("1"));
        process.setProcessEnvironment(environment);
        process.start(QStringLiteral(FERRY_CLI_BINARY), {});
        QVERIFY(process.waitForFinished(10000));
        const QByteArray loaded = process.readAllStandardOutput();
        QVERIFY2(loaded.contains("libQt6Core"), loaded.constData());
        QVERIFY2(!loaded.contains("libavahi"), loaded.constData());
    }
};

QTEST_GUILESS_MAIN(TestAvahiLibrary)
#include "tst_avahilibrary.moc"
