#pragma once
// A session's uploads: put requests, their data and end frames, cancel, and the group commit that makes
// files which ended together durable with one sync. Owns every open Upload of the session; the session
// only routes frames here and does not know about part files.

#include "Result.h"
#include "Storage.h"

#include <QHash>
#include <QJsonObject>
#include <QObject>

#include <functional>
#include <memory>

namespace ferry {

class Upload;
struct Frame;
struct ServerServices;

class UploadService : public QObject {
    Q_OBJECT
public:
    // How the service answers and logs through its session.
    struct Replies {
        std::function<void(qint64 id, const QJsonObject &fields)> ok;
        std::function<void(qint64 id, const Error &error)> error;
        std::function<void(const QString &path, qint64 bytes, const QString &result)> log;
        std::function<QJsonObject()> quotaFields;
    };

    UploadService(ServerServices &services, Replies replies, QObject *parent = nullptr);
    ~UploadService() override;   // open uploads keep their part files and settle

    void start(const QString &user, std::shared_ptr<StorageHome> home) { m_user = user; m_home = std::move(home); }
    bool isOpen(qint64 id) const { return m_uploads.contains(id); }
    int openCount() const { return int(m_uploads.size()); }

    void put(qint64 id, const QJsonObject &request, std::optional<qint64> limit);
    // A data or end frame; frames of ids that are not an open put are ignored (PROTOCOL.md).
    void transferFrame(const QString &op, const Frame &frame);
    // False when `target` is not an upload that may still be cancelled.
    bool cancel(qint64 target, bool discard);
    // The connection dropped: every open upload ends, part files kept.
    void interruptAll();

private:
    void fail(qint64 id, const Error &error);
    void commitVerified();

    ServerServices &m_services;
    Replies m_replies;
    QString m_user;
    std::shared_ptr<StorageHome> m_home;
    QHash<qint64, Upload *> m_uploads;
    QList<qint64> m_verified;   // ended and verified, waiting for the next group commit
};

} // namespace ferry
