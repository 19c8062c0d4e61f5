// MainWindow, the building half: the panes and splitters, the menus and tool bar, the status bar.
// (The wiring and the behaviour are in MainWindow.cpp.)

#include "MainWindow.h"

#include "ActivityLog.h"
#include "ElidingLabel.h"
#include "Icons.h"
#include "LocalPane.h"
#include "MessageBar.h"
#include "QuotaGauge.h"
#include "RemotePane.h"
#include "TransferQueue.h"
#include "TransferStatus.h"
#include "TransfersPanel.h"

#include <QAction>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QToolBar>
#include <QVBoxLayout>

namespace ferry::gui {

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
    // The transfers and, behind a tab, the log of what the session did.
    m_log = new ActivityLog;
    m_bottomTabs = new QTabWidget;
    m_bottomTabs->setDocumentMode(true);
    m_bottomTabs->setTabPosition(QTabWidget::South);
    m_bottomTabs->addTab(m_transfersPanel, tr("Transfers"));
    m_bottomTabs->addTab(m_log, tr("Log"));
    m_transfersSplitter->addWidget(m_bottomTabs);
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
    // Upload / Download the selection of their pane, from anywhere in the window (FileZilla has them too).
    QAction *uploadAction = m_localPane->actions().transfer;
    QAction *downloadAction = m_remotePane->actions().transfer;
    uploadAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_U));
    downloadAction->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_D));
    for (QAction *action : {uploadAction, downloadAction})
        action->setShortcutContext(Qt::WindowShortcut);
    transfersMenu->addAction(uploadAction);
    transfersMenu->addAction(downloadAction);
    transfersMenu->addSeparator();
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
    m_connectionLabel = new ElidingLabel;
    // The connection text gives way, with an ellipsis (it is in the title too); the totals and the gauge
    // never overlap it.
    m_connectionLabel->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_quotaGauge = new QuotaGauge;
    m_transferStatus = new TransferStatus(m_queue);
    statusBar()->addWidget(m_connectionLabel, 1);
    statusBar()->addPermanentWidget(m_transferStatus);
    statusBar()->addPermanentWidget(m_quotaGauge);
}

} // namespace ferry::gui
