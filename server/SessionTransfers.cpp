// Session's transfer requests: put (with its data and end frames), get and cancel.

#include "Session.h"

#include "Download.h"
#include "FrameConnection.h"
#include "ListingStream.h"
#include "OpLog.h"
#include "Protocol.h"
#include "RequestFields.h"
#include "ServerConfig.h"
#include "Upload.h"

#include <QDir>
#include <QSet>

#include <fcntl.h>
#include <unistd.h>

namespace ferry {

namespace {
const QLatin1String PathKey{"path"};

bool isSha256Hex(const QString &text)
{
    if (text.size() != 64)
        return false;
    for (const QChar c : text) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    }
    return true;
}

// Makes renames in a folder durable: one fsync per folder for a whole group of uploads.
void syncDirectory(const QString &path)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        ::fsync(fd);
        ::close(fd);
    }
}
} // namespace

void Session::handlePut(qint64 id, const QJsonObject &request)
{
    const QString path = request.value(PathKey).toString();
    if (m_uploads.contains(id) || m_downloads.contains(id) || m_verifiedUploads.contains(id)) {
        // Not "re": id — that would be taken for a reply to the request still running under it.
        sendError(-1, Error::make(ErrorCode::BadRequest, QStringLiteral("Request id %1 is still in use.").arg(id)));
        return;
    }
    Upload::Request put;
    put.id = id;
    Error error;
    const Result<VirtualPath> target = pathField(request, PathKey);
    const Result<qint64> size = integerField(request, QLatin1String("size"), std::nullopt);
    const QString mode = request.value(QStringLiteral("mode")).toString();
    if (!target)
        error = target.error();
    else if (!size)
        error = size.error();
    else if (mode == QLatin1String("new"))
        put.mode = Upload::Mode::New;
    else if (mode == QLatin1String("overwrite"))
        put.mode = Upload::Mode::Overwrite;
    else if (mode == QLatin1String("resume"))
        put.mode = Upload::Mode::Resume;
    else
        error = badField(QLatin1String("mode"), QStringLiteral("must be \"new\", \"overwrite\" or \"resume\""));
    if (!error.isError() && request.contains(QStringLiteral("mtime"))) {
        const Result<qint64> mtime = integerField(request, QLatin1String("mtime"), std::nullopt);
        if (mtime)
            put.mtimeMs = *mtime;
        else
            error = mtime.error();
    }
    if (!error.isError()) {
        put.path = *target;
        put.size = *size;
        Result<std::unique_ptr<Upload>> upload = Upload::begin(put, m_user, m_home, quotaLimit(), m_services);
        if (upload) {
            const qint64 offset = (*upload)->offset();
            m_uploads.insert(id, upload->release());
            sendOk(id, QJsonObject{{QStringLiteral("offset"), offset}});
            return;
        }
        error = upload.error();
    }
    sendError(id, error);
    log(QString(Op::Put), path, -1, error.code);
}

void Session::failUpload(qint64 id, const Error &error)
{
    Upload *upload = m_uploads.take(id);
    sendError(id, error);
    log(QString(Op::Put), upload->request().path.toString(), upload->received(), error.code);
    delete upload;
}

void Session::handleTransferFrame(const QString &op, const Frame &frame)
{
    const std::optional<qint64> id = jsonInteger(frame.header, QLatin1String("id"));
    Upload *upload = id ? m_uploads.value(*id) : nullptr;
    if (!upload)
        return;
    restartIdleTimer();
    if (op == Op::Data) {
        const Status appended = upload->append(frame.payload);
        if (!appended)
            failUpload(*id, appended.error());
        return;
    }
    const QString sha256 = frame.header.value(QStringLiteral("sha256")).toString();
    if (!isSha256Hex(sha256)) {
        failUpload(*id, badField(QLatin1String("sha256"), QStringLiteral("must be 64 lowercase hex digits")));
        return;
    }
    const Status verified = upload->verify(sha256.toLatin1());
    if (!verified) {
        failUpload(*id, verified.error());
        return;
    }
    // Commit after every frame already received is handled: files that ended together share one sync.
    if (m_verifiedUploads.isEmpty())
        QMetaObject::invokeMethod(this, &Session::commitVerifiedUploads, Qt::QueuedConnection);
    m_verifiedUploads.append(*id);
}

