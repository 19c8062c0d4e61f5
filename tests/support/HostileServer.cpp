#include "HostileServer.h"

#include "Frame.h"
#include "ScramServer.h"
#include "Sha256.h"

#include "ServerIdentity.h"

#include <QSslSocket>

#include <memory>

namespace ferry::test {

namespace {
const QByteArray Content = "hello";

QJsonObject reply(const QString &op, const QJsonValue &re, QJsonObject fields = {})
{
    fields.insert(QStringLiteral("op"), op);
    fields.insert(QStringLiteral("re"), re);
    return fields;
}
} // namespace

HostileServer::HostileServer(const QString &user, const QString &password, const QJsonArray &entries)
    : m_user(user), m_password(password), m_entries(entries)
{
    m_listener.listenLocal();
    connect(&m_listener, &TlsListener::encryptedConnection, this, &HostileServer::serve);
}

void HostileServer::serve(QSslSocket *socket)
{
    socket->write(encodeFrame(QJsonObject{{QStringLiteral("op"), QStringLiteral("hello")},
                                          {QStringLiteral("proto"), 2},
                                          {QStringLiteral("server"), QStringLiteral("hostile/0")},
                                          {QStringLiteral("name"), QStringLiteral("hostile")},
                                          {QStringLiteral("auth"), QJsonArray{QStringLiteral("SCRAM-SHA-256-PLUS")}},
                                          {QStringLiteral("tls"), true},
                                          {QStringLiteral("identity"), identityCode()},
                                          {QStringLiteral("fingerprint"), m_listener.tls().identity().fingerprint()},
                                          {QStringLiteral("max_header"), 65536},
                                          {QStringLiteral("max_payload"), 4194304}}));
    auto decoder = std::make_shared<FrameDecoder>();
    auto scram = std::make_shared<std::unique_ptr<ScramServer>>();
    const ScramCredentials credentials = ScramCredentials::create(m_password);
    const QByteArray binding = tlsServerEndPoint(m_listener.tls().certificate);
    connect(socket, &QSslSocket::readyRead, socket, [=] {
        decoder->feed(socket->readAll());
        Frame frame;
        while (decoder->next(frame) == FrameDecoder::Status::FrameReady) {
            const QString op = frame.op();
            const QJsonValue id = frame.header.value(QStringLiteral("id"));
            const QString path = frame.header.value(QStringLiteral("path")).toString();
            if (op == QLatin1String("auth") && frame.header.contains(QStringLiteral("mech"))) {
                *scram = std::make_unique<ScramServer>(QByteArray(), binding);
                (*scram)->receiveClientFirst(frame.header.value(QStringLiteral("data")).toString().toUtf8());
                socket->write(encodeFrame(reply(QStringLiteral("challenge"), id,
                                                {{QStringLiteral("data"), QString::fromUtf8((*scram)->serverFirstMessage(credentials))}})));
            } else if (op == QLatin1String("auth")) {
                const Result<QByteArray> final = (*scram)->receiveClientFinal(frame.header.value(QStringLiteral("data")).toString().toUtf8());
                socket->write(encodeFrame(final ? reply(QStringLiteral("ok"), id, {{QStringLiteral("data"), QString::fromUtf8(*final)},
                                                                                  {QStringLiteral("user"), m_user},
                                                                                  {QStringLiteral("used"), 0},
                                                                                  {QStringLiteral("limit"), QJsonValue()}})
                                                : reply(QStringLiteral("error"), id, {{QStringLiteral("code"), QStringLiteral("auth_failed")},
                                                                                     {QStringLiteral("message"), QStringLiteral("no")}})));
            } else if (op == QLatin1String("list")) {
                socket->write(encodeFrame(reply(QStringLiteral("entries"), id, {{QStringLiteral("entries"), m_entries},
                                                                                {QStringLiteral("more"), false}})));
            } else if (op == QLatin1String("stat")) {
                const bool folder = path == QLatin1String("/") || path.count(u'/') == 1;
                const QString name = path.section(u'/', -1);
                socket->write(encodeFrame(reply(QStringLiteral("ok"), id, {{QStringLiteral("entry"), QJsonObject{
                    {QStringLiteral("name"), name.isEmpty() ? QStringLiteral("/") : name},
                    {QStringLiteral("type"), folder ? QStringLiteral("dir") : QStringLiteral("file")},
                    {QStringLiteral("size"), folder ? 0 : Content.size()},
                    {QStringLiteral("mtime"), 1700000000000LL}}}})));
            } else if (op == QLatin1String("get")) {
                m_gets.append(path);
                socket->write(encodeFrame(reply(QStringLiteral("ok"), id, {{QStringLiteral("size"), Content.size()},
                                                                           {QStringLiteral("mtime"), 1700000000000LL}})));
                socket->write(encodeFrame(reply(QStringLiteral("data"), id), Content));
                socket->write(encodeFrame(reply(QStringLiteral("end"), id, {{QStringLiteral("sha256"), QString::fromLatin1(Sha256::hex(Content))}})));
            } else if (op != QLatin1String("data") && op != QLatin1String("end")) {
                socket->write(encodeFrame(reply(QStringLiteral("ok"), id)));
            }
        }
    });
    connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
}

} // namespace ferry::test
