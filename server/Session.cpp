#include "Session.h"

#include "AccountStore.h"
#include "Download.h"
#include "FrameConnection.h"
#include "ListingStream.h"
#include "OpLog.h"
#include "Protocol.h"
#include "QuotaLedger.h"
#include "RequestFields.h"
#include "SessionAuth.h"
#include "ServerConfig.h"
#include "Storage.h"
#include "Upload.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QSslSocket>

namespace ferry {

namespace {
const QLatin1String OpKey{"op"};
const QLatin1String IdKey{"id"};
const QLatin1String ReKey{"re"};
const QLatin1String PathKey{"path"};
const QLatin1String DataKey{"data"};

QString pathText(const QJsonObject &request, QLatin1String key = QLatin1String("path"))
{
    return request.value(key).toString();
}
} // namespace

Session::Session(QSslSocket *socket, ServerServices &services, QObject *parent)
    : QObject(parent), m_services(services), m_connection(new FrameConnection(socket, this))
{
    m_peer = m_connection->peerAddress();
    m_auth = std::make_unique<SessionAuth>(services, m_peer);
    // Before login nothing needs a payload: one announced is refused before it is buffered (issue 8).
    m_connection->setPayloadsAllowed(false);
    connect(m_connection, &FrameConnection::frameReceived, this, &Session::onFrame);
    connect(m_connection, &FrameConnection::closed, this, &Session::onClosed);
    connect(m_connection, &FrameConnection::writable, this, &Session::onWritable);
    connect(m_connection, &FrameConnection::framingError, this, [this](const QString &message) {
        log(QStringLiteral("frame"), {}, -1, QString(ErrorCode::ProtocolError) + u' ' + message);
    });

    m_idleTimer.setSingleShot(true);
    connect(&m_idleTimer, &QTimer::timeout, this, [this] {
        // A running transfer is activity even when the client sends nothing (a long download).
        if (!m_downloads.isEmpty() || !m_uploads.isEmpty()) {
            restartIdleTimer();
            return;
        }
        log(QStringLiteral("timeout"), {}, -1, QStringLiteral("closed"));
        // Unsent output does not keep an unauthenticated peer alive (one that never reads would).
        if (m_user.isEmpty() && m_connection->socket())
            m_connection->socket()->abort();
        else
            m_connection->close();
    });
    restartIdleTimer();
    sendHello();
    if (socket->state() != QAbstractSocket::ConnectedState)
        QMetaObject::invokeMethod(this, &Session::onClosed, Qt::QueuedConnection);
}

void Session::sendHello()
{
    const ServerConfig &config = m_services.config;
    const ServerIdentity identity = m_services.tls.identity();
    m_connection->send(QJsonObject{
        {OpKey, QString(Op::Hello)},
        {QStringLiteral("proto"), Limits::ProtocolVersion},
        {QStringLiteral("server"), QStringLiteral("ferryd/" FERRY_VERSION)},
        {QStringLiteral("name"), config.name},
        {QStringLiteral("auth"), QJsonArray{QString(ScramMechanism)}},
        {QStringLiteral("tls"), true},
        {QStringLiteral("identity"), identity.code()},
        {QStringLiteral("fingerprint"), identity.fingerprint()},
        {QStringLiteral("max_header"), Limits::MaxHeaderBytes},
        {QStringLiteral("max_payload"), Limits::MaxPayloadBytes},
    });
}

Session::~Session()
{
    qDeleteAll(m_uploads);   // unfinished uploads keep their part files and release reservations
}

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
    for (Upload *upload : std::as_const(m_uploads))
        log(QString(Op::Put), upload->request().path.toString(), upload->received(),
            QStringLiteral("interrupted"));
    qDeleteAll(m_uploads);
    m_uploads.clear();
    emit finished();
    deleteLater();
}

void Session::onWritable()
{
    // Copies: a pump may finish its stream, which removes it from the table.
    for (ListingStream *listing : m_listings.values())
        listing->pump();
    for (Download *download : m_downloads.values())
        download->pump();
}

