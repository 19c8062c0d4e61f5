#include "FilePane.h"

#include "PaneView.h"
#include "RenameDelegate.h"

#include <QAction>
#include <QLineEdit>

namespace ferry::gui {

FilePane::FilePane(DialogProvider *dialogs, QWidget *parent) : QWidget(parent), m_dialogs(dialogs)
{
}

void FilePane::renameSelected()
{
    const QModelIndexList rows = m_view->selectedRows();
    if (rows.size() != 1)
        return;
    m_view->setCurrentIndex(rows.first());
    m_view->edit(rows.first());
    // The view selects all of the editor's text once it is open; the extension stays out of it.
    if (auto *line = qobject_cast<QLineEdit *>(m_view->indexWidget(rows.first())))
        line->setSelection(0, RenameDelegate::selectedLength(line->text(), m_view->isFolder(rows.first())));
}

void FilePane::wireActions()
{
    auto *renamer = new RenameDelegate(m_view);
    m_view->setItemDelegateForColumn(0, renamer);
    connect(renamer, &RenameDelegate::renameRequested, this, &FilePane::renameEntry);

    connect(m_actions.open, &QAction::triggered, this, &FilePane::openSelected);
    connect(m_actions.transfer, &QAction::triggered, this, &FilePane::transferSelected);
    connect(m_actions.rename, &QAction::triggered, this, &FilePane::renameSelected);
    connect(m_actions.remove, &QAction::triggered, this, &FilePane::deleteSelected);
    connect(m_actions.newFolder, &QAction::triggered, this, &FilePane::createFolder);
    connect(m_actions.refresh, &QAction::triggered, this, &FilePane::refresh);
    connect(m_actions.copyPath, &QAction::triggered, this, &FilePane::copyPath);
    connect(m_actions.back, &QAction::triggered, this, &FilePane::goBack);
    connect(m_actions.up, &QAction::triggered, this, &FilePane::goUp);
}

} // namespace ferry::gui
