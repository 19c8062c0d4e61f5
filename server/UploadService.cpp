#include "UploadService.h"

#include "Frame.h"
#include "Protocol.h"
#include "RequestFields.h"
#include "Upload.h"

#include <QSet>

namespace ferry {

namespace {
Result<Upload::Request> parsePut(qint64 id, const QJsonObject &request)
{
    Upload::Request put;
    put.id = id;
    const Result<VirtualPath> target = pathField(request, Field::Path);
    if (!target)
        return target.error();
    const Result<qint64> size = integerField(request, Field::Size, std::nullopt);
    if (!size)
        return size.error();
    const std::optional<PutMode> mode = parsePutMode(request.value(Field::Mode).toString());
    if (!mode)
        return badField(Field::Mode, QStringLiteral("must be \"new\", \"overwrite\" or \"resume\""));
    put.mode = *mode;
    if (request.contains(Field::Mtime)) {
        const Result<qint64> mtime = integerField(request, Field::Mtime, std::nullopt);
        if (!mtime)
            return mtime.error();
        put.mtimeMs = *mtime;
    }
    put.path = *target;
    put.size = *size;
    return put;
}
} // namespace

UploadService::UploadService(ServerServices &services, Replies replies, QObject *parent)
    : QObject(parent), m_services(services), m_replies(std::move(replies))
{
}

UploadService::~UploadService()
{
    qDeleteAll(m_uploads);
}

void UploadService::put(qint64 id, const QJsonObject &request, std::optional<qint64> limit)
{
    Result<Upload::Request> put = parsePut(id, request);
    Error error = put ? Error() : put.error();
    if (put) {
        Result<std::unique_ptr<Upload>> upload = Upload::begin(*put, m_user, m_home, limit, m_services);
        if (upload) {
            const qint64 offset = (*upload)->offset();
            m_uploads.insert(id, upload->release());
            m_replies.ok(id, QJsonObject{{Field::Offset, offset}});
            return;
        }
        error = upload.error();
    }
    m_replies.error(id, error);
    m_replies.log(request.value(Field::Path).toString(), -1, error.code);
}

void UploadService::fail(qint64 id, const Error &error)
{
    Upload *upload = m_uploads.take(id);
    m_replies.error(id, error);
    m_replies.log(upload->request().path.toString(), upload->received(), error.code);
    delete upload;
}

void UploadService::transferFrame(const QString &op, const Frame &frame)
{
    const std::optional<qint64> id = jsonInteger(frame.header, Field::Id);
    Upload *upload = id ? m_uploads.value(*id) : nullptr;
    if (!upload || upload->verified())
        return;
    if (op == Op::Data) {
        if (const Status appended = upload->append(frame.payload); !appended)
            fail(*id, appended.error());
        return;
    }
    const QString sha256 = frame.header.value(Field::Sha256).toString();
    if (!isSha256Hex(sha256)) {
        // Ends the put and keeps its part file (PROTOCOL.md A.12).
        fail(*id, badField(Field::Sha256, QStringLiteral("must be 64 lowercase hex digits")));
        return;
    }
    if (const Status verified = upload->verify(sha256.toLatin1()); !verified) {
        fail(*id, verified.error());
        return;
    }
    // Commit after every frame already received is handled: files that ended together share one sync.
    if (m_verified.isEmpty())
        QMetaObject::invokeMethod(this, &UploadService::commitVerified, Qt::QueuedConnection);
    m_verified.append(*id);
}

bool UploadService::cancel(qint64 target, bool discard)
{
    Upload *upload = m_uploads.value(target);
    if (!upload || upload->verified())
        return false;
    if (discard)
        upload->discard();   // deletes the part file and frees its quota
    fail(target, Error::make(ErrorCode::Cancelled, QStringLiteral("Cancelled by the client.")));
    return true;
}

void UploadService::interruptAll()
{
    for (Upload *upload : std::as_const(m_uploads))
        m_replies.log(upload->request().path.toString(), upload->received(), QStringLiteral("interrupted"));
    qDeleteAll(m_uploads);
    m_uploads.clear();
    m_verified.clear();
}

void UploadService::commitVerified()
{
    const QList<qint64> ids = std::exchange(m_verified, {});
    QList<Upload *> batch;
    for (const qint64 id : ids) {
        if (Upload *upload = m_uploads.value(id))
            batch.append(upload);
    }
    const bool synced = Upload::syncBatch(batch);
    // Renames become durable with one folder sync each: done after the folder's last commit.
    QHash<QString, int> lastInFolder;
    for (int i = 0; i < batch.size(); ++i)
        lastInFolder.insert(batch[i]->partFile()->folderId(), i);
    QList<std::pair<qint64, Result<QJsonObject>>> results;
    for (int i = 0; i < batch.size(); ++i) {
        const bool syncFolder = lastInFolder.value(batch[i]->partFile()->folderId()) == i;
        results.append({batch[i]->request().id, batch[i]->commit(synced, syncFolder)});
    }
    for (const auto &[id, result] : std::as_const(results)) {
        Upload *upload = m_uploads.take(id);
        if (result) {
            QJsonObject fields = *result;
            const QJsonObject quota = m_replies.quotaFields();
            for (auto it = quota.constBegin(); it != quota.constEnd(); ++it)
                fields.insert(it.key(), it.value());
            m_replies.ok(id, fields);
        } else {
            m_replies.error(id, result.error());
        }
        m_replies.log(upload->request().path.toString(), upload->received(), result ? QStringLiteral("ok") : result.error().code);
        delete upload;
    }
}

} // namespace ferry
