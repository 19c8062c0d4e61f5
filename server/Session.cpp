#include "Session.h"

#include "AccountStore.h"
#include "AuthThrottle.h"
#include "Download.h"
#include "FrameConnection.h"
#include "ListingStream.h"
#include "OpLog.h"
#include "Protocol.h"
#include "QuotaLedger.h"
#include "RequestFields.h"
#include "Scram.h"
#include "ServerConfig.h"
#include "Storage.h"
#include "Upload.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QTcpSocket>

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

Session::Session(QTcpSocket *socket, ServerServices &services, QObject *parent)
    : QObject(parent), m_services(services), m_connection(new FrameConnection(socket, this))
{
    m_peer = m_connection->peerAddress();
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
        m_connection->close();
    });
    restartIdleTimer();

    const ServerConfig &config = services.config;
    m_connection->send(QJsonObject{
        {OpKey, QString(Op::Hello)},
        {QStringLiteral("proto"), Limits::ProtocolVersion},
        {QStringLiteral("server"), QStringLiteral("ferryd/" FERRY_VERSION)},
        {QStringLiteral("name"), config.name},
        {QStringLiteral("auth"), QJsonArray{QStringLiteral("SCRAM-SHA-256")}},
        {QStringLiteral("tls"), false},
        {QStringLiteral("max_header"), Limits::MaxHeaderBytes},
        {QStringLiteral("max_payload"), Limits::MaxPayloadBytes},
    });
    if (socket->state() != QAbstractSocket::ConnectedState)
        QMetaObject::invokeMethod(this, &Session::onClosed, Qt::QueuedConnection);
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
    const QJsonValue data = request.value(DataKey);
    if (!data.isString()) {
        sendError(id, badField(DataKey, QStringLiteral("must be a SCRAM message string")));
        return;
    }
    const int wait = m_services.throttle->retryAfterSeconds(m_peer);
    if (wait > 0) {
        m_scram.reset();
        sendError(id, Error::make(ErrorCode::Throttled,
                                  QStringLiteral("Too many failed logins from this address; try again in %1 s.").arg(wait),
                                  QJsonObject{{QStringLiteral("retry_after"), wait}}));
        log(QString(Op::Auth), {}, -1, QString(ErrorCode::Throttled));
        return;
    }

    const QByteArray message = data.toString().toUtf8();
    const QJsonValue mech = request.value(QStringLiteral("mech"));
    if (!mech.isUndefined()) {
        // Step 1: client-first; "mech" starts a new exchange (and only the first message carries it).
        m_scram.reset();
        if (mech.toString() != QLatin1String("SCRAM-SHA-256")) {
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
        m_connection->send(QJsonObject{{OpKey, QString(Op::Challenge)},
                                       {ReKey, id},
                                       {DataKey, QString::fromUtf8(scram->serverFirstMessage(credentials))}});
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
    m_user = user;
    m_home = m_services.homeOf(user);
    if (!m_services.ledger->isKnown(user))
        m_services.ledger->setUsed(user, m_services.storage->usage(m_home));
    QJsonObject fields = quotaFields();
    fields.insert(DataKey, QString::fromUtf8(*serverFinal));
    fields.insert(QStringLiteral("user"), user);
    sendOk(id, fields);
    log(QString(Op::Auth), {}, -1, QStringLiteral("ok"));
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
    QJsonObject json = info.toJson();
    if (!info.isDir) {
        // Only a hash the server already holds (stored at upload, still valid): stat stays cheap.
        if (const Result<QString> real = m_services.storage->resolve(m_home, *path)) {
            const QByteArray sha256 = knownSha256(*real, info.size, info.mtimeMs);
            if (!sha256.isEmpty())
                json.insert(QStringLiteral("sha256"), QString::fromLatin1(sha256));
        }
    }
    sendOk(id, QJsonObject{{QStringLiteral("entry"), json}});
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
