#include "MainWindow.h"

#include "ClientSession.h"
#include "ConflictPrompter.h"
#include "ConnectionController.h"
#include "DragOutDownloader.h"
#include "Icons.h"
#include "LocalPane.h"
#include "MessageBar.h"
#include "Messages.h"
#include "PaneView.h"
#include "PasswordStore.h"
#include "QuotaGauge.h"
#include "RemoteModel.h"
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
#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QToolBar>
#include <QUrl>
#include <QVBoxLayout>

namespace ferry::gui {

MainWindow::MainWindow(DialogProvider *dialogs, const QString &queueStateFile, QWidget *parent)
    : QMainWindow(parent), m_sites(std::make_unique<SiteStore>()), m_passwords(new PasswordStore(this)),
      m_session(new ClientSession), m_connection(new ConnectionController(m_session, this)),
      m_queue(new TransferQueue(m_session))
{
    if (!dialogs) {
        m_ownDialogs = std::make_unique<WidgetDialogs>(m_sites.get(), m_passwords);
        dialogs = m_ownDialogs.get();
    }
    m_dialogs = dialogs;
    m_conflicts = std::make_unique<ConflictPrompter>(m_dialogs, this);
    m_dragOut = new DragOutDownloader(m_session, m_queue, this);

    setWindowTitle(tr("Ferry"));
    setWindowIcon(Icons::app());
    buildPanes();
    buildMenusAndToolBar();
    buildStatusBar();
    wireEngine();

    const QString stateFile = queueStateFile.isEmpty() ? defaultQueueStateFile() : queueStateFile;
    QDir().mkpath(QFileInfo(stateFile).absolutePath());
    m_queue->setConflictResolver(m_conflicts.get());
    m_queue->setStateFile(stateFile);
    m_queue->restore();   // unfinished transfers of the last run; they start once connected

    const QString lastLocal = WindowLayout::restore({this, m_panesSplitter, m_transfersSplitter,
                                                     m_localPane->view()->header(), m_remotePane->view()->header(),
                                                     m_transfersPanel->view()->horizontalHeader()});
    if (!lastLocal.isEmpty() && QFileInfo(lastLocal).isDir())
        m_localPane->navigateTo(lastLocal);
    onPhaseChanged();
}

MainWindow::~MainWindow()
{
    // The queue goes before the session it uses, and nothing may ask the user anything meanwhile.
    m_queue->setConflictResolver(nullptr);
    delete m_transferStatus;
    m_transferStatus = nullptr;
    delete takeCentralWidget();
    delete m_queue;
    delete m_session;
}

QString MainWindow::defaultQueueStateFile()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("transfers.json"));
}

void MainWindow::buildPanes()
{
    m_localPane = new LocalPane(m_dialogs);
    m_remotePane = new RemotePane(m_session, m_dialogs);
    m_transfersPanel = new TransfersPanel(m_queue);
    m_messageBar = new MessageBar;

    m_panesSplitter = new QSplitter(Qt::Horizontal);
    m_panesSplitter->addWidget(m_localPane);
    m_panesSplitter->addWidget(m_remotePane);
    m_panesSplitter->setChildrenCollapsible(false);
    m_transfersSplitter = new QSplitter(Qt::Vertical);
    m_transfersSplitter->addWidget(m_panesSplitter);
    m_transfersSplitter->addWidget(m_transfersPanel);
    m_transfersSplitter->setStretchFactor(0, 3);
    m_transfersSplitter->setStretchFactor(1, 1);
    m_transfersSplitter->setChildrenCollapsible(false);

    auto *central = new QWidget;
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(6, 4, 6, 0);
    layout->setSpacing(4);
    layout->addWidget(m_messageBar);
    layout->addWidget(m_transfersSplitter, 1);
    setCentralWidget(central);
}