void Session::commitVerifiedUploads()
{
    const QList<qint64> ids = std::exchange(m_verifiedUploads, {});
    QList<Upload *> batch;
    for (const qint64 id : ids) {
        if (Upload *upload = m_uploads.value(id))
            batch.append(upload);
    }
    const bool synced = Upload::syncBatch(batch);
    QList<std::pair<qint64, Result<QJsonObject>>> results;
    QSet<QString> folders;
    for (const qint64 id : ids) {
        Upload *upload = m_uploads.value(id);
        if (!upload)
            continue;
        results.append({id, upload->commit(synced)});
        folders.insert(upload->targetDirectory());
    }
    for (const QString &folder : std::as_const(folders))
        syncDirectory(folder);
    for (const auto &[id, result] : std::as_const(results)) {
        Upload *upload = m_uploads.take(id);
        if (result) {
            QJsonObject fields = *result;
            const QJsonObject quota = quotaFields();
            for (auto it = quota.constBegin(); it != quota.constEnd(); ++it)
                fields.insert(it.key(), it.value());
            sendOk(id, fields);
        } else {
            sendError(id, result.error());
        }
        log(QString(Op::Put), upload->request().path.toString(), upload->received(),
            result ? QStringLiteral("ok") : result.error().code);
        delete upload;
    }
}

void Session::handleGet(qint64 id, const QJsonObject &request)
{
    if (m_uploads.contains(id) || m_downloads.contains(id)) {
        // Not "re": id — that would be taken for a reply to the request still running under it.
        sendError(-1, Error::make(ErrorCode::BadRequest, QStringLiteral("Request id %1 is still in use.").arg(id)));
        return;
    }
    const Result<VirtualPath> path = pathField(request, PathKey);
    const Result<qint64> offset = integerField(request, QLatin1String("offset"), 0);
    const QJsonValue prefix = request.value(QStringLiteral("prefix_sha256"));
    Error error = !path ? path.error() : !offset ? offset.error() : Error();
    if (!error.isError() && !prefix.isUndefined() && !prefix.isNull() && !isSha256Hex(prefix.toString()))
        error = badField(QLatin1String("prefix_sha256"), QStringLiteral("must be 64 lowercase hex digits"));
    if (!error.isError()) {
        const Result<Download *> download = Download::begin(id, *path, *offset, prefix.toString().toLatin1(), m_home,
                                                            m_services, m_connection, this);
        if (download) {
            Download *d = *download;
            m_downloads.insert(id, d);
            connect(d, &Download::finished, this, [this, id, d, path = path->toString()](const Status &status) {
                m_downloads.remove(id);
                log(QString(Op::Get), path, d->sent(), status ? QStringLiteral("ok") : status.error().code);
                d->deleteLater();
            });
            sendOk(id, QJsonObject{{QStringLiteral("size"), d->size()}, {QStringLiteral("mtime"), d->mtimeMs()}});
            d->pump();
            return;
        }
        error = download.error();
    }
    sendError(id, error);
    log(QString(Op::Get), request.value(PathKey).toString(), -1, error.code);
}

void Session::handleCancel(qint64 id, const QJsonObject &request)
{
    const Result<qint64> target = integerField(request, QLatin1String("target"), std::nullopt);
    if (!target) {
        sendError(id, target.error());
        return;
    }
    const Error cancelled = Error::make(ErrorCode::Cancelled, QStringLiteral("Cancelled by the client."));
    if (Upload *upload = m_uploads.value(*target); upload && !m_verifiedUploads.contains(*target)) {
        sendOk(id);
        failUpload(*target, cancelled);   // keeps the part file for a later resume
    } else if (Download *download = m_downloads.take(*target)) {
        sendOk(id);
        sendError(*target, cancelled);
        log(QString(Op::Get), {}, download->sent(), cancelled.code);
        download->deleteLater();
    } else if (ListingStream *listing = m_listings.take(*target)) {
        sendOk(id);
        sendError(*target, cancelled);
        listing->deleteLater();
    } else {
        sendError(id, Error::make(ErrorCode::NotFound, QStringLiteral("No running request has id %1.").arg(*target)));
    }
}

} // namespace ferry