void Session::sendOk(qint64 id, QJsonObject fields)
{
    fields.insert(OpKey, QString(Op::Ok));
    fields.insert(ReKey, id);
    m_connection->send(fields);
}

void Session::sendError(qint64 id, const Error &error)
{
    QJsonObject reply = error.extra;
    reply.insert(OpKey, QString(Op::Error));
    reply.insert(ReKey, id < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(id));
    reply.insert(QStringLiteral("code"), error.code);
    reply.insert(QStringLiteral("message"), error.message);
    m_connection->send(reply);
}

void Session::log(const QString &op, const QString &path, qint64 bytes, const QString &result)
{
    writeOpLog(OpLogLine{m_peer, m_user, op, path, bytes, result});
}

void Session::onFrame(const Frame &frame)
{
    const QString op = frame.op();
    // data/end frames belong to an open put; those of other ids are ignored (WIRE.md, Upload 4).
    if (op == Op::Data || op == Op::End) {
        if (!m_user.isEmpty())
            handleTransferFrame(op, frame);
        return;
    }
    // Before login the 30 s from connect run on; after it, any request keeps the session alive.
    if (!m_user.isEmpty())
        restartIdleTimer();
    const std::optional<qint64> id = jsonInteger(frame.header, IdKey);
    if (!id || *id <= 0) {
        sendError(-1, Error::make(ErrorCode::BadRequest,
                                  QStringLiteral("Request \"%1\" has no valid \"id\" (a positive integer).").arg(op)));
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
    const SessionAuth::Step step = m_auth->handle(request);
    if (step.error.isError()) {
        sendError(id, step.error);
        return;
    }
    if (step.user.isEmpty()) {
        QJsonObject challenge = step.challenge;
        challenge.insert(OpKey, QString(Op::Challenge));
        challenge.insert(ReKey, id);
        m_connection->send(challenge);
        return;
    }
    m_user = step.user;
    m_home = m_services.homeOf(m_user);
    m_connection->setPayloadsAllowed(true);
    if (!m_services.ledger->isKnown(m_user))
        m_services.ledger->setUsed(m_user, m_services.storage->usage(m_home));
    QJsonObject fields = quotaFields();
    fields.insert(DataKey, QString::fromUtf8(step.serverFinal));
    fields.insert(QStringLiteral("user"), m_user);
    sendOk(id, fields);
    restartIdleTimer();
}

std::optional<qint64> Session::quotaLimit()
{
    const std::optional<UserAccount> account = m_services.accounts->find(m_user);
    return account ? account->quotaBytes : std::optional<qint64>(0);
}

QJsonObject Session::quotaFields()
{
    const std::optional<qint64> limit = quotaLimit();
    return QJsonObject{{QStringLiteral("used"), m_services.ledger->used(m_user)},
                       {QStringLiteral("limit"), limit ? QJsonValue(*limit) : QJsonValue(QJsonValue::Null)}};
}

void Session::handleRequest(const QString &op, qint64 id, const Frame &frame)
{
    const QJsonObject &request = frame.header;
    if (op == Op::List)
        handleList(id, request);
    else if (op == Op::Stat)
        handleStat(id, request);
    else if (op == Op::Mkdir)
        handleMkdir(id, request);
    else if (op == Op::Rename)
        handleRename(id, request);
    else if (op == Op::Remove)
        handleRemove(id, request);
    else if (op == Op::Quota)
        handleQuota(id);
    else if (op == Op::Put)
        handlePut(id, request);
    else if (op == Op::Get)
        handleGet(id, request);
    else if (op == Op::Cancel)
        handleCancel(id, request);
    else
        sendError(id, Error::make(ErrorCode::Unsupported, QStringLiteral("Unknown operation \"%1\".").arg(op)));
}

void Session::handleList(qint64 id, const QJsonObject &request)
{
    const Result<VirtualPath> path = pathField(request, PathKey);
    Result<std::unique_ptr<DirectoryCursor>> cursor =
        path ? m_services.storage->openDirectory(m_home, *path) : Result<std::unique_ptr<DirectoryCursor>>(path.error());
    if (!cursor) {
        sendError(id, cursor.error());
        log(QString(Op::List), pathText(request), -1, cursor.error().code);
        return;
    }
    auto *listing = new ListingStream(id, std::move(*cursor), m_connection, this);
    m_listings.insert(id, listing);
    connect(listing, &ListingStream::finished, this, [this, id, listing, path = path->toString()] {
        m_listings.remove(id);
        log(QString(Op::List), path, listing->entriesSent(), QStringLiteral("ok"));
        listing->deleteLater();
    });
    listing->pump();
}

void Session::handleStat(qint64 id, const QJsonObject &request)
{
    const Result<VirtualPath> path = pathField(request, PathKey);
    const Result<EntryInfo> entry = path ? m_services.storage->stat(m_home, *path) : Result<EntryInfo>(path.error());
    if (!entry) {
        sendError(id, entry.error());
        log(QString(Op::Stat), pathText(request), -1, entry.error().code);
        return;
    }
    EntryInfo info = *entry;
    if (path->isRoot())
        info.name = QStringLiteral("/");
    sendOk(id, QJsonObject{{QStringLiteral("entry"), info.toJson()}});
    log(QString(Op::Stat), path->toString(), -1, QStringLiteral("ok"));
}

void Session::handleMkdir(qint64 id, const QJsonObject &request)
{
    const Result<VirtualPath> path = pathField(request, PathKey);
    const Result<bool> parents = boolField(request, QLatin1String("parents"), false);
    Status status = !path ? Status(path.error()) : !parents ? Status(parents.error())
                                                            : m_services.storage->makeDirectory(m_home, *path, *parents);
    if (status)
        sendOk(id);
    else
        sendError(id, status.error());
    log(QString(Op::Mkdir), pathText(request), -1, status ? QStringLiteral("ok") : status.error().code);
}

void Session::handleRename(qint64 id, const QJsonObject &request)
{
    const QLatin1String fromKey("from"), toKey("to");
    const Result<VirtualPath> from = pathField(request, fromKey);
    const Result<VirtualPath> to = pathField(request, toKey);
    const Result<bool> overwrite = boolField(request, QLatin1String("overwrite"), false);
    Error error = !from ? from.error() : !to ? to.error() : !overwrite ? overwrite.error() : Error();
    if (!error.isError()) {
        const Result<qint64> freed = m_services.storage->rename(m_home, *from, *to, *overwrite);
        if (freed) {
            m_services.ledger->adjustUsed(m_user, -*freed);
            sendOk(id);
        } else {
            error = freed.error();
        }
    }
    if (error.isError())
        sendError(id, error);
    log(QString(Op::Rename), pathText(request, fromKey) + QStringLiteral(" -> ") + pathText(request, toKey), -1,
        error.isError() ? error.code : QStringLiteral("ok"));
}

void Session::handleRemove(qint64 id, const QJsonObject &request)
{
    const Result<VirtualPath> path = pathField(request, PathKey);
    const Result<bool> recursive = boolField(request, QLatin1String("recursive"), false);
    Error error = !path ? path.error() : !recursive ? recursive.error() : Error();
    qint64 freedBytes = -1;
    if (!error.isError()) {
        const Result<qint64> freed = m_services.storage->remove(m_home, *path, *recursive);
        if (freed) {
            freedBytes = *freed;
            m_services.ledger->adjustUsed(m_user, -*freed);
            sendOk(id, quotaFields());
        } else {
            error = freed.error();
            // A recursive remove that failed half-way freed an unknown amount: count the home again.
            if (*recursive)
                m_services.ledger->setUsed(m_user, m_services.storage->usage(m_home));
        }
    }
    if (error.isError())
        sendError(id, error);
    log(QString(Op::Remove), pathText(request), freedBytes, error.isError() ? error.code : QStringLiteral("ok"));
}

void Session::handleQuota(qint64 id)
{
    sendOk(id, quotaFields());
    log(QString(Op::Quota), {}, -1, QStringLiteral("ok"));
}

} // namespace ferry
