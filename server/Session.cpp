#include "Session.h"

#include "AccountStore.h"
#include "AuthThrottle.h"
#include "Download.h"
#include "FrameConnection.h"
#include "ListingStream.h"
#include "OpLog.h"
#include "PartFileSweeper.h"
#include "Protocol.h"
#include "Reply.h"
#include "QuotaLedger.h"
#include "RequestFields.h"
#include "Scram.h"
#include "ServerConfig.h"
#include "Storage.h"
#include "UploadService.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QTcpSocket>

namespace ferry {

namespace {

QString pathText(const QJsonObject &request, QLatin1String key = Field::Path)
{
    return request.value(key).toString();
}
} // namespace

Session::Session(QTcpSocket *socket, ServerServices &services, QObject *parent)
    : QObject(parent), m_services(services), m_connection(new FrameConnection(socket, this)), m_socket(socket)
{
    m_uploads = new UploadService(services,
                                  UploadService::Replies{
                                      [this](qint64 id, const QJsonObject &fields) { sendOk(id, fields); },
                                      [this](qint64 id, const Error &error) { sendError(id, error); },
                                      [this](const QString &path, qint64 bytes, const QString &result) {
                                          log(QString(Op::Put), path, bytes, result);
                                      },
                                      [this] { return quotaFields(); }},
                                  this);
    m_peer = m_connection->peerAddress();
    connect(m_connection, &FrameConnection::frameReceived, this, &Session::onFrame);
    connect(m_connection, &FrameConnection::closed, this, &Session::onClosed);
    connect(m_connection, &FrameConnection::writable, this, &Session::onWritable);
    connect(m_connection, &FrameConnection::framingError, this, [this](const QString &message) {
        log(QStringLiteral("frame"), {}, -1, QString(ErrorCode::ProtocolError) + u' ' + message);
    });

    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        // An open transfer is no exemption (PROTOCOL.md): data frames received and download bytes the
        // client reads restart the timer; a stalled one ends the session, releasing locks and quota.
        log(QStringLiteral("timeout"), {}, -1, QStringLiteral("closed"));
        // abort, not close: close() would wait for the queued output a stalled client never reads.
        if (m_socket)
            m_socket->abort();
        else
            m_connection->close();
    });
    restartIdleTimer();

    const ServerConfig &config = services.config;
    m_connection->send(QJsonObject{
        {Field::Op, QString(Op::Hello)},
        {Field::Proto, Limits::ProtocolVersion},
        {Field::Server, QStringLiteral("ferryd/" FERRY_VERSION)},
        {Field::Name, config.name},
        {Field::Auth, QJsonArray{QString(ScramMechanism)}},
        {Field::Tls, false},
        {Field::MaxHeader, Limits::MaxHeaderBytes},
        {Field::MaxPayload, Limits::MaxPayloadBytes},
    });
    if (socket->state() != QAbstractSocket::ConnectedState)
        QMetaObject::invokeMethod(this, &Session::onClosed, Qt::QueuedConnection);
}

Session::~Session() = default;   // UploadService: unfinished uploads keep their part files and settle

void Session::restartIdleTimer()
{
    m_idleTimer.start(m_user.isEmpty() ? m_services.config.unauthenticatedTimeoutMs
                                       : m_services.config.idleTimeoutMs);
}

void Session::onClosed()
{
    if (m_closing)
        return;
    m_closing = true;
    m_uploads->interruptAll();
    emit finished();
    deleteLater();
}

void Session::onWritable()
{
    // The client reads what downloads send: a transfer that moves is activity.
    if (!m_downloads.isEmpty())
        restartIdleTimer();
    // Copies: a pump may finish its stream, which removes it from the table.
    for (ListingStream *listing : m_listings.values())
        listing->pump();
    for (Download *download : m_downloads.values())
        download->pump();
}

void Session::sendOk(qint64 id, QJsonObject fields)
{
    m_connection->send(Reply::ok(id, std::move(fields)));
}

void Session::sendError(qint64 id, const Error &error)
{
    m_connection->send(Reply::error(id, error));
}

void Session::log(const QString &op, const QString &path, qint64 bytes, const QString &result)
{
    writeOpLog(OpLogLine{m_peer, m_user, op, path, bytes, result});
}

void Session::onFrame(const Frame &frame)
{
    const QString op = frame.op();
    // data/end frames belong to an open put; those of other ids are ignored (docs/PROTOCOL.md, section 13).
    if (op == Op::Data || op == Op::End) {
        if (!m_user.isEmpty()) {
            restartIdleTimer();
            m_uploads->transferFrame(op, frame);
        }
        return;
    }
    // Before login the 30 s from connect run on; after it, any request keeps the session alive.
    if (!m_user.isEmpty())
        restartIdleTimer();
    const std::optional<qint64> id = jsonInteger(frame.header, Field::Id);
    if (!id || *id <= 0) {
        sendError(-1, Error::make(ErrorCode::BadRequest,
                                  QStringLiteral("Request \"%1\" has no valid \"id\" (a positive integer).").arg(op)));
        return;
    }
    if (isOpenRequest(*id)) {
        // Not "re": id, which would read as a reply to the request still running under it.
        sendError(-1, Error::make(ErrorCode::BadRequest, QStringLiteral("Request id %1 is still in use.").arg(*id)));
        return;
    }
    if (op == Op::Auth) {
        handleAuth(*id, frame.header);
        return;
    }
    if (op == Op::Ping) {
        sendOk(*id);
        return;
    }
    if (op == Op::Bye) {
        sendOk(*id);
        log(op, {}, -1, QStringLiteral("ok"));
        m_connection->close();
        return;
    }
    if (m_user.isEmpty()) {
        sendError(*id, Error::make(ErrorCode::NotAuthenticated, QStringLiteral("Log in first.")));
        return;
    }
    handleRequest(op, *id, frame);
}

