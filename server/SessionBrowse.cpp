// Session's browsing requests: list (streamed, a few at a time), stat, mkdir, rename, remove, quota.

#include "Session.h"

#include "FrameConnection.h"
#include "ListingStream.h"
#include "OpLog.h"
#include "Protocol.h"
#include "QuotaLedger.h"
#include "RequestFields.h"
#include "ServerConfig.h"
#include "Storage.h"
#include "TargetLocks.h"

namespace ferry {

namespace {

// Listings streaming at once per session; each holds one open folder. Further lists wait their turn; past
// MaxQueuedListings the session stops reading requests until half of them have started.
constexpr int MaxOpenListings = 4;
constexpr int MaxQueuedListings = 256;

QString pathText(const QJsonObject &request, QLatin1String key = Field::Path)
{
    return request.value(key).toString();
}
} // namespace

const QHash<QString, Session::Handler> &Session::handlers()
{
    static const QHash<QString, Handler> table{
        {QString(Op::List), &Session::handleList},     {QString(Op::Stat), &Session::handleStat},
        {QString(Op::Mkdir), &Session::handleMkdir},   {QString(Op::Rename), &Session::handleRename},
        {QString(Op::Remove), &Session::handleRemove}, {QString(Op::Quota), &Session::handleQuota},
        {QString(Op::Put), &Session::handlePut},       {QString(Op::Get), &Session::handleGet},
        {QString(Op::Cancel), &Session::handleCancel},
    };
    return table;
}

void Session::handleRequest(const QString &op, qint64 id, const Frame &frame)
{
    const Handler handler = handlers().value(op);
    if (!handler) {
        sendError(id, Error::make(ErrorCode::Unsupported, QStringLiteral("Unknown operation \"%1\".").arg(op)));
        return;
    }
    if (!m_home) {
        sendError(id, Error::make(ErrorCode::IoError, QStringLiteral("Your home folder is not available.")));
        return;
    }
    (this->*handler)(id, frame.header);
}

void Session::handleList(qint64 id, const QJsonObject &request)
{
    const Result<VirtualPath> path = pathField(request, Field::Path);
    if (!path) {
        sendError(id, path.error());
        log(QString(Op::List), pathText(request), -1, path.error().code);
        return;
    }
    if (m_listings.size() >= MaxOpenListings) {
        m_queuedListings.append({id, *path});
        if (m_queuedListings.size() >= MaxQueuedListings)
            pauseReceiving(PauseReason::QueuedListings, true);
        return;
    }
    startListing(id, *path);
}

void Session::startListing(qint64 id, const VirtualPath &path)
{
    Result<std::unique_ptr<DirectoryCursor>> cursor = m_home->openDirectory(path);
    if (!cursor) {
        sendError(id, cursor.error());
        log(QString(Op::List), path.toString(), -1, cursor.error().code);
        return;
    }
    auto *listing = new ListingStream(id, std::move(*cursor), m_connection, this);
    m_listings.insert(id, listing);
    connect(listing, &ListingStream::finished, this, [this, id, listing, path = path.toString()](const Status &status) {
        log(QString(Op::List), path, listing->entriesSent(), status ? QStringLiteral("ok") : status.error().code);
        listingFinished(id);
    });
    listing->pump();
}

void Session::listingFinished(qint64 id)
{
    if (ListingStream *listing = m_listings.take(id)) {
        listing->disconnect(this);
        listing->stop();          // its folder closes now, before the next queued list opens one
        listing->deleteLater();
    }
    postStartQueuedListing();
}

// Queued lists start from the event loop, one per turn: a queue of folders, each finished as soon as it starts,
// would otherwise run here one inside the other, keeping the thread from every other session it serves.
void Session::postStartQueuedListing()
{
    if (m_queuedListings.isEmpty() || m_listings.size() >= MaxOpenListings || m_startQueuedListingPosted)
        return;
    m_startQueuedListingPosted = true;
    QMetaObject::invokeMethod(this, &Session::startQueuedListing, Qt::QueuedConnection);
}

void Session::startQueuedListing()
{
    m_startQueuedListingPosted = false;
    if (!m_queuedListings.isEmpty() && m_listings.size() < MaxOpenListings) {
        const auto [nextId, path] = m_queuedListings.takeFirst();
        startListing(nextId, path);
    }
    if (m_queuedListings.size() <= MaxQueuedListings / 2)
        pauseReceiving(PauseReason::QueuedListings, false);
    postStartQueuedListing();
}

Status Session::checkNoUploadUnder(const VirtualPath &path) const
{
    const QString key = m_home->lockKey(path);
    if (!key.isEmpty() && m_services.targetLocks->anyAtOrUnder(key))
        return Error::make(ErrorCode::Busy,
                           QStringLiteral("\"%1\" is being uploaded, or holds a file being uploaded; try again when "
                                          "the upload has ended.").arg(path.toString()));
    return Status::success();
}

void Session::handleStat(qint64 id, const QJsonObject &request)
{
    const Result<VirtualPath> path = pathField(request, Field::Path);
    const Result<EntryInfo> entry = path ? m_home->stat(*path) : Result<EntryInfo>(path.error());
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
        if (const auto file = m_home->openRead(*path)) {
            const QByteArray sha256 = (*file)->knownSha256();
            if (!sha256.isEmpty())
                json.insert(Field::Sha256, QString::fromLatin1(sha256));
        }
    }
    sendOk(id, QJsonObject{{Field::Entry, json}});
    log(QString(Op::Stat), path->toString(), -1, QStringLiteral("ok"));
}

void Session::handleMkdir(qint64 id, const QJsonObject &request)
{
    const Result<VirtualPath> path = pathField(request, Field::Path);
    const Result<bool> parents = boolField(request, Field::Parents, false);
    Status status = !path ? Status(path.error()) : !parents ? Status(parents.error())
                                                            : m_home->makeDirectory(*path, *parents);
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
    const Result<bool> overwrite = boolField(request, Field::Overwrite, false);
    Error error = !from ? from.error() : !to ? to.error() : !overwrite ? overwrite.error() : Error();
    if (!error.isError()) {
        if (const Status clear = checkNoUploadUnder(*from); !clear)
            error = clear.error();
        else if (const Status freeTarget = checkNoUploadUnder(*to); !freeTarget)
            error = freeTarget.error();
    }
    if (!error.isError()) {
        const Result<qint64> freed = m_home->rename(*from, *to, *overwrite);
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
    const Result<VirtualPath> path = pathField(request, Field::Path);
    const Result<bool> recursive = boolField(request, Field::Recursive, false);
    Error error = !path ? path.error() : !recursive ? recursive.error() : Error();
    if (!error.isError()) {
        if (const Status clear = checkNoUploadUnder(*path); !clear)
            error = clear.error();
    }
    qint64 freedBytes = -1;
    if (!error.isError()) {
        const Result<qint64> freed = m_home->remove(*path, *recursive);
        if (freed) {
            freedBytes = *freed;
            m_services.ledger->adjustUsed(m_user, -*freed);
            sendOk(id, quotaFields());
        } else {
            error = freed.error();
            // A recursive remove that failed half-way freed an unknown amount: count the home again.
            if (*recursive)
                m_services.ledger->setUsed(m_user, m_home->usage());
        }
    }
    if (error.isError())
        sendError(id, error);
    log(QString(Op::Remove), pathText(request), freedBytes, error.isError() ? error.code : QStringLiteral("ok"));
}

void Session::handleQuota(qint64 id, const QJsonObject &)
{
    sendOk(id, quotaFields());
    log(QString(Op::Quota), {}, -1, QStringLiteral("ok"));
}

} // namespace ferry
