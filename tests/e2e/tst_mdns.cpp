// mDNS/DNS-SD with a real avahi-daemon and its own dbus-daemon, in a private network and mount namespace
// made at start (a veth interface 10.254.0.1/24, a private /run): the built ferryd announces
// `_ferry._tcp`, NearbyServers finds it by mDNS and by broadcast as one entry, and a server listening on
// loopback only is announced neither way. Where the namespace or the daemons are not available, every test
// is skipped with the reason (QSKIP), never passed.

#include "NearbyServers.h"

#include <QDeadlineTimer>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <unistd.h>

using namespace ferry;

namespace {

QString g_skipReason;   // set by enterPrivateNetwork(); empty when the namespace is ready

bool writeFile(const char *path, const char *text)
{
    const int fd = ::open(path, O_WRONLY);
    if (fd < 0)
        return false;
    const bool ok = ::write(fd, text, std::strlen(text)) == ssize_t(std::strlen(text));
    ::close(fd);
    return ok;
}

bool run(const QString &command)
{
    return std::system(command.toLocal8Bit().constData()) == 0;
}

// Runs before QCoreApplication starts threads: unshare() of a user namespace needs a single thread.
QString enterPrivateNetwork()
{
    for (const char *program : {"avahi-daemon", "dbus-daemon", "ip"}) {
        if (QStandardPaths::findExecutable(QString::fromLatin1(program), {QStringLiteral("/usr/sbin"),
                                                                          QStringLiteral("/usr/bin"), QStringLiteral("/sbin")})
                .isEmpty())
            return QStringLiteral("%1 is not installed (apt-get install avahi-daemon dbus iproute2)").arg(QLatin1String(program));
    }
    const uid_t uid = ::geteuid();
    const gid_t gid = ::getegid();
    if (::unshare(CLONE_NEWNET | CLONE_NEWNS) != 0) {
        // Not root: a user namespace gives the rights inside it, where the kernel allows that.
        if (::unshare(CLONE_NEWUSER | CLONE_NEWNET | CLONE_NEWNS) != 0)
            return QStringLiteral("cannot make a private network namespace: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
        char map[64];
        std::snprintf(map, sizeof map, "0 %u 1", unsigned(uid));
        writeFile("/proc/self/setgroups", "deny");
        if (!writeFile("/proc/self/uid_map", map))
            return QStringLiteral("cannot map the user into its namespace");
        std::snprintf(map, sizeof map, "0 %u 1", unsigned(gid));
        writeFile("/proc/self/gid_map", map);
    }
    if (::mount("none", "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0
        || ::mount("tmpfs", "/run", "tmpfs", 0, "mode=0755") != 0)
        return QStringLiteral("cannot mount a private /run: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
    // A veth pair (its other end up, so the link has a carrier): a LAN interface of this namespace.
    if (!run(QStringLiteral("mkdir -p /run/dbus /run/avahi-daemon && ip link set lo up"
                            " && ip link add ferry0 type veth peer name ferry1 && ip link set ferry1 up"
                            " && ip link set ferry0 up && ip addr add 10.254.0.1/24 broadcast 10.254.0.255 dev ferry0")))
        return QStringLiteral("cannot set up a veth interface in the namespace (see the ip error above)");
    return QString();
}

const char DbusConfig[] =
    "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
    " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
    "<busconfig>\n"
    "  <type>system</type>\n"
    "  <listen>unix:path=/run/dbus/system_bus_socket</listen>\n"
    "  <auth>EXTERNAL</auth>\n"
    "  <policy context=\"default\">\n"
    "    <allow user=\"*\"/>\n"
    "    <allow own=\"*\"/>\n"
    "    <allow send_destination=\"*\"/>\n"
    "    <allow receive_sender=\"*\"/>\n"
    "  </policy>\n"
    "</busconfig>\n";

const char AvahiConfig[] =
    "[server]\n"
    "use-ipv4=yes\n"
    "use-ipv6=no\n"
    "allow-interfaces=ferry0\n"
    "enable-dbus=yes\n"
    "ratelimit-interval-usec=1000000\n"
    "ratelimit-burst=1000\n"
    "[wide-area]\n"
    "enable-wide-area=no\n"
    "[publish]\n"
    "publish-addresses=yes\n";

// The built ferryd with discovery on (FerrydProcess turns it off), its output merged for waitFor().
class Ferryd {
public:
    bool start(const QStringList &arguments)
    {
        m_process.setProcessChannelMode(QProcess::MergedChannels);
        m_process.start(QStringLiteral(FERRYD_BINARY), QStringList{QStringLiteral("--data"), m_data.path(),
                                                                   QStringLiteral("--port"), QStringLiteral("0")} + arguments);
        static const QRegularExpression listening(QStringLiteral("listening on [^ ]*:(\\d+)"));
        if (!m_process.waitForStarted(10000) || !waitFor(QStringLiteral("listening on")))
            return false;
        m_port = quint16(listening.match(m_output).captured(1).toUInt());
        return m_port != 0;
    }
    // Until the output holds `text` `times` times.
    bool waitFor(const QString &text, int timeoutMs = 15000, int times = 1)
    {
        QDeadlineTimer deadline(timeoutMs);
        m_output += QString::fromUtf8(m_process.readAll());
        while (m_output.count(text) < times && !deadline.hasExpired() && m_process.state() == QProcess::Running) {
            m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
            m_output += QString::fromUtf8(m_process.readAll());
        }
        return m_output.count(text) >= times;
    }
    ~Ferryd()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished(5000);
    }
    quint16 port() const { return m_port; }
    QString output() const { return m_output; }
    qint64 pid() const { return m_process.processId(); }

private:
    QTemporaryDir m_data;
    QProcess m_process;
    QString m_output;
    quint16 m_port = 0;
};

} // namespace

class TestMdns : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QProcess m_dbus;
    QProcess m_avahi;
    QString m_avahiOutput;

    bool writeConfig(const QString &name, const char *text)
    {
        QFile file(m_dir.filePath(name));
        return file.open(QIODevice::WriteOnly) && file.write(text) == qint64(std::strlen(text));
    }

    // One search of the nearby servers (mDNS and broadcast), which must find mDNS working.
    void searchNearby(QList<DiscoveredServer> &servers)
    {
        NearbyServers nearby;
        QSignalSpy finished(&nearby, &NearbyServers::finished);
        nearby.start(4000);
        QVERIFY(finished.wait(15000));
        QVERIFY2(nearby.mdnsProblem().isEmpty(), qPrintable(nearby.mdnsProblem()));
        servers = nearby.servers();
    }

    // Starts avahi-daemon on the namespace's veth and waits until it serves.
    void startAvahi()
    {
        m_avahiOutput.clear();
        m_avahi.start(QStandardPaths::findExecutable(QStringLiteral("avahi-daemon"), {QStringLiteral("/usr/sbin")}),
                      {QStringLiteral("-f"), m_dir.filePath(QStringLiteral("avahi-daemon.conf")), QStringLiteral("--no-drop-root"),
                       QStringLiteral("--no-chroot"), QStringLiteral("--no-rlimits"), QStringLiteral("--no-proc-title")});
        QVERIFY2(m_avahi.waitForStarted(), qPrintable(m_avahi.errorString()));
        QTRY_VERIFY2_WITH_TIMEOUT(m_avahiOutput.contains(QStringLiteral("Server startup complete")),
                                  qPrintable(m_avahiOutput), 20000);
    }

private slots:
    void initTestCase()
    {
        if (!g_skipReason.isEmpty())
            QSKIP(qPrintable(QStringLiteral("mDNS test not run: ") + g_skipReason));
        QVERIFY(writeConfig(QStringLiteral("bus.conf"), DbusConfig));
        QVERIFY(writeConfig(QStringLiteral("avahi-daemon.conf"), AvahiConfig));
        m_dbus.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_dbus.start(QStringLiteral("dbus-daemon"), {QStringLiteral("--config-file=") + m_dir.filePath(QStringLiteral("bus.conf")),
                                                     QStringLiteral("--nofork"), QStringLiteral("--nopidfile"),
                                                     QStringLiteral("--nosyslog")});
        QVERIFY2(m_dbus.waitForStarted(), qPrintable(m_dbus.errorString()));
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(QStringLiteral("/run/dbus/system_bus_socket")), 10000);

        m_avahi.setProcessChannelMode(QProcess::MergedChannels);
        connect(&m_avahi, &QProcess::readyRead, this, [this] { m_avahiOutput += QString::fromLocal8Bit(m_avahi.readAll()); });
        startAvahi();
    }

