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
    m_uploads->put(id, request, quotaLimit());
}

void Session::handleGet(qint64 id, const QJsonObject &request)
{
    const Result<VirtualPath> path = pathField(request, Field::Path);
    const Result<qint64> offset = integerField(request, Field::Offset, 0);
    const QJsonValue prefix = request.value(Field::PrefixSha256);
    Error error = !path ? path.error() : !offset ? offset.error() : Error();
    if (!error.isError() && !prefix.isUndefined() && !prefix.isNull() && !isSha256Hex(prefix.toString()))
        error = badField(Field::PrefixSha256, QStringLiteral("must be 64 lowercase hex digits"));
    if (!error.isError()) {
        const Result<Download *> download = Download::begin(id, *path, *offset, prefix.toString().toLatin1(), *m_home,
                                                            m_connection, this);
        if (download) {
            Download *d = *download;
            m_downloads.insert(id, d);
            connect(d, &Download::finished, this, [this, id, d, path = path->toString()](const Status &status) {
                m_downloads.remove(id);
                log(QString(Op::Get), path, d->sent(), status ? QStringLiteral("ok") : status.error().code);
                d->deleteLater();
            });
            sendOk(id, QJsonObject{{Field::Size, d->size()}, {Field::Mtime, d->mtimeMs()}});
            d->pump();
            return;
        }
        error = download.error();
    }
    sendError(id, error);
    log(QString(Op::Get), request.value(Field::Path).toString(), -1, error.code);
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
        download->deleteLater();
    } else {
        // A running list is not cancellable either (PROTOCOL.md A.18).
        sendError(id, Error::make(ErrorCode::NotFound, QStringLiteral("No running request has id %1.").arg(*target)));
    }
}

} // namespace ferry
