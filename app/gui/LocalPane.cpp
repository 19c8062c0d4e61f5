#include "LocalPane.h"

#include "DialogProvider.h"
#include "Icons.h"
#include "PaneView.h"
#include "PathBar.h"
#include "RemoteMimeData.h"
#include "SizeText.h"

#include <QAction>
#include <QApplication>
#include <QClipboard>
#include <QCoreApplication>
#include <QDesktopServices>
#include <QDir>
#include <QFileSystemModel>
#include <QHeaderView>
#include <QLocale>
#include <QUrl>
#include <QVBoxLayout>

namespace ferry::gui {

namespace {

// The same column titles, size and date format as the remote pane (QFileSystemModel has its own, e.g.
// "Date Modified" and "15 bytes").
class LocalFileModel : public QFileSystemModel {
    Q_DECLARE_TR_FUNCTIONS(ferry::gui::LocalPane)

public:
    using QFileSystemModel::QFileSystemModel;

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (role == Qt::DisplayRole && index.column() > 0 && isParentRow(index))
            return QString();   // ".." only leads up: no size or date of its own, as in the remote pane
        if (role == Qt::DisplayRole && index.column() == 1 && !isDir(index))
            return formatSize(size(index));
        if (role == Qt::DisplayRole && index.column() == 3)   // QFileSystemModel's own follows QLocale::system()
            return QLocale().toString(lastModified(index), QLocale::ShortFormat);
        return QFileSystemModel::data(index, role);
    }

    Qt::ItemFlags flags(const QModelIndex &index) const override
    {
        // Editable for the pane's in-place rename; the model stays read-only (setData renames nothing).
        const Qt::ItemFlags flags = QFileSystemModel::flags(index);
        if (isParentRow(index))
            return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
        return index.column() == 0 ? flags | Qt::ItemIsEditable : flags;
    }

    bool isParentRow(const QModelIndex &index) const
    {
        return index.isValid() && index.siblingAtColumn(0).data(Qt::DisplayRole).toString() == QLatin1String("..");
    }

    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation == Qt::Horizontal && role == Qt::DisplayRole) {
            switch (section) {
            case 0:
                return tr("Name");
            case 1:
                return tr("Size");
            case 3:
                return tr("Modified");
            }
        }
        return QFileSystemModel::headerData(section, orientation, role);
    }
};

} // namespace

LocalPane::LocalPane(DialogProvider *dialogs, QWidget *parent) : FilePane(dialogs, parent)
{
    m_model = new LocalFileModel(this);
    m_model->setReadOnly(true);   // renames and deletes go through the pane's actions, with confirmation
    m_model->setFilter(QDir::AllEntries | QDir::NoDot | QDir::AllDirs);   // ".." leads up, as in the remote pane

    m_view = new PaneView;
    m_view->setModel(m_model);
    m_view->sortByColumn(0, Qt::AscendingOrder);
    m_view->hideColumn(2);   // "Type": the icon says it, less clutter
    m_view->setDefaultColumnWidths(1, 3);
    m_view->setFolderTest([this](const QModelIndex &index) { return m_model->isDir(index); });
    m_view->setParentRowTest([this](const QModelIndex &index) {
        return index.isValid() && m_model->fileName(index.siblingAtColumn(0)) == QLatin1String("..");
    });
    m_view->setDropTest([](const QMimeData *data) { return !RemoteMimeData::remotePaths(data).isEmpty(); });

    m_actions = PaneActions::create(this, m_view, tr("&Upload"), Icons::upload());
    m_pathBar = new PathBar(tr("This computer"), m_actions);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_pathBar);
    layout->addWidget(m_view, 1);

    connect(m_view, &QAbstractItemView::activated, this, &LocalPane::onActivated);
    connect(m_view, &PaneView::dropped, this, [this](const QMimeData *data, const QModelIndex &target) {
        const QString dir = target.isValid() ? m_model->filePath(target) : m_currentPath;
        emit downloadRequested(RemoteMimeData::remotePaths(data), dir);
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &LocalPane::updateActions);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &LocalPane::selectRenamedOnceShown);
    connect(m_pathBar, &PathBar::pathEntered, this, [this](const QString &path) { navigateTo(path); });
    wireActions();

    navigateTo(QDir::homePath());
}

void LocalPane::transferSelected()
{
    if (!selectedPaths().isEmpty())
        emit uploadRequested(selectedPaths());
}

bool LocalPane::navigateTo(const QString &path)
{
    const QString expanded = path.startsWith(QLatin1Char('~')) ? QDir::homePath() + path.mid(1) : path;
    const QFileInfo info(expanded);
    if (!info.isDir()) {
        emit errorOccurred(info.exists() ? tr("“%1” is not a folder.").arg(path)
                                         : tr("There is no folder “%1” on this computer.").arg(path));
        m_pathBar->setPath(m_currentPath);
        return false;
    }
    const QString canonical = QDir::cleanPath(info.absoluteFilePath());
    if (!show(canonical))
        return false;
    m_history.visit(canonical);
    updateActions();
    return true;
}

