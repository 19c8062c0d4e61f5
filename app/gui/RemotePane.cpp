#include "RemotePane.h"

#include "ClientSession.h"
#include "DialogProvider.h"
#include "Icons.h"
#include "Messages.h"
#include "PaneView.h"
#include "PathBar.h"
#include "Protocol.h"
#include "RemoteMimeData.h"
#include "RemoteModel.h"
#include "VirtualPath.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QStackedWidget>
#include <QUrl>
#include <QVBoxLayout>

namespace ferry::gui {

namespace {

// Local files and folders dropped from a file manager or the local pane (never a Ferry remote drag:
// asking that one for URLs would download its files).
QStringList localPathsOf(const QMimeData *data)
{
    if (!data || data->hasFormat(RemoteMimeData::MimeType) || !data->hasUrls())
        return {};
    QStringList paths;
    for (const QUrl &url : data->urls()) {
        if (url.isLocalFile())
            paths.append(url.toLocalFile());
    }
    return paths;
}

} // namespace

RemotePane::RemotePane(ClientSession *session, DialogProvider *dialogs, QWidget *parent)
    : FilePane(dialogs, parent), m_session(session)
{
    m_currentPath = QStringLiteral("/");
    m_model = new RemoteModel(session, this);
    m_view = new PaneView;
    m_view->setModel(m_model);
    m_model->setParentRows(true);
    m_view->setParentRowTest([this](const QModelIndex &index) { return m_model->isParentRow(index); });
    m_view->sortByColumn(RemoteModel::NameColumn, Qt::AscendingOrder);
    m_view->setDefaultColumnWidths(RemoteModel::SizeColumn, RemoteModel::ModifiedColumn);
    m_view->setFolderTest([this](const QModelIndex &index) { return m_model->isDir(index); });
    m_view->setDropTest([this](const QMimeData *data) { return m_connected && !localPathsOf(data).isEmpty(); });

    m_actions = PaneActions::create(this, m_view, tr("&Download"), Icons::download());
    m_pathBar = new PathBar(tr("Server"), m_actions);

    // The page shown while there is no connection: one obvious thing to do.
    auto *offline = new QWidget;
    auto *offlineText = new QLabel(tr("Not connected to a server."));
    offlineText->setAlignment(Qt::AlignCenter);
    auto *connectButton = new QPushButton(Icons::connect(), tr("Connect…"));
    auto *offlineLayout = new QVBoxLayout(offline);
    offlineLayout->addStretch();
    offlineLayout->addWidget(offlineText);
    offlineLayout->addWidget(connectButton, 0, Qt::AlignHCenter);
    offlineLayout->addStretch();
    offline->setAutoFillBackground(true);
    offline->setBackgroundRole(QPalette::Base);

    m_pages = new QStackedWidget;
    m_pages->addWidget(offline);
    m_pages->addWidget(m_view);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_pathBar);
    layout->addWidget(m_pages, 1);

