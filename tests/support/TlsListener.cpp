#include "TlsListener.h"

#include <QSslConfiguration>

namespace ferry::test {

TlsListener::TlsListener()
{
    const Result<TlsIdentity> tls = TlsIdentity::loadOrCreate(m_folder.path());
    if (tls)
        m_tls = *tls;
    else
        qWarning("TlsListener: %s", qPrintable(tls.error().message));
}

TlsListener::TlsListener(const TlsIdentity &identity) : m_tls(identity)
{
}

void TlsListener::incomingConnection(qintptr descriptor)
{
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
    configuration.setProtocol(QSsl::TlsV1_3OrLater);
    configuration.setLocalCertificate(m_tls.certificate);
    configuration.setPrivateKey(m_tls.privateKey);
    configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
    socket->setSslConfiguration(configuration);
    connect(socket, &QSslSocket::encrypted, this, [this, socket] { emit encryptedConnection(socket); });
    socket->startServerEncryption();
}

TlsSocketListener::TlsSocketListener()
{
    const Result<TlsIdentity> tls = TlsIdentity::loadOrCreate(m_folder.path());
    if (!tls) {
        qWarning("TlsSocketListener: %s", qPrintable(tls.error().message));
        return;
    }
    m_tls = *tls;
    const Result<std::shared_ptr<const TlsContext>> context = TlsContext::server(m_tls.certificate, m_tls.privateKey);
    if (context)
        m_context = *context;
    else
        qWarning("TlsSocketListener: %s", qPrintable(context.error().message));
}

void TlsSocketListener::incomingConnection(qintptr descriptor)
{
    auto *socket = new TlsSocket(m_context, this);
    connect(socket, &TlsSocket::encrypted, this, [this, socket] { emit encryptedConnection(socket); });
    emit newConnectionSocket(socket);
    socket->startServer(descriptor);
}

TlsRelay::TlsRelay(quint16 targetPort) : m_target(targetPort)
{
    m_listener.listenLocal();
    connect(&m_listener, &TlsListener::encryptedConnection, this, [this](QSslSocket *client) {
        auto *server = new QSslSocket(client);
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setPeerVerifyMode(QSslSocket::QueryPeer);
        server->setSslConfiguration(configuration);
        connect(client, &QSslSocket::readyRead, server, [this, client, server] {
            if (!server->isEncrypted())
                return;   // forwarded once the other leg is up
            const QByteArray bytes = client->readAll();
            m_fromClient += bytes.size();
            server->write(bytes);
        });
        connect(server, &QSslSocket::encrypted, client, [this, client, server] {
            const QByteArray bytes = client->readAll();
            m_fromClient += bytes.size();
            server->write(bytes);
        });
        connect(server, &QSslSocket::readyRead, client, [client, server] { client->write(server->readAll()); });
        connect(server, &QSslSocket::disconnected, client, &QSslSocket::disconnectFromHost);
        connect(client, &QSslSocket::disconnected, server, &QSslSocket::disconnectFromHost);
        server->connectToHostEncrypted(QStringLiteral("127.0.0.1"), m_target);
    });
}

} // namespace ferry::test
