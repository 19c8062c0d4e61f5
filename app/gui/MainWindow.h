#pragma once
// Ferry's main window: this computer on the left, the server on the right, transfers below, a message bar
// for what went wrong, and a status bar with the connection, the quota and the transfer totals.
// It wires the engine (ClientSession, TransferQueue) to the panes; it holds no protocol code.

#include "ConnectionParams.h"
#include "KnownServers.h"

#include <QHash>
#include <QMainWindow>
#include <QSet>
#include <QTimer>

#include <memory>

class QLabel;
class QSplitter;
class QTabWidget;

namespace ferry {
class ClientSession;
class TransferQueue;
struct QuotaInfo;
}

namespace ferry::gui {

class ActivityLog;
class ClientContext;
class ConflictPrompter;
class ConnectionController;
class DialogProvider;
class DragOutDownloader;
class ElidingLabel;
class LocalPane;
class MessageBar;
class PasswordStore;
class QuotaGauge;
class RemoteFileOpener;
class RemotePane;
class SiteStore;
class TransfersPanel;
class TransferStatus;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // client: the session, connection and queue the window shows (not owned; the application owns it).
    // dialogs: nullptr for the real dialogs; tests pass ScriptedDialogs (tests/support/gui).
    explicit MainWindow(ClientContext *client, DialogProvider *dialogs = nullptr, QWidget *parent = nullptr);
    // A window with a client of its own whose queue is kept in queueStateFile (tests).
    explicit MainWindow(DialogProvider *dialogs = nullptr, const QString &queueStateFile = {},
                        QWidget *parent = nullptr);
    ~MainWindow() override;

    void connectTo(const ConnectionParams &params);
    void showConnectDialog();
    void showConnectDialogFor(ConnectionParams suggestion);
    void disconnectFromServer();

    // Queue transfers between the panes' folders (what the actions and drops do). An upload that may not fit
    // the quota returns 0 and is queued once the server confirmed the usage and the user agreed.
    qint64 upload(const QStringList &localPaths, const QString &remoteDir);
    qint64 download(const QStringList &remotePaths, const QString &localDir);

    LocalPane *localPane() const { return m_localPane; }
    RemotePane *remotePane() const { return m_remotePane; }
    TransfersPanel *transfersPanel() const { return m_transfersPanel; }
    ActivityLog *log() const { return m_log; }
    MessageBar *messageBar() const { return m_messageBar; }
    QuotaGauge *quotaGauge() const { return m_quotaGauge; }
    TransferStatus *transferStatus() const { return m_transferStatus; }
    ElidingLabel *connectionLabel() const { return m_connectionLabel; }
    ClientContext *client() const { return m_client; }
    ClientSession *session() const { return m_session; }
    TransferQueue *queue() const { return m_queue; }
    ConnectionController *connection() const { return m_connection; }
    DragOutDownloader *dragOut() const { return m_dragOut; }
    RemoteFileOpener *opener() const { return m_opener; }

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildPanes();
    void buildMenusAndToolBar();
    void buildStatusBar();
    void wireEngine();
    // Right after the TLS handshake: the remembered identity passes, a new one is asked about, a changed one
    // is shown and refused.
    Status verifyIdentity(const IdentityCheck &check);
    void onOnline(bool reconnected);
    void onPhaseChanged();
    void onJobFinished(qint64 jobId, int failedItems);
    void onItemChanged(int row);
    void showError(const QString &message);
    void clearStaleError();
    // "3 transfers wait for alice@host:7420" with Connect, while the queue holds another account's items.
    void showWaitingTransfers();
    // A live session is about to be replaced: true when the user agrees (or nothing is live).
    bool mayReplaceSession(const ConnectionParams &next);
    // Quitting or disconnecting while transfers run: true when the user agrees (or nothing runs).
    bool mayStopTransfers(const QString &title, const QString &acceptLabel);
    void saveLayout();
    // Asks the server for the usage; the answer reaches the gauge through the session.
    void refreshQuota();
    qint64 queueUpload(const QStringList &localPaths, const QString &remoteDir);

    std::unique_ptr<ClientContext> m_ownClient;
    ClientContext *m_client;
    std::unique_ptr<DialogProvider> m_ownDialogs;
    DialogProvider *m_dialogs;
    std::unique_ptr<SiteStore> m_sites;
    PasswordStore *m_passwords;
    ClientSession *m_session;
    ConnectionController *m_connection;
    TransferQueue *m_queue;
    std::unique_ptr<ConflictPrompter> m_conflicts;
    DragOutDownloader *m_dragOut;
    RemoteFileOpener *m_opener;

    LocalPane *m_localPane = nullptr;
    RemotePane *m_remotePane = nullptr;
    TransfersPanel *m_transfersPanel = nullptr;
    ActivityLog *m_log = nullptr;
    QTabWidget *m_bottomTabs = nullptr;
    MessageBar *m_messageBar = nullptr;
    QSplitter *m_panesSplitter = nullptr;
    QSplitter *m_transfersSplitter = nullptr;
    ElidingLabel *m_connectionLabel = nullptr;
    QuotaGauge *m_quotaGauge = nullptr;
    TransferStatus *m_transferStatus = nullptr;
    QAction *m_connectAction = nullptr;
    QAction *m_disconnectAction = nullptr;

    QString m_waitingText;                         // the message about another account's transfers
    ConnectionParams m_lastOnline;                 // to tell a reconnect from a new server or user
    QHash<qint64, QString> m_uploadFolders;        // upload job -> remote folder to refresh when done
    QSet<QString> m_foldersToRefresh;              // remote folders where uploads arrived meanwhile
    QTimer m_refreshTimer;                         // lists them again at most once a second
};

} // namespace ferry::gui
