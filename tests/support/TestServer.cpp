#include "TestServer.h"

#include "ClientSession.h"
#include "KnownServers.h"
#include "OpLog.h"
#include "TlsIdentity.h"
#include "UsersFile.h"

#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTest>

namespace ferry::test {

TestServer::TestServer(const QString &dataDir)
{
    if (dataDir.isEmpty()) {
        m_temp = std::make_unique<QTemporaryDir>();
        m_dataDir = m_temp->path();
    } else {
        m_dataDir = dataDir;
    }
    setOpLogEnabled(qEnvironmentVariableIsSet("FERRY_TEST_LOG"));
}

TestServer::~TestServer()
{
    stop();
}

bool TestServer::addUser(const QString &name, const QString &password, std::optional<qint64> quotaBytes)
{
    UsersFile users(m_dataDir);
    const Status status = users.add(UserAccount{name, ScramCredentials::create(password), quotaBytes});
    if (!status) {
        qWarning("addUser(%s): %s", qPrintable(name), qPrintable(status.error().message));
        return false;
    }
    return QDir().mkpath(home(name));
}

void trustAnyServer()
{
    ClientSession::setDefaultIdentityVerifier([](const IdentityCheck &) { return Status(); });
}

QString cliConfigHome()
{
    static QTemporaryDir folder;
    return folder.path();
}

// Ephemeral ports come round again within one test process: a ferry-cli run against a new server on a port an
// earlier server of this process had would meet "identity CHANGED". Another server's identity there is forgotten.
static void forgetOtherCliIdentity(quint16 port, const ServerIdentity &identity)
{
    KnownServers known(cliConfigHome() + QStringLiteral("/ferry-cli/known_servers.json"));
    for (const QString &host : {QStringLiteral("127.0.0.1"), QStringLiteral("localhost")}) {
        const ServerIdentity remembered = known.find(host, port);
        if (remembered.isValid() && remembered != identity)
            known.forget(host, port);
    }
}

QProcessEnvironment cliEnvironment(const QString &trustCode)
{
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(QStringLiteral("XDG_CONFIG_HOME"), cliConfigHome());
    environment.remove(QStringLiteral("FERRY_TRUST"));
    if (!trustCode.isEmpty())
        environment.insert(QStringLiteral("FERRY_TRUST"), trustCode);
    return environment;
}

ServerIdentity TestServer::identity() const
{
    const Result<TlsIdentity> tls = TlsIdentity::load(m_dataDir);
    return tls ? tls->identity() : ServerIdentity();
}

bool TestServer::start(ServerConfig config)
{
    trustAnyServer();
    config.dataDir = m_dataDir;
    config.listenAddress = QHostAddress::LocalHost;
    // An ephemeral port, unless the caller chose one (a server coming back where it was).
    if (config.port == ServerConfig().port)
        config.port = 0;
    config.discovery = false;
    if (config.name.isEmpty())
        config.name = QStringLiteral("test");
    m_thread = std::make_unique<QThread>();
    m_thread->setObjectName(QStringLiteral("test-server"));
    m_context = std::make_unique<QObject>();
    m_context->moveToThread(m_thread.get());
    m_thread->start();
    bool started = false;
    QMetaObject::invokeMethod(
        m_context.get(),
        [this, config, &started] {
            m_server = std::make_unique<Server>(config);
            QString error;
            started = m_server->start(&error);
            if (!started)
                qWarning("TestServer: %s", qPrintable(error));
        },
        Qt::BlockingQueuedConnection);
    if (started)
        forgetOtherCliIdentity(port(), identity());
    return started;
}

void TestServer::stop()
{
    if (!m_thread)
        return;
    QMetaObject::invokeMethod(m_context.get(), [this] { m_server.reset(); }, Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    m_thread.reset();
    m_context.reset();
}

quint16 TestServer::port() const
{
    return m_server ? m_server->serverPort() : 0;
}

QString TestServer::home(const QString &user) const
{
    return UsersFile::homePath(m_dataDir, user);
}

FerrydProcess::FerrydProcess(const QString &dataDir) : m_dataDir(dataDir)
{
    m_process.setProcessChannelMode(QProcess::MergedChannels);
}

FerrydProcess::~FerrydProcess()
{
    kill();
}

bool FerrydProcess::start(const QStringList &extraArguments, quint16 port)
{
    return startWith(QStringList{QStringLiteral("--data"), m_dataDir, QStringLiteral("--listen"), QStringLiteral("127.0.0.1"),
                                 QStringLiteral("--port"), QString::number(port), QStringLiteral("--no-discovery")}
                     + extraArguments);
}

bool FerrydProcess::startWith(const QStringList &arguments)
{
    m_output.clear();
    m_process.start(QStringLiteral(FERRYD_BINARY), arguments);
    if (!m_process.waitForStarted(10000))
        return false;
    static const QRegularExpression listening(QStringLiteral("listening on [^ ]*:(\\d+)"));
    QDeadlineTimer deadline(15000);
    while (!deadline.hasExpired()) {
        if (!m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime()))))
            break;
        m_output += QString::fromUtf8(m_process.readAll());
        const QRegularExpressionMatch match = listening.match(m_output);
        if (match.hasMatch()) {
            m_port = quint16(match.captured(1).toUInt());
            if (const Result<TlsIdentity> tls = TlsIdentity::load(m_dataDir))
                forgetOtherCliIdentity(m_port, tls->identity());
            return true;
        }
    }
    qWarning("ferryd did not start: %s", qPrintable(m_output));
    return false;
}

bool FerrydProcess::waitForOutput(const QString &text, int timeoutMs, qsizetype from)
{
    QDeadlineTimer deadline(timeoutMs);
    m_output += QString::fromUtf8(m_process.readAll());
    while (m_output.indexOf(text, from) < 0 && !deadline.hasExpired()) {
        m_process.waitForReadyRead(int(qMax<qint64>(1, deadline.remainingTime())));
        m_output += QString::fromUtf8(m_process.readAll());
    }
    return m_output.indexOf(text, from) >= 0;
}

void FerrydProcess::kill()
{
    if (m_process.state() != QProcess::NotRunning) {
        m_process.kill();
        m_process.waitForFinished(10000);
    }
}

int runFerrydAdmin(const QString &dataDir, const QStringList &arguments, const QString &password, QString *output)
{
    QProcess process;
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    if (!password.isNull())
        environment.insert(QStringLiteral("FERRY_PASSWORD"), password);
    process.setProcessEnvironment(environment);
    process.setProcessChannelMode(QProcess::MergedChannels);
    process.start(QStringLiteral(FERRYD_BINARY), QStringList{QStringLiteral("--data"), dataDir} + arguments);
    process.closeWriteChannel();
    if (!process.waitForFinished(60000))
        return -1;
    if (output)
        *output = QString::fromUtf8(process.readAll());
    return process.exitStatus() == QProcess::NormalExit ? process.exitCode() : -1;
}

QByteArray randomBytes(qint64 size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    qint64 i = 0;
    for (; i + 4 <= size; i += 4) {
        const quint32 value = generator.generate();
        memcpy(bytes.data() + i, &value, 4);
    }
    for (; i < size; ++i)
        bytes[i] = char(generator.generate());
    return bytes;
}

bool writeFile(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}

QByteArray readFile(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? file.readAll() : QByteArray();
}

} // namespace ferry::test
