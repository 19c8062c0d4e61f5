#pragma once
// One client connection on a worker thread: hello, SCRAM login, then requests dispatched by op.
// Browsing ops answer at once; list, put and get run as streams (ListingStream, Upload, Download).

#include "Frame.h"
#include "Result.h"
#include "VirtualPath.h"

#include <QHash>
#include <QObject>
#include <QTimer>

#include <memory>

class QSslSocket;

namespace ferry {

class Download;
class FrameConnection;
class ListingStream;
class SessionAuth;
class Upload;
struct ServerServices;
struct OpLogLine;

class Session : public QObject {
    Q_OBJECT
public:
    Session(QSslSocket *socket, ServerServices &services, QObject *parent = nullptr);
    ~Session() override;

    QString user() const { return m_user; }
    QString peer() const { return m_peer; }

signals:
    // The connection is gone; the session deletes itself afterwards.
    void finished();

private:
    void onFrame(const Frame &frame);
    void onClosed();
    void onWritable();
    void handleAuth(qint64 id, const QJsonObject &request);
    void sendHello();
    void handleRequest(const QString &op, qint64 id, const Frame &frame);
    void handleList(qint64 id, const QJsonObject &request);
    void handleStat(qint64 id, const QJsonObject &request);
    void handleMkdir(qint64 id, const QJsonObject &request);
    void handleRename(qint64 id, const QJsonObject &request);
    void handleRemove(qint64 id, const QJsonObject &request);
    void handleQuota(qint64 id);
    void handlePut(qint64 id, const QJsonObject &request);
    void handleGet(qint64 id, const QJsonObject &request);
    void handleCancel(qint64 id, const QJsonObject &request);
    void handleTransferFrame(const QString &op, const Frame &frame);
    void failUpload(qint64 id, const Error &error);
    void commitVerifiedUploads();

    void sendOk(qint64 id, QJsonObject fields = {});
    void sendError(qint64 id, const Error &error);   // id < 0: "re": null
    void log(const QString &op, const QString &path, qint64 bytes, const QString &result);
    void restartIdleTimer();
    QJsonObject quotaFields();
    std::optional<qint64> quotaLimit();

    ServerServices &m_services;
    FrameConnection *m_connection;
    QString m_peer;
    QString m_user;     // empty until authenticated
    QString m_home;     // real path of the user's home
    std::unique_ptr<SessionAuth> m_auth;
    QTimer m_idleTimer;
    QHash<qint64, ListingStream *> m_listings;
    QHash<qint64, Upload *> m_uploads;
    QHash<qint64, Download *> m_downloads;
    QList<qint64> m_verifiedUploads;   // ended and verified, waiting for the next group commit
    bool m_closing = false;
};

} // namespace ferry