    connect(connectButton, &QPushButton::clicked, this, &RemotePane::connectRequested);
    connect(m_view, &QAbstractItemView::activated, this, &RemotePane::onActivated);
    connect(m_view, &PaneView::dropped, this, [this](const QMimeData *data, const QModelIndex &target) {
        const QStringList paths = localPathsOf(data);
        if (!paths.isEmpty())
            emit uploadRequested(paths, m_model->pathOf(target));
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &RemotePane::updateActions);
    connect(m_model, &RemoteModel::loadingChanged, this, &RemotePane::updateBusy);
    connect(m_model, &RemoteModel::loadProgress, this, &RemotePane::updateBusy);
    connect(m_model, &RemoteModel::folderLoaded, this, &RemotePane::onFolderLoaded);
    connect(m_model, &RemoteModel::loadFailed, this, [this](const QString &path, const Error &error) {
        updateBusy();
        if (error.code != ErrorCode::ConnectionLost)   // the connection's own message says that
            reportFailure(tr("Cannot list “%1”").arg(path), error);
    });
    connect(m_pathBar, &PathBar::pathEntered, this, &RemotePane::navigateTo);
    wireActions();

    m_pathBar->setPath(m_currentPath);
    setConnected(false);
}

void RemotePane::setConnected(bool connected)
{
    m_connected = connected;
    m_pages->setCurrentIndex(connected ? 1 : 0);
    m_pathBar->setEnabled(connected);
    for (QAction *action : {m_actions.refresh, m_actions.newFolder, m_actions.up, m_actions.back})
        action->setEnabled(connected);
    if (connected)
        show(m_currentPath);
    updateActions();
    updateBusy();
}

void RemotePane::startOver()
{
    m_model->reset();
    m_history.clear();
    m_currentPath = QStringLiteral("/");
    m_pathBar->setPath(m_currentPath);
}

void RemotePane::transferSelected()
{
    if (!selectedPaths().isEmpty())
        emit downloadRequested(selectedPaths());
}

void RemotePane::navigateTo(const QString &path)
{
    const Result<VirtualPath> checked = VirtualPath::fromWire(path.isEmpty() ? QStringLiteral("/") : path);
    if (!checked) {
        reportFailure(tr("Cannot open “%1”").arg(path), checked.error());
        m_pathBar->setPath(m_currentPath);
        return;
    }
    const QString wanted = checked->toString();
    const std::optional<QModelIndex> known = m_model->findIndex(wanted);
    if (known && m_model->isDir(*known)) {
        show(wanted);
        return;
    }
    QPointer<RemotePane> self(this);
    m_session->stat(wanted, [self, wanted](const Result<RemoteEntry> &entry) {
        if (!self)
            return;
        if (!entry) {
            self->reportFailure(tr("Cannot open “%1”").arg(wanted), entry.error());
            self->m_pathBar->setPath(self->m_currentPath);
        } else if (!entry->isDir) {
            emit self->errorOccurred(tr("“%1” is a file, not a folder.").arg(wanted));
            self->m_pathBar->setPath(self->m_currentPath);
        } else {
            self->show(wanted);
        }
    });
}

void RemotePane::show(const QString &path)
{
    const QModelIndex index = m_model->indexForPath(path);
    const bool moved = path != m_currentPath || m_view->rootIndex() != index;
    m_currentPath = path;
    m_history.visit(path);
    m_view->setRootIndex(index);
    if (m_model->canFetchMore(index))
        m_model->fetchMore(index);
    else if (!m_model->isLoading(index))
        m_model->refresh(index);   // shown from what was listed before, brought up to date meanwhile
    if (moved) {
        m_view->scrollToTop();
        m_view->selectionModel()->clearSelection();
    }
    m_pathBar->setPath(path);
    updateBusy();
    updateActions();
    if (moved)
        emit currentPathChanged(path);
}

QStringList RemotePane::selectedPaths() const
{
    QStringList paths;
    for (const QModelIndex &index : m_view->selectedRows())
        paths.append(m_model->pathOf(index));
    return paths;
}

void RemotePane::updateBusy()
{
    const QModelIndex current = m_view->rootIndex();
    if (m_connected && m_model->isLoadingFirstTime(current)) {
        const int rows = m_model->rowCount(current);
        m_pathBar->setBusy(rows > 0 ? tr("Loading… %n item(s)", nullptr, rows) : tr("Loading…"));
    } else {
        m_pathBar->setBusy(QString());
    }
}

void RemotePane::updateActions()
{
    m_actions.updateForSelection(int(m_view->selectedRows().size()), m_connected);
    if (!m_connected) {
        for (QAction *action : {m_actions.open, m_actions.rename, m_actions.remove})
            action->setEnabled(false);
        return;
    }
    m_actions.back->setEnabled(m_history.canGoBack());
    m_actions.up->setEnabled(m_currentPath != QLatin1String("/"));
}

void RemotePane::onActivated(const QModelIndex &index)
{
    const QModelIndex row = index.siblingAtColumn(0);
    if (m_model->isParentRow(row))
        goUp();
    else if (m_model->isDir(row))
        show(m_model->pathOf(row));
    else
        emit openFileRequested(m_model->pathOf(row));
}

void RemotePane::onFolderLoaded(const QString &path)
{
    updateBusy();
    if (m_selectWhenListed.isEmpty() || parentOf(m_selectWhenListed) != path)
        return;
    if (const std::optional<QModelIndex> created = m_model->findIndex(m_selectWhenListed)) {
        m_view->setCurrentIndex(*created);
        m_view->scrollTo(*created);
    }
    m_selectWhenListed.clear();
}

void RemotePane::reportFailure(const QString &what, const Error &error)
{
    emit errorOccurred(Messages::failure(what, error));
}

QString RemotePane::parentOf(const QString &path)
{
    const int slash = path.lastIndexOf(QLatin1Char('/'));
    return slash <= 0 ? QStringLiteral("/") : path.left(slash);
}

QString RemotePane::join(const QString &folder, const QString &name)
{
    return folder.endsWith(QLatin1Char('/')) ? QString(folder + name) : QString(folder + QLatin1Char('/') + name);
}

void RemotePane::openSelected()
{
    const QModelIndexList rows = m_view->selectedRows();
    if (rows.size() == 1)
        onActivated(rows.first());
}

void RemotePane::goBack()
{
    const QString previous = m_history.goBack();
    if (!previous.isEmpty())
        navigateTo(previous);
}

void RemotePane::goUp()
{
    if (m_currentPath != QLatin1String("/"))
        navigateTo(parentOf(m_currentPath));
}

void RemotePane::refresh()
{
    m_model->refresh(m_view->rootIndex());
    updateBusy();
    emit refreshed();
}

void RemotePane::copyPath()
{
    QStringList paths = selectedPaths();
    if (paths.isEmpty())
        paths.append(m_currentPath);
    QApplication::clipboard()->setText(paths.join(QLatin1Char('\n')));
}

} // namespace ferry::gui
