// Session's transfer requests: put (handed to the UploadService), get and cancel.

#include "Session.h"

#include "Download.h"
#include "FrameConnection.h"
#include "ListingStream.h"
#include "OpLog.h"
#include "Protocol.h"
#include "RequestFields.h"
#include "ServerConfig.h"
#include "Storage.h"
#include "UploadService.h"

namespace ferry {

void Session::handlePut(qint64 id, const QJsonObject &request)
{
    m_uploads->put(id, request, quotaLimitForRequest());
}

void Session::handleGet(qint64 id, const QJsonObject &request)
{
    const Result<VirtualPath> path = pathField(request, Field::Path);
    const Result<qint64> offset = integerField(request, Field::Offset, 0);
    const QJsonValue prefixField = request.value(Field::PrefixSha256);
    Error error = !path ? path.error() : !offset ? offset.error() : Error();
    if (!error.isError() && !prefixField.isUndefined() && !prefixField.isNull() && !isSha256Hex(prefixField.toString()))
        error = badField(Field::PrefixSha256, QStringLiteral("must be 64 lowercase hex digits"));
    Result<Download *> download =
        error.isError() ? Result<Download *>(error)
                        : Download::open(id, *path, *offset, *m_home, m_connection, m_services.diskPool.get(),
                                                         m_smallReads, this);
    if (!download) {
        sendError(id, download.error());
        log(QString(Op::Get), request.value(Field::Path).toString(), -1, download.error().code);
        return;
    }
    Download *d = *download;
    m_downloads.insert(id, d);   // the id is in use from now on, also while the prefix is checked
    connect(d, &Download::accepted, this,
            [this, d] { sendOk(d->id(), QJsonObject{{Field::Size, d->size()}, {Field::Mtime, d->mtimeMs()}}); });
    connect(d, &Download::finished, this, [this, id, d, path = path->toString()](const Status &status) {
        m_downloads.remove(id);
        log(QString(Op::Get), path, d->sent(), status ? QStringLiteral("ok") : status.error().code);
        d->deleteLater();
    });
    d->start(prefixField.toString().toLatin1());
}

void Session::handleCancel(qint64 id, const QJsonObject &request)
{
    const Result<qint64> target = integerField(request, Field::Target, std::nullopt);
    if (!target) {
        sendError(id, target.error());
        return;
    }
    const Result<bool> discard = boolField(request, Field::Discard, false);
    if (!discard) {
        sendError(id, discard.error());
        return;
    }
    const Error cancelled = Error::make(ErrorCode::Cancelled, QStringLiteral("Cancelled by the client."));
    // The ok after the put's `cancelled` (they may come in either order, PROTOCOL.md §15), once the part
    // file is deleted (discard) or its queued writes are done.
    if (m_uploads->cancel(*target, *discard, [this, id] { sendOk(id); }))
        return;
    if (Download *download = m_downloads.take(*target)) {
        sendOk(id);
        sendError(*target, cancelled);
        log(QString(Op::Get), {}, download->sent(), cancelled.code);
        download->abandon();
        download->deleteLater();
    } else {
        // A running list is not cancellable either (PROTOCOL.md A.18).
        sendError(id, Error::make(ErrorCode::NotFound, QStringLiteral("No running request has id %1.").arg(*target)));
    }
}

} // namespace ferry