void MainWindow::buildMenusAndToolBar()
{
    m_connectAction = new QAction(Icons::connect(), tr("&Connect…"), this);
    m_connectAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_K));
    m_disconnectAction = new QAction(Icons::disconnect(), tr("&Disconnect"), this);
    auto *quit = new QAction(tr("&Quit"), this);
    quit->setShortcut(QKeySequence::Quit);
    connect(m_connectAction, &QAction::triggered, this, &MainWindow::showConnectDialog);
    connect(m_disconnectAction, &QAction::triggered, this, &MainWindow::disconnectFromServer);
    connect(quit, &QAction::triggered, this, &QWidget::close);

    QMenu *fileMenu = menuBar()->addMenu(tr("&File"));
    fileMenu->addAction(m_connectAction);
    fileMenu->addAction(m_disconnectAction);
    fileMenu->addSeparator();
    fileMenu->addAction(quit);

    QMenu *transfersMenu = menuBar()->addMenu(tr("&Transfers"));
    auto *pauseAll = transfersMenu->addAction(Icons::pause(), tr("&Pause all"));
    auto *resumeAll = transfersMenu->addAction(Icons::resume(), tr("&Resume all"));
    transfersMenu->addSeparator();
    transfersMenu->addAction(m_transfersPanel->clearFinishedAction());
    connect(pauseAll, &QAction::triggered, m_queue, &TransferQueue::pauseAll);
    connect(resumeAll, &QAction::triggered, m_queue, &TransferQueue::resumeAll);

    QMenu *helpMenu = menuBar()->addMenu(tr("&Help"));
    helpMenu->addAction(tr("&About Ferry"), this, [this] {
        QMessageBox::about(this, tr("About Ferry"),
                           tr("<h3>Ferry %1</h3><p>Fast, verified file transfer between this computer and a "
                              "Ferry server on your network.</p>")
                                   .arg(QStringLiteral(FERRY_VERSION)));
    });

    QToolBar *toolBar = addToolBar(tr("Main"));
    toolBar->setObjectName(QStringLiteral("mainToolBar"));
    toolBar->setMovable(false);
    toolBar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    toolBar->addAction(m_connectAction);
    toolBar->addAction(m_disconnectAction);
    toolBar->addSeparator();
    toolBar->addAction(m_localPane->actions().transfer);
    toolBar->addAction(m_remotePane->actions().transfer);
}

void MainWindow::buildStatusBar()
{
    m_connectionLabel = new QLabel;
    m_quotaGauge = new QuotaGauge;
    m_transferStatus = new TransferStatus(m_queue);
    statusBar()->addWidget(m_connectionLabel, 1);
    statusBar()->addPermanentWidget(m_transferStatus);
    statusBar()->addPermanentWidget(m_quotaGauge);
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
    connect(m_connection, &ConnectionController::online, this, &MainWindow::onOnline);
    connect(m_connection, &ConnectionController::problem, this, [this](const QString &message, bool willRetry) {
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
    connect(m_remotePane, &RemotePane::openFileRequested, this, &MainWindow::openRemoteFile);
    connect(m_remotePane, &RemotePane::connectRequested, this, &MainWindow::showConnectDialog);
    connect(m_remotePane, &RemotePane::serverChanged, this, [this] {
        m_session->quota([](const Result<QuotaInfo> &) {});   // the reply updates the gauge
    });
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
    ConnectionParams suggestion = m_connection->params();
    if (!suggestion.isComplete() && !m_sites->recent().isEmpty())
        suggestion = m_sites->recent().first();
    suggestion.password.clear();
    if (const std::optional<ConnectionParams> chosen = m_dialogs->askConnection(this, suggestion))
        connectTo(*chosen);
}

void MainWindow::disconnectFromServer()
{
    m_connection->close();
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

void MainWindow::openRemoteFile(const QString &remotePath)
{
    // Downloaded into a private temporary folder, then opened with the desktop's application for it.
    const QString base = QStandardPaths::writableLocation(QStandardPaths::TempLocation);
    QTemporaryDir folder(QDir(base).filePath(QStringLiteral("ferry-open-XXXXXX")));
    if (!folder.isValid()) {
        showError(tr("Cannot create a temporary folder to open “%1”.").arg(remotePath));
        return;
    }
    folder.setAutoRemove(false);
    const qint64 job = m_queue->download({remotePath}, folder.path(), ConflictPolicy::Overwrite);
    m_filesToOpen.insert(job, QDir(folder.path()).filePath(QFileInfo(remotePath).fileName()));
}

void MainWindow::onJobFinished(qint64 jobId, int failedItems)
{
    if (m_uploadFolders.contains(jobId)) {
        m_remotePane->model()->refreshIfLoaded(m_uploadFolders.take(jobId));
        m_session->quota([](const Result<QuotaInfo> &) {});
    }
    const QString toOpen = m_filesToOpen.take(jobId);
    if (!toOpen.isEmpty() && failedItems == 0)
        QDesktopServices::openUrl(QUrl::fromLocalFile(toOpen));
    if (failedItems == 0)
        return;
    // Say why, with the first failure of the job as the example.
    for (const TransferItem &item : m_queue->jobItems(jobId)) {
        if (item.state != TransferState::Failed)
            continue;
        const QString what = item.direction == TransferDirection::Upload
                ? tr("Cannot upload “%1”").arg(item.name())
                : tr("Cannot download “%1”").arg(item.name());
        QString message = Messages::failure(what, item.error);
        if (failedItems > 1)
            message += QLatin1Char(' ') + tr("%n more file(s) of this transfer failed too.", nullptr, failedItems - 1);
        showError(message);
        return;
    }
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
    saveLayout();
    QMainWindow::closeEvent(event);
}

} // namespace ferry::gui
