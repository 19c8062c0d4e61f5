#pragma once
// One client connection on a worker thread: hello, login (SessionAuth), then requests dispatched by op.
// Browsing ops answer at once; list, put and get run as streams (ListingStream, Upload, Download).

#include "Frame.h"
#include "Result.h"
#include "VirtualPath.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QTimer>

#include <memory>


namespace ferry {

class DiskQueue;
class Download;
class FrameConnection;
class ListingStream;
class SessionAuth;
class StorageHome;
class TlsSocket;
class UploadService;
struct ServerServices;
struct OpLogLine;

class Session : public QObject {
    Q_OBJECT
public:
    Session(TlsSocket *socket, ServerServices &services, QObject *parent = nullptr);
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
    bool isOpenRequest(qint64 id) const;
    void startUserSession(const QString &user);

    // Request handlers (SessionBrowse.cpp, SessionTransfers.cpp), looked up by op in a table.
    using Handler = void (Session::*)(qint64 id, const QJsonObject &request);
    static const QHash<QString, Handler> &handlers();
    void handleList(qint64 id, const QJsonObject &request);
    void startListing(qint64 id, const VirtualPath &path);
    void listingFinished(qint64 id);
    void postStartQueuedListing();
    void startQueuedListing();
    // Requests stop being read while any reason holds: the disk backlog of uploads, too many queued lists.
    enum class PauseReason { DiskBacklog = 1, QueuedListings = 2 };
    void pauseReceiving(PauseReason reason, bool paused);
    void handleStat(qint64 id, const QJsonObject &request);
    void handleMkdir(qint64 id, const QJsonObject &request);
    void handleRename(qint64 id, const QJsonObject &request);
    void handleRemove(qint64 id, const QJsonObject &request);
    void handleQuota(qint64 id, const QJsonObject &request);
    void handlePut(qint64 id, const QJsonObject &request);
    void handleGet(qint64 id, const QJsonObject &request);
    void handleCancel(qint64 id, const QJsonObject &request);
    // busy when `path` is, or holds, the target of an open upload (of any session).
    Status checkNoUploadUnder(const VirtualPath &path) const;

    void sendOk(qint64 id, QJsonObject fields = {});
    void sendError(qint64 id, const Error &error);   // id < 0: "re": null
    void log(const QString &op, const QString &path, qint64 bytes, const QString &result);
    void restartIdleTimer();
    QJsonObject quotaFields();
    std::optional<qint64> quotaLimit();
    // The same, looked up at most once per read from the socket (see quotaLimitForRequest()).
    std::optional<qint64> quotaLimitForRequest();

    ServerServices &m_services;
    FrameConnection *m_connection;
    QString m_peer;
    QString m_user;     // empty until authenticated
    std::shared_ptr<StorageHome> m_home;   // null until authenticated
    std::unique_ptr<SessionAuth> m_auth;
    QTimer m_idleTimer;
    QHash<qint64, ListingStream *> m_listings;
    QList<std::pair<qint64, VirtualPath>> m_queuedListings;   // beyond MaxOpenListings, started in order
    bool m_startQueuedListingPosted = false;
    struct LimitLookup {
        quint64 socketReads = 0;   // FrameConnection::socketReads() when it was looked up
        std::optional<qint64> limit;
    };
    std::optional<LimitLookup> m_lastLimit;
    int m_pauseReasons = 0;   // PauseReason bits
    UploadService *m_uploads;
    QHash<qint64, Download *> m_downloads;   // from the get on, also while its prefix is being hashed
    std::shared_ptr<DiskQueue> m_smallReads; // the reads of downloads that one read takes, in order
    bool m_closing = false;
};

} // namespace ferry