void Session::handleAuth(qint64 id, const QJsonObject &request)
{
    if (!m_user.isEmpty()) {
        sendError(id, Error::make(ErrorCode::BadRequest, QStringLiteral("Already logged in.")));
        return;
    }
    const QJsonValue data = request.value(Field::Data);
    if (!data.isString()) {
        sendError(id, badField(Field::Data, QStringLiteral("must be a SCRAM message string")));
        return;
    }
    const int wait = m_services.throttle->retryAfterSeconds(m_peer);
    if (wait > 0) {
        m_scram.reset();
        sendError(id, Error::make(ErrorCode::Throttled,
                                  QStringLiteral("Too many failed logins from this address; try again in %1 s.").arg(wait),
                                  QJsonObject{{Field::RetryAfter, wait}}));
        log(QString(Op::Auth), {}, -1, QString(ErrorCode::Throttled));
        return;
    }

    const QByteArray message = data.toString().toUtf8();
    const QJsonValue mech = request.value(Field::Mech);
    if (!mech.isUndefined()) {
        // Step 1: client-first; "mech" starts a new exchange (and only the first message carries it).
        m_scram.reset();
        if (mech.toString() != ScramMechanism) {
            sendError(id, Error::make(ErrorCode::Unsupported, QStringLiteral("Only SCRAM-SHA-256 is supported.")));
            return;
        }
        auto scram = std::make_unique<ScramServer>();
        const Result<QString> user = scram->receiveClientFirst(message);
        if (!user) {
            sendError(id, user.error());
            return;
        }
        const std::optional<UserAccount> account = m_services.accounts->find(*user);
        const ScramCredentials credentials = account ? account->credentials
                                                     : fakeScramCredentials(m_services.accounts->serverSecret(), *user);
        m_connection->send(QJsonObject{{Field::Op, QString(Op::Challenge)},
                                       {Field::Re, id},
                                       {Field::Data, QString::fromUtf8(scram->serverFirstMessage(credentials))}});
        m_scram = std::move(scram);
        return;
    }

    // Step 2: client-final.
    if (!m_scram) {
        sendError(id, Error::make(ErrorCode::BadRequest, QStringLiteral("No authentication exchange is open; send \"mech\" first.")));
        return;
    }
    std::unique_ptr<ScramServer> scram = std::move(m_scram);
    const Result<QByteArray> serverFinal = scram->receiveClientFinal(message);
    const QString user = scram->user();
    const std::optional<UserAccount> account = m_services.accounts->find(user);
    if (!serverFinal || !account) {
        m_services.throttle->recordFailure(m_peer);
        sendError(id, Error::make(ErrorCode::AuthFailed, QStringLiteral("Wrong user name or password.")));
        writeOpLog(OpLogLine{m_peer, user, QString(Op::Auth), {}, -1, QString(ErrorCode::AuthFailed)});
        return;
    }
    m_services.throttle->recordSuccess(m_peer);
    startUserSession(user);
    QJsonObject fields = quotaFields();
    fields.insert(Field::Data, QString::fromUtf8(*serverFinal));
    fields.insert(Field::User, user);
    sendOk(id, fields);
    log(QString(Op::Auth), {}, -1, QStringLiteral("ok"));
    restartIdleTimer();
}

void Session::startUserSession(const QString &user)
{
    m_user = user;
    Result<std::shared_ptr<StorageHome>> home = m_services.storage->openHome(user);
    if (!home) {
        // Logged in, but every file request gets io_error until an admin fixes the home.
        m_services.storage->createHome(user);
        home = m_services.storage->openHome(user);
    }
    m_home = home ? *home : nullptr;
    if (m_home && !m_services.ledger->isKnown(user))
        m_services.ledger->setUsed(user, m_home->usage());
    if (m_home)
        m_services.partSweeper->sweep(m_services, user);
    m_uploads->start(user, m_home);
}

bool Session::isOpenRequest(qint64 id) const
{
    if (m_uploads->isOpen(id) || m_downloads.contains(id) || m_listings.contains(id))
        return true;
    for (const auto &queued : m_queuedListings) {
        if (queued.first == id)
            return true;
    }
    return false;
}

std::optional<qint64> Session::quotaLimit()
{
    const std::optional<UserAccount> account = m_services.accounts->find(m_user);
    return account ? account->quotaBytes : std::optional<qint64>(0);
}

QJsonObject Session::quotaFields()
{
    const std::optional<qint64> limit = quotaLimit();
    return QJsonObject{{Field::Used, m_services.ledger->used(m_user)},
                       {Field::Limit, limit ? QJsonValue(*limit) : QJsonValue(QJsonValue::Null)}};
}

} // namespace ferry
