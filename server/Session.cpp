#include "Session.h"

#include "AccountStore.h"
#include "DiskQueue.h"
#include "Download.h"
#include "FrameConnection.h"
#include "ListingStream.h"
#include "OpLog.h"
#include "PartFileSweeper.h"
#include "Protocol.h"
#include "Reply.h"
#include "QuotaLedger.h"
#include "RequestFields.h"
#include "SessionAuth.h"
#include "ServerConfig.h"
#include "Storage.h"
#include "UploadService.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace ferry {

Session::Session(TlsSocket *socket, ServerServices &services, QObject *parent)
    : QObject(parent), m_services(services), m_connection(new FrameConnection(socket, this)),
      m_smallReads(std::make_shared<DiskQueue>(services.diskPool.get(), this))
{
    m_uploads = new UploadService(services,
                                  UploadService::Replies{
                                      [this](qint64 id, const QJsonObject &fields) { sendOk(id, fields); },
                                      [this](qint64 id, const Error &error) { sendError(id, error); },
                                      [this](const QString &path, qint64 bytes, const QString &result) {
                                          log(QString(Op::Put), path, bytes, result);
                                      },
                                      [this] { return quotaFields(); },
                                      [this](bool paused) { pauseReceiving(PauseReason::DiskBacklog, paused); }},
                                  this);
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
        // An open transfer is no exemption (PROTOCOL.md): data frames received and download bytes the
        // client reads restart the timer; a stalled one ends the session, releasing locks and quota.
        log(QStringLiteral("timeout"), {}, -1, QStringLiteral("closed"));
        // abort, not close: close() would wait for queued output that a stalled or unauthenticated
        // client never reads (unsent output keeps no session alive).
        if (m_connection->socket())
            m_connection->socket()->abort();
        else
            m_connection->close();
    });
    restartIdleTimer();
    sendHello();
    if (!socket->isEncrypted())
        QMetaObject::invokeMethod(this, &Session::onClosed, Qt::QueuedConnection);
}

void Session::sendHello()
{
    const ServerIdentity identity = m_services.tls.identity();
    m_connection->send(QJsonObject{
        {Field::Op, QString(Op::Hello)},
        {Field::Proto, Limits::ProtocolVersion},
        {Field::Server, QStringLiteral("ferryd/" FERRY_VERSION)},
        {Field::Name, m_services.live.name()},
        {Field::Auth, QJsonArray{QString(ScramMechanism)}},
        {Field::Tls, true},
        {Field::Identity, identity.code()},
        {Field::Fingerprint, identity.fingerprint()},
        {Field::MaxHeader, Limits::MaxHeaderBytes},
        {Field::MaxPayload, Limits::MaxPayloadBytes},
    });
}

// UploadService: unfinished uploads keep their part files and settle. Downloads (children) skip the reads
// still queued on the disk pool, theirs and the shared ones for small files.
Session::~Session()
{
    m_smallReads->detach();   // before the downloads (children) go: no report reaches them after this
    if (m_pauseReasons != 0)
        m_services.sessionsNotReading.fetch_sub(1, std::memory_order_relaxed);
}

void Session::pauseReceiving(PauseReason reason, bool paused)
{
    const bool wasPaused = m_pauseReasons != 0;
    m_pauseReasons = paused ? m_pauseReasons | int(reason) : m_pauseReasons & ~int(reason);
    const bool isPaused = m_pauseReasons != 0;
    if (isPaused != wasPaused)
        m_services.sessionsNotReading.fetch_add(isPaused ? 1 : -1, std::memory_order_relaxed);
    m_connection->setReceivePaused(isPaused);
}

void Session::restartIdleTimer()
{
    m_idleTimer.start(m_user.isEmpty() ? m_services.config.unauthenticatedTimeoutMs
                                       : m_services.live.idleTimeoutMs());
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
    const SessionAuth::Step step = m_auth->handle(request);
    if (step.error.isError()) {
        sendError(id, step.error);
        return;
    }
    if (step.user.isEmpty()) {
        QJsonObject challenge = step.challenge;
        challenge.insert(Field::Op, QString(Op::Challenge));
        challenge.insert(Field::Re, id);
        m_connection->send(challenge);
        return;
    }
    startUserSession(step.user);
    m_connection->setPayloadsAllowed(true);
    QJsonObject fields = quotaFields();
    fields.insert(Field::Data, QString::fromUtf8(step.serverFinal));
    fields.insert(Field::User, m_user);
    sendOk(id, fields);
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

std::optional<qint64> Session::quotaLimitForRequest()
{
    // Every request handled since a look at the accounts was received before it (read from the socket before
    // the look), so an administrator's change made before a request was sent still applies to that request.
    // A burst of small puts looked at users.json once per file: 9 % of the session thread's time.
    const quint64 reads = m_connection->socketReads();
    if (!m_lastLimit || m_lastLimit->socketReads != reads)
        m_lastLimit = LimitLookup{reads, quotaLimit()};
    return m_lastLimit->limit;
}

QJsonObject Session::quotaFields()
{
    const std::optional<qint64> limit = quotaLimit();
    return QJsonObject{{Field::Used, m_services.ledger->used(m_user)},
                       {Field::Limit, limit ? QJsonValue(*limit) : QJsonValue(QJsonValue::Null)}};
}

} // namespace ferry