    void cleanupTestCase()
    {
        for (QProcess *process : {&m_avahi, &m_dbus}) {
            if (process->state() != QProcess::NotRunning) {
                process->terminate();
                process->waitForFinished(5000);
            }
        }
    }

    void serverIsFoundByMdnsAndBroadcastAsOneEntry()
    {
        Ferryd server;   // on every interface, so both the announcement and the broadcast answer reach the client
        QVERIFY2(server.start({QStringLiteral("--name"), QStringLiteral("Namespace server")}), qPrintable(server.output()));
        QVERIFY2(server.waitFor(QStringLiteral("announced over mDNS")), qPrintable(server.output()));

        QList<DiscoveredServer> servers;
        searchNearby(servers);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(servers.size(), 1);
        QCOMPARE(servers[0].name, QStringLiteral("Namespace server"));
        QCOMPARE(servers[0].port, server.port());
        QCOMPARE(servers[0].address, QHostAddress(QStringLiteral("10.254.0.1")));
        QCOMPARE(servers[0].foundBy, int(DiscoveredServer::Mdns | DiscoveredServer::Broadcast));

        // `ferry-cli discover` shows the same single entry.
        QProcess cli;
        cli.start(QStringLiteral(FERRY_CLI_BINARY), {QStringLiteral("discover")});
        QVERIFY(cli.waitForFinished(15000));
        const QString listed = QString::fromUtf8(cli.readAllStandardOutput());
        QCOMPARE(cli.exitCode(), 0);
        QCOMPARE(listed.count(QLatin1Char('\n')), 1);
        QVERIFY2(listed.startsWith(QStringLiteral("Namespace server\tferry://10.254.0.1:%1\tfound by mDNS, broadcast")
                                       .arg(server.port())), qPrintable(listed));
    }