bool LocalPane::show(const QString &path)
{
    m_model->setRootPath(path);   // the folder QFileSystemModel watches for changes
    const QModelIndex index = m_model->index(path);
    if (!index.isValid())
        return false;
    m_currentPath = path;
    m_view->setRootIndex(index);
    m_view->scrollToTop();
    m_view->selectionModel()->clearSelection();
    m_pathBar->setPath(QDir::toNativeSeparators(path));
    emit currentPathChanged(path);
    return true;
}

QStringList LocalPane::selectedPaths() const
{
    QStringList paths;
    for (const QModelIndex &index : m_view->selectedRows())
        paths.append(m_model->filePath(index));
    return paths;
}

void LocalPane::setConnected(bool connected)
{
    m_connected = connected;
    updateActions();
}

void LocalPane::updateActions()
{
    m_actions.updateForSelection(int(m_view->selectedRows().size()), m_connected);
    m_actions.back->setEnabled(m_history.canGoBack());
    m_actions.up->setEnabled(!QDir(m_currentPath).isRoot());
}

void LocalPane::onActivated(const QModelIndex &index)
{
    if (m_view->isParentRow(index))
        goUp();
    else if (m_model->isDir(index))
        navigateTo(m_model->filePath(index));
    else
        QDesktopServices::openUrl(QUrl::fromLocalFile(m_model->filePath(index)));
}

void LocalPane::openSelected()
{
    const QModelIndexList rows = m_view->selectedRows();
    if (rows.size() == 1)
        onActivated(rows.first());
}

void LocalPane::goBack()
{
    const QString previous = m_history.goBack();
    if (!previous.isEmpty())
        show(previous);
    updateActions();
}

void LocalPane::goUp()
{
    QDir dir(m_currentPath);
    if (dir.cdUp())
        navigateTo(dir.absolutePath());
}

void LocalPane::refresh()
{
    // QFileSystemModel watches the folder; setting the root path again makes it look right now.
    m_model->setRootPath(QString());
    show(m_currentPath);
}

void LocalPane::createFolder()
{
    const std::optional<QString> name =
            m_dialogs->askText(this, tr("New folder"), tr("Name of the new folder:"), tr("New folder"));
    if (!name || name->trimmed().isEmpty())
        return;
    QDir dir(m_currentPath);
    if (!dir.mkdir(name->trimmed()))
        emit errorOccurred(tr("Cannot create the folder “%1” in %2.").arg(name->trimmed(), m_currentPath));
}

void LocalPane::renameEntry(const QModelIndex &index, const QString &newName)
{
    if (!index.isValid())
        return;
    const QFileInfo info = m_model->fileInfo(index);
    const QString name = newName.trimmed();
    if (name.isEmpty() || name == info.fileName())
        return;
    if (name.contains(QLatin1Char('/')) || !QFile::rename(info.absoluteFilePath(), info.dir().filePath(name))) {
        emit errorOccurred(tr("Cannot rename “%1” to “%2”.").arg(info.fileName(), name));
        return;
    }
    m_selectWhenShown = info.dir().filePath(name);
    selectRenamedOnceShown();
}

// The file system model learns of the new name from its watcher, later: until then this waits for its rows.
void LocalPane::selectRenamedOnceShown()
{
    if (m_selectWhenShown.isEmpty())
        return;
    const QModelIndex renamed = m_model->index(m_selectWhenShown);
    if (!renamed.isValid() || m_model->fileName(renamed) != QFileInfo(m_selectWhenShown).fileName())
        return;
    m_view->setCurrentIndex(renamed);
    m_view->scrollTo(renamed);
    m_selectWhenShown.clear();
}

void LocalPane::deleteSelected()
{
    const QStringList paths = selectedPaths();
    if (paths.isEmpty())
        return;
    const QString question = paths.size() == 1
            ? tr("Move “%1” to the trash?").arg(QFileInfo(paths.first()).fileName())
            : tr("Move %n items to the trash?", nullptr, int(paths.size()));
    if (!m_dialogs->confirm(this, tr("Delete"), question, tr("Move to trash")))
        return;
    for (const QString &path : paths) {
        if (!QFile::moveToTrash(path))
            emit errorOccurred(tr("Cannot move “%1” to the trash.").arg(QFileInfo(path).fileName()));
    }
}

void LocalPane::copyPath()
{
    QStringList paths = selectedPaths();
    if (paths.isEmpty())
        paths.append(m_currentPath);
    for (QString &path : paths)
        path = QDir::toNativeSeparators(path);
    QApplication::clipboard()->setText(paths.join(QLatin1Char('\n')));
}

} // namespace ferry::gui
