// RemotePane: the operations that change the server (new folder, rename, delete), each asking through the
// DialogProvider and reporting failures in plain words. Navigation and the widgets are in RemotePane.cpp.

#include "RemotePane.h"

#include "ClientSession.h"
#include "DialogProvider.h"
#include "PaneView.h"
#include "RemoteModel.h"
#include "VirtualPath.h"

#include <QPointer>

#include <memory>

namespace ferry::gui {

void RemotePane::createFolder()
{
    const std::optional<QString> name =
            m_dialogs->askText(this, tr("New folder"), tr("Name of the new folder:"), tr("New folder"));
    if (!name || name->trimmed().isEmpty())
        return;
    const QString folder = m_currentPath;
    const QString path = join(folder, name->trimmed());
    if (const Error invalid = VirtualPath::checkSegment(name->trimmed()); invalid.isError()) {
        reportFailure(tr("Cannot create the folder “%1”").arg(name->trimmed()), invalid);
        return;
    }
    QPointer<RemotePane> self(this);
    m_session->mkdir(path, false, [self, folder, path](const Status &status) {
        if (!self)
            return;
        if (!status) {
            self->reportFailure(tr("Cannot create the folder “%1”").arg(path), status.error());
            return;
        }
        self->m_selectWhenListed = path;
        self->m_model->refreshIfLoaded(folder);
        emit self->serverChanged();
    });
}

void RemotePane::renameEntry(const QModelIndex &index, const QString &newName)
{
    if (!index.isValid())
        return;
    const QString from = m_model->pathOf(index);
    const QString oldName = m_model->entry(index).name;
    const QString name = newName.trimmed();
    if (name.isEmpty() || name == oldName)
        return;
    if (const Error invalid = VirtualPath::checkSegment(name); invalid.isError()) {
        reportFailure(tr("Cannot rename “%1” to “%2”").arg(oldName, name), invalid);
        return;
    }
    const QString folder = parentOf(from);
    const QString to = join(folder, name);
    QPointer<RemotePane> self(this);
    m_session->rename(from, to, false, [self, from, to, folder](const Status &status) {
        if (!self)
            return;
        if (!status) {
            self->reportFailure(tr("Cannot rename “%1” to “%2”").arg(from, to), status.error());
        } else {
            self->m_selectWhenListed = to;   // the row keeps its selection under its new name
            emit self->serverChanged();
        }
        self->m_model->refreshIfLoaded(folder);
    });
}

void RemotePane::deleteSelected()
{
    const QModelIndexList rows = m_view->selectedRows();
    if (rows.isEmpty())
        return;
    QStringList paths;
    bool anyFolder = false;
    for (const QModelIndex &row : rows) {
        paths.append(m_model->pathOf(row));
        anyFolder = anyFolder || m_model->isDir(row);
    }
    QString question = paths.size() == 1
            ? tr("Delete “%1” from the server?").arg(m_model->entry(rows.first()).name)
            : tr("Delete %n items from the server?", nullptr, int(paths.size()));
    if (anyFolder)
        question += QLatin1Char(' ') + tr("Folders are deleted with everything in them.");
    question += QLatin1Char(' ') + tr("This cannot be undone.");
    if (!m_dialogs->confirm(this, tr("Delete"), question, tr("Delete")))
        return;

    auto remaining = std::make_shared<int>(int(paths.size()));
    QPointer<RemotePane> self(this);
    for (const QString &path : paths) {
        m_session->remove(path, true, [self, path, remaining](const Status &status) {
            if (!self)
                return;
            if (!status)
                self->reportFailure(tr("Cannot delete “%1”").arg(path), status.error());
            self->m_model->refreshIfLoaded(parentOf(path));
            if (--*remaining == 0)
                emit self->serverChanged();
        });
    }
}

} // namespace ferry::gui
