#include "MainWindow.h"

#include "ActivityLog.h"
#include "ClientContext.h"
#include "ClientSession.h"
#include "ConflictPrompter.h"
#include "ConnectionController.h"
#include "DragOutDownloader.h"
#include "ElidingLabel.h"
#include "Icons.h"
#include "JobMessages.h"
#include "LocalPane.h"
#include "MessageBar.h"
#include "Messages.h"
#include "PaneView.h"
#include "PasswordStore.h"
#include "QuotaGauge.h"
#include "RemoteModel.h"
#include "RemoteFileOpener.h"
#include "RemotePane.h"
#include "SiteStore.h"
#include "TransferQueue.h"
#include "TransferStatus.h"
#include "TransfersPanel.h"
#include "WidgetDialogs.h"
#include "WindowLayout.h"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QPointer>
#include <QSplitter>
#include <QStatusBar>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

namespace ferry::gui {

MainWindow::MainWindow(DialogProvider *dialogs, const QString &queueStateFile, QWidget *parent)
    : MainWindow(new ClientContext(queueStateFile), dialogs, parent)
{
    m_ownClient.reset(m_client);
}

MainWindow::MainWindow(ClientContext *client, DialogProvider *dialogs, QWidget *parent)
    : QMainWindow(parent), m_client(client), m_sites(std::make_unique<SiteStore>()),
      m_passwords(new PasswordStore(this)), m_session(client->session()), m_connection(client->connection()),
      m_queue(client->queue())
{
    if (!dialogs) {
        m_ownDialogs = std::make_unique<WidgetDialogs>(m_sites.get(), m_passwords);
        dialogs = m_ownDialogs.get();
    }
    m_dialogs = dialogs;
    m_conflicts = std::make_unique<ConflictPrompter>(m_dialogs, this);
    m_dragOut = new DragOutDownloader(m_session, m_queue, this);
    m_opener = new RemoteFileOpener(m_queue, this);

    setWindowTitle(tr("Ferry"));
    setWindowIcon(Icons::app());
    buildPanes();
    buildMenusAndToolBar();
    buildStatusBar();
    wireEngine();
    m_queue->setConflictResolver(m_conflicts.get());

    const QString lastLocal = WindowLayout::restore({this, m_panesSplitter, m_transfersSplitter,
                                                     m_localPane->view()->header(), m_remotePane->view()->header(),
                                                     m_transfersPanel->view()->horizontalHeader()});
    if (!lastLocal.isEmpty() && QFileInfo(lastLocal).isDir())
        m_localPane->navigateTo(lastLocal);
    onPhaseChanged();
    showWaitingTransfers();
}

MainWindow::~MainWindow()
{
    // Nothing may ask the user anything once the window is going; the panes go before the engine they show.
    m_queue->setConflictResolver(nullptr);
    delete m_transferStatus;
    m_transferStatus = nullptr;
    delete takeCentralWidget();
    m_connection->disconnect(this);
    m_queue->disconnect(this);
    m_session->disconnect(this);
    m_ownClient.reset();
}

Status MainWindow::verifyIdentity(const IdentityCheck &check)
{
    KnownServers store;
    const Status verdict = store.verify(check, [this](const IdentityCheck &first) {
        return m_dialogs->askTrustServer(this, first);
    });
    if (verdict.error().code == ErrorCode::IdentityChanged) {
        IdentityCheck changed = check;
        changed.known = store.find(check.host, check.port);
        m_dialogs->showIdentityChanged(this, changed);
    }
    return verdict;
}

void MainWindow::wireEngine()
{
    connect(m_connection, &ConnectionController::phaseChanged, this, &MainWindow::onPhaseChanged);
    connect(m_connection, &ConnectionController::statusTextChanged, m_connectionLabel, &QLabel::setText);
    connect(m_connection, &ConnectionController::statusTextChanged, m_log,
            [this](const QString &text) { m_log->add(ActivityLog::Kind::Status, text); });
    m_log->follow(m_queue);
    connect(m_connection, &ConnectionController::online, this, &MainWindow::onOnline);
    connect(m_connection, &ConnectionController::problem, this, [this](const QString &message, bool willRetry) {
        m_log->add(ActivityLog::Kind::Error, message);
        if (willRetry) {
            m_messageBar->showMessage(MessageBar::Level::Warning, message, tr("Reconnect now"),
                                      [this] { m_connection->reconnectNow(); });
        } else {
            m_messageBar->showMessage(MessageBar::Level::Error, message, tr("Connect…"),
                                      [this] { showConnectDialog(); });
        }
    });
    connect(m_session, &ClientSession::quotaChanged, m_quotaGauge, &QuotaGauge::setQuota);
    // Right after the TLS handshake, before anything is sent: the remembered identity, or ask. (A process
    // default, which only tests set, takes precedence.)
    if (!ClientSession::defaultIdentityVerifier())
        m_session->setIdentityVerifier([this](const IdentityCheck &check) { return verifyIdentity(check); });
    connect(m_session, &ClientSession::loggedIn, this, [this] {
        m_connectionLabel->setToolTip(tr("Server identity %1, verified by your password (TLS 1.3)")
                                          .arg(m_session->identity().code()));
    });
    connect(m_queue, &TransferQueue::jobFinished, this, &MainWindow::onJobFinished);
    connect(m_queue, &TransferQueue::itemChanged, this, &MainWindow::onItemChanged);
    m_refreshTimer.setSingleShot(true);
    m_refreshTimer.setInterval(1000);
    connect(&m_refreshTimer, &QTimer::timeout, this, [this] {
        for (const QString &folder : std::as_const(m_foldersToRefresh))
            m_remotePane->model()->refreshIfLoaded(folder);
        m_foldersToRefresh.clear();
    });

    connect(m_localPane, &LocalPane::errorOccurred, this, &MainWindow::showError);
    connect(m_localPane, &LocalPane::uploadRequested, this,
            [this](const QStringList &paths) { upload(paths, m_remotePane->currentPath()); });
    connect(m_localPane, &LocalPane::downloadRequested, this, &MainWindow::download);
    connect(m_remotePane, &RemotePane::errorOccurred, this, &MainWindow::showError);
    connect(m_remotePane, &RemotePane::uploadRequested, this, &MainWindow::upload);
    connect(m_remotePane, &RemotePane::downloadRequested, this,
            [this](const QStringList &paths) { download(paths, m_localPane->currentPath()); });
    connect(m_remotePane, &RemotePane::openFileRequested, m_opener, &RemoteFileOpener::open);
    connect(m_opener, &RemoteFileOpener::problem, this, &MainWindow::showError);
    connect(m_remotePane, &RemotePane::connectRequested, this, &MainWindow::showConnectDialog);
    connect(m_remotePane, &RemotePane::serverChanged, this, [this] {
        clearStaleError();
        refreshQuota();
    });
    // Another client may have used or freed space.
    connect(m_remotePane, &RemotePane::refreshed, this, &MainWindow::refreshQuota);
    connect(m_dragOut, &DragOutDownloader::problem, this, &MainWindow::showError);
    connect(m_passwords, &PasswordStore::notSaved, this, [this](const QString &reason) {
        m_messageBar->showMessage(MessageBar::Level::Warning, reason);
    });
    m_remotePane->model()->setDragOutHandler(
            [this](const QStringList &paths) { return m_dragOut->materialize(paths); });
}

void MainWindow::connectTo(const ConnectionParams &params)
{
    m_messageBar->dismiss();
    m_connection->open(params);
}

void MainWindow::showConnectDialog()
{
    showConnectDialogFor(m_connection->params());
}

void MainWindow::showConnectDialogFor(ConnectionParams suggestion)
{
    if (!suggestion.isComplete() && !m_sites->recent().isEmpty())
        suggestion = m_sites->recent().first();
    suggestion.password.clear();
    const std::optional<ConnectionParams> chosen = m_dialogs->askConnection(this, suggestion);
    if (chosen && mayReplaceSession(*chosen))
        connectTo(*chosen);
}

bool MainWindow::mayReplaceSession(const ConnectionParams &next)
{
    if (m_connection->phase() == ConnectionController::Phase::Offline)
        return true;
    const ConnectionParams current = m_connection->params();
    if (m_connection->phase() == ConnectionController::Phase::Online && next.sameServerAndUser(current)) {
        m_messageBar->showMessage(MessageBar::Level::Information,
                                  tr("Already connected to %1.").arg(current.displayName()));
        return false;
    }
    const int active = m_queue->totals().filesActive;
    QString text = tr("Connecting to %1 ends the session with %2.").arg(next.displayName(), current.displayName());
    if (active > 0) {
        text += QLatin1Char(' ')
                + tr("%n running transfer(s) will wait until you connect to %1 again.", nullptr, active)
                          .arg(current.displayName());
    }
    return m_dialogs->confirm(this, tr("Disconnect from %1?").arg(current.displayName()), text,
                              tr("Disconnect and connect"));
}

void MainWindow::showWaitingTransfers()
{
    const QList<ClientContext::Waiting> waiting = m_client->waitingAccounts();
    if (waiting.isEmpty()) {
        if (!m_waitingText.isEmpty() && m_messageBar->text() == m_waitingText)
            m_messageBar->dismiss();
        m_waitingText.clear();
        return;
    }
    const ClientContext::Waiting &first = waiting.first();
    const ConnectionParams params = ClientContext::paramsOf(first);
    m_waitingText = tr("%n transfer(s) wait for %1.", nullptr, first.count).arg(params.displayName());
    m_messageBar->showMessage(MessageBar::Level::Warning, m_waitingText, tr("Connect…"),
                              [this, params] { showConnectDialogFor(params); });
}

void MainWindow::disconnectFromServer()
{
    if (mayStopTransfers(tr("Disconnect from %1?").arg(m_connection->params().displayName()), tr("Disconnect")))
        m_connection->close();
}

bool MainWindow::mayStopTransfers(const QString &title, const QString &acceptLabel)
{
    const int active = m_queue->activeCount();
    if (active == 0 || m_connection->phase() == ConnectionController::Phase::Offline)
        return true;
    return m_dialogs->confirm(this, title,
                              tr("%n transfer(s) have not finished. They stop now and continue where they stopped "
                                 "the next time you connect.", nullptr, active),
                              acceptLabel);
}

void MainWindow::onOnline(bool reconnected)
{
    const ConnectionParams params = m_connection->params();
    if (!reconnected && !params.sameServerAndUser(m_lastOnline))
        m_remotePane->startOver();   // another server or user: nothing known applies
    m_lastOnline = params;
    m_sites->addRecent(params);
    // After a drop, say that it is over; otherwise the status bar says it (and a keyring warning stays).
    if (reconnected)
        m_messageBar->showMessage(MessageBar::Level::Information, tr("Connected to %1.").arg(params.displayName()));
    showWaitingTransfers();
    onPhaseChanged();
}

void MainWindow::onPhaseChanged()
{
    const ConnectionController::Phase phase = m_connection->phase();
    const bool online = phase == ConnectionController::Phase::Online;
    const bool reconnecting = !online && phase != ConnectionController::Phase::Offline && m_lastOnline.isComplete()
                              && m_connection->params().sameServerAndUser(m_lastOnline);
    // A short drop keeps the list on screen (greyed out) instead of flashing the "Not connected" page.
    if (reconnecting)
        m_remotePane->view()->setEnabled(false);
    else
        m_remotePane->setConnected(online);
    if (online)
        m_remotePane->view()->setEnabled(true);
    m_localPane->setConnected(online);
    m_disconnectAction->setEnabled(phase != ConnectionController::Phase::Offline);
    if (phase == ConnectionController::Phase::Offline)
        m_quotaGauge->clear();
    m_connectionLabel->setText(m_connection->statusText());
    setWindowTitle(online ? tr("%1 — Ferry").arg(m_connection->params().displayName()) : tr("Ferry"));
}

qint64 MainWindow::upload(const QStringList &localPaths, const QString &remoteDir)
{
    if (localPaths.isEmpty())
        return 0;
    // The sizes are known before anything is sent: say so now rather than after the files that fit. The usage
    // known here may be old (another client may have freed space since), so a shortfall is checked again
    // against the server's answer before anyone is asked; the upload is queued then.
    const std::optional<QuotaInfo> known = m_client->quota();
    const qint64 bytes = known ? JobMessages::localSize(localPaths) : 0;
    if (!known || !JobMessages::quotaShortfall(bytes, *known))
        return queueUpload(localPaths, remoteDir);
    QPointer<MainWindow> self(this);
    m_session->quota([self, localPaths, remoteDir, bytes, known](const Result<QuotaInfo> &current) {
        if (!self)
            return;
        // Out of the session's reply handler before a dialog runs its own event loop.
        QMetaObject::invokeMethod(self, [self, localPaths, remoteDir, bytes, quota = current ? *current : *known] {
            const std::optional<QString> shortfall = JobMessages::quotaShortfall(bytes, quota);
            if (!shortfall || self->m_dialogs->confirm(self, tr("Not enough space"), *shortfall, tr("Upload anyway")))
                self->queueUpload(localPaths, remoteDir);
        }, Qt::QueuedConnection);
    });
    return 0;
}

qint64 MainWindow::queueUpload(const QStringList &localPaths, const QString &remoteDir)
{
    const qint64 job = m_queue->upload(localPaths, remoteDir);
    m_uploadFolders.insert(job, remoteDir);
    return job;
}

qint64 MainWindow::download(const QStringList &remotePaths, const QString &localDir)
{
    if (remotePaths.isEmpty())
        return 0;
    return m_queue->download(remotePaths, localDir);
}

void MainWindow::refreshQuota()
{
    m_session->quota([](const Result<QuotaInfo> &) {});   // the session's quotaChanged updates the gauge
}

void MainWindow::onJobFinished(qint64 jobId, int failedItems)
{
    if (m_uploadFolders.contains(jobId)) {
        m_remotePane->model()->refreshIfLoaded(m_uploadFolders.take(jobId));
        refreshQuota();
    }
    const QList<TransferItem> items = m_queue->jobItems(jobId);
    if (items.isEmpty())
        return;   // the opener's temporary copy: it speaks for itself
    if (failedItems == 0)
        clearStaleError();
    else
        showError(JobMessages::failure(items));
}

void MainWindow::clearStaleError()
{
    // Something worked since: an old error would only mislead.
    if (m_messageBar->level() == MessageBar::Level::Error && !m_messageBar->text().isEmpty())
        m_messageBar->dismiss();
}

void MainWindow::onItemChanged(int row)
{
    // Uploaded files show up in the remote pane as they arrive, not only when the whole job is done.
    const TransferItem &item = m_queue->at(row);
    if (item.direction != TransferDirection::Upload || item.state != TransferState::Done)
        return;
    const int slash = item.remotePath.lastIndexOf(QLatin1Char('/'));
    m_foldersToRefresh.insert(slash <= 0 ? QStringLiteral("/") : item.remotePath.left(slash));
    if (!m_refreshTimer.isActive())
        m_refreshTimer.start();
}

void MainWindow::showError(const QString &message)
{
    m_log->add(ActivityLog::Kind::Error, message);
    m_messageBar->showMessage(MessageBar::Level::Error, message);
}

void MainWindow::saveLayout()
{
    WindowLayout::save({this, m_panesSplitter, m_transfersSplitter, m_localPane->view()->header(),
                        m_remotePane->view()->header(), m_transfersPanel->view()->horizontalHeader()},
                       m_localPane->currentPath());
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!mayStopTransfers(tr("Quit Ferry?"), tr("Quit"))) {
        event->ignore();
        return;
    }
    saveLayout();
    QMainWindow::closeEvent(event);
}

} // namespace ferry::gui
