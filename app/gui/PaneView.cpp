#include "PaneView.h"

#include "ColumnFit.h"

#include <QDragEnterEvent>
#include <QHeaderView>
#include <QPainter>

namespace ferry::gui {

PaneView::PaneView(QWidget *parent) : QTreeView(parent)
{
    setSelectionMode(QAbstractItemView::ExtendedSelection);
    setSelectionBehavior(QAbstractItemView::SelectRows);
    setDragDropMode(QAbstractItemView::DragDrop);
    setDefaultDropAction(Qt::CopyAction);
    setDragEnabled(true);
    setAcceptDrops(true);
    viewport()->setAcceptDrops(true);
    setDropIndicatorShown(false);   // this view paints its own: the target folder, not a line between rows
    setSortingEnabled(true);
    setUniformRowHeights(true);     // essential for folders of 100 000 rows
    setAllColumnsShowFocus(true);
    setExpandsOnDoubleClick(false); // double-click enters a folder
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setContextMenuPolicy(Qt::ActionsContextMenu);
    header()->setStretchLastSection(false);
    header()->setSectionsMovable(false);
    header()->setSortIndicatorShown(true);
}

QModelIndex PaneView::dropTargetAt(const QPoint &viewportPos) const
{
    const QModelIndex under = indexAt(viewportPos);
    if (under.isValid()) {
        const QModelIndex row = under.siblingAtColumn(0);
        if (m_isFolder && m_isFolder(row) && !isParentRow(row))
            return row;
    }
    return rootIndex();
}

void PaneView::setDefaultColumnWidths(int sizeColumn, int modifiedColumn)
{
    header()->setSectionResizeMode(0, QHeaderView::Stretch);
    ColumnFit::fit(this, header(), sizeColumn, ColumnFit::sizeSamples());
    ColumnFit::fit(this, header(), modifiedColumn, ColumnFit::dateTimeSamples());
}

void PaneView::setModel(QAbstractItemModel *model)
{
    m_parentRows.clear();
    QTreeView::setModel(model);
    if (model)
        connect(model, &QAbstractItemModel::rowsInserted, this, &PaneView::noteParentRows);
}

void PaneView::setRootIndex(const QModelIndex &index)
{
    QTreeView::setRootIndex(index);
    m_parentRows.removeIf([](const QPersistentModelIndex &row) { return !row.isValid(); });
    for (const QPersistentModelIndex &row : std::as_const(m_parentRows))
        showParentRowOnlyAtTheRoot(row);
}

void PaneView::noteParentRows(const QModelIndex &folder, int first, int last)
{
    if (!m_isParentRow)
        return;
    for (int row = first; row <= last; ++row) {
        const QModelIndex child = model()->index(row, 0, folder);
        if (isParentRow(child)) {
            m_parentRows.append(child);
            showParentRowOnlyAtTheRoot(child);
        }
    }
}

void PaneView::showParentRowOnlyAtTheRoot(const QPersistentModelIndex &row)
{
    setRowHidden(row.row(), row.parent(), row.parent() != rootIndex());
}

QModelIndexList PaneView::selectedRows() const
{
    QModelIndexList rows = selectionModel() ? selectionModel()->selectedRows(0) : QModelIndexList{};
    rows.removeIf([this](const QModelIndex &row) { return isParentRow(row); });
    return rows;
}

bool PaneView::acceptCopy(QDropEvent *event)
{
    if (!m_acceptsDrop || !m_acceptsDrop(event->mimeData()) || !(event->possibleActions() & Qt::CopyAction)) {
        event->ignore();
        return false;
    }
    // Always a copy: after a "move" the source would delete files we have only queued.
    event->setDropAction(Qt::CopyAction);
    event->accept();
    return true;
}

void PaneView::dragEnterEvent(QDragEnterEvent *event)
{
    acceptCopy(event);
}

void PaneView::dragMoveEvent(QDragMoveEvent *event)
{
    if (!acceptCopy(event)) {
        setHighlight({});
        return;
    }
    const QModelIndex target = dropTargetAt(event->position().toPoint());
    setHighlight(target == rootIndex() ? QModelIndex() : target);
}

void PaneView::dragLeaveEvent(QDragLeaveEvent *event)
{
    setHighlight({});
    event->accept();
}

void PaneView::dropEvent(QDropEvent *event)
{
    setHighlight({});
    if (!acceptCopy(event))
        return;
    const QModelIndex target = dropTargetAt(event->position().toPoint());
    emit dropped(event->mimeData(), target);
}

void PaneView::startDrag(Qt::DropActions supportedActions)
{
    // Drags out of a pane only ever copy: neither the local files nor the remote ones move away.
    QTreeView::startDrag(supportedActions & Qt::CopyAction);
}

void PaneView::setHighlight(const QModelIndex &folder)
{
    if (m_highlight == folder)
        return;
    m_highlight = folder;
    viewport()->update();
}

void PaneView::paintEvent(QPaintEvent *event)
{
    QTreeView::paintEvent(event);
    if (!m_highlight.isValid())
        return;
    QRect rect = visualRect(m_highlight);
    rect.setLeft(0);
    rect.setRight(viewport()->width() - 1);
    QPainter painter(viewport());
    QColor color = palette().color(QPalette::Highlight);
    painter.setPen(QPen(color, 2));
    color.setAlpha(40);
    painter.setBrush(color);
    painter.drawRoundedRect(rect.adjusted(1, 1, -1, -1), 3, 3);
}

} // namespace ferry::gui