    // SIGHUP with a new name in the configuration file: the mDNS announcement and the broadcast answers
    // carry it at once, and the old name is withdrawn (still one entry).
    void renamedOnReloadInMdnsAndBroadcast()
    {
        const QString config = m_dir.filePath(QStringLiteral("ferryd.conf"));
        QVERIFY(writeConfig(QStringLiteral("ferryd.conf"), "name = Before reload\n"));
        Ferryd server;
        QVERIFY2(server.start({QStringLiteral("--config"), config}), qPrintable(server.output()));
        QVERIFY2(server.waitFor(QStringLiteral("announced over mDNS as \"Before reload\"")), qPrintable(server.output()));

        QVERIFY(writeConfig(QStringLiteral("ferryd.conf"), "name = After reload\n"));
        QCOMPARE(::kill(pid_t(server.pid()), SIGHUP), 0);
        QVERIFY2(server.waitFor(QStringLiteral("reloaded %1: applied name").arg(config)), qPrintable(server.output()));
        QVERIFY2(server.waitFor(QStringLiteral("announced over mDNS as \"After reload\"")), qPrintable(server.output()));

        NearbyServers nearby;
        QSignalSpy finished(&nearby, &NearbyServers::finished);
        nearby.start(4000);
        QVERIFY(finished.wait(15000));
        const QList<DiscoveredServer> servers = nearby.servers();
        QCOMPARE(servers.size(), 1);
        QCOMPARE(servers[0].name, QStringLiteral("After reload"));
        QCOMPARE(servers[0].foundBy, int(DiscoveredServer::Mdns | DiscoveredServer::Broadcast));
    }

    void loopbackOnlyServerIsAnnouncedNeitherWay()
    {
        Ferryd server;
        QVERIFY2(server.start({QStringLiteral("--listen"), QStringLiteral("127.0.0.1"), QStringLiteral("--name"),
                               QStringLiteral("Loopback only")}), qPrintable(server.output()));
        QVERIFY2(server.waitFor(QStringLiteral("not announced over mDNS")), qPrintable(server.output()));
        // It does run discovery, for queries that reach 127.0.0.1 ...
        DiscoveryClient local;
        local.setTargets({QHostAddress::LocalHost});
        QSignalSpy localFound(&local, &DiscoveryClient::finished);
        local.start(1500);
        QVERIFY(localFound.wait(10000));
        QCOMPARE(local.servers().size(), 1);
        // ... but the LAN hears of it neither by mDNS nor by broadcast.
        NearbyServers nearby;
        QSignalSpy finished(&nearby, &NearbyServers::finished);
        nearby.start(3000);
        QVERIFY(finished.wait(15000));
        QVERIFY2(nearby.mdnsProblem().isEmpty(), qPrintable(nearby.mdnsProblem()));
        QCOMPARE(nearby.servers().size(), 0);
    }

    // The host's avahi-daemon restarts (an upgrade does that): the running ferryd announces itself again once
    // the daemon is back, without a restart of its own. (It used to log "mDNS is off" and stay unannounced.)
    void announcedAgainAfterAvahiRestarts()
    {
        Ferryd server;
        QVERIFY2(server.start({QStringLiteral("--name"), QStringLiteral("Survivor")}), qPrintable(server.output()));
        QVERIFY2(server.waitFor(QStringLiteral("announced over mDNS as \"Survivor\"")), qPrintable(server.output()));

        m_avahi.terminate();
        QVERIFY(m_avahi.waitForFinished(10000));
        startAvahi();   // first, so that the daemon runs again whatever the checks below find
        if (QTest::currentTestFailed())
            return;
        QVERIFY2(server.waitFor(QStringLiteral("announced over mDNS as \"Survivor\""), 20000, 2), qPrintable(server.output()));
        QVERIFY2(server.output().contains(QStringLiteral("Avahi daemon went away")), qPrintable(server.output()));

        QList<DiscoveredServer> servers;
        searchNearby(servers);
        if (QTest::currentTestFailed())
            return;
        QCOMPARE(servers.size(), 1);
        QCOMPARE(servers[0].name, QStringLiteral("Survivor"));
        QCOMPARE(servers[0].foundBy, int(DiscoveredServer::Mdns | DiscoveredServer::Broadcast));
    }
};

int main(int argc, char *argv[])
{
    g_skipReason = enterPrivateNetwork();
    QCoreApplication app(argc, argv);
    TestMdns test;
    return QTest::qExec(&test, argc, argv);
}

#include "tst_mdns.moc"
