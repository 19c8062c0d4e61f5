#pragma once
// The file list of a pane: a QTreeView that takes drops in its own way. A drop on a folder row goes into
// that folder; anywhere else it goes into the folder the pane shows. Which drops it takes is the pane's
// decision (acceptsDrop); the drop is always a copy, so a file manager never deletes what it handed over.

#include <QPersistentModelIndex>
#include <QTreeView>

#include <functional>

namespace ferry::gui {

class PaneView : public QTreeView {
    Q_OBJECT
public:
    explicit PaneView(QWidget *parent = nullptr);

    using DropTest = std::function<bool(const QMimeData *data)>;
    using FolderTest = std::function<bool(const QModelIndex &index)>;
    void setDropTest(DropTest test) { m_acceptsDrop = std::move(test); }
    void setFolderTest(FolderTest test) { m_isFolder = std::move(test); }
    // Which row is the ".." row: never part of selectedRows(), and a drop on it goes into the folder shown.
    // Only the folder shown has one: inside an unfolded subfolder it would repeat that folder's own row.
    void setParentRowTest(FolderTest test) { m_isParentRow = std::move(test); }
    bool isParentRow(const QModelIndex &index) const { return m_isParentRow && m_isParentRow(index); }

    // The folder a drop at `viewportPos` goes into: a folder row under it, else rootIndex().
    QModelIndex dropTargetAt(const QPoint &viewportPos) const;
    // Name stretches; size and date columns just wide enough for their widest text in this locale and font
    // (ColumnFit), and the user can drag them.
    void setDefaultColumnWidths(int sizeColumn, int modifiedColumn);
    bool isFolder(const QModelIndex &index) const { return m_isFolder && m_isFolder(index); }
    // Column-0 indexes of the selected rows, the ".." row left out.
    QModelIndexList selectedRows() const;

    void setModel(QAbstractItemModel *model) override;
    void setRootIndex(const QModelIndex &index) override;

signals:
    void dropped(const QMimeData *data, const QModelIndex &targetFolder);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dragMoveEvent(QDragMoveEvent *event) override;
    void dragLeaveEvent(QDragLeaveEvent *event) override;
    void dropEvent(QDropEvent *event) override;
    void paintEvent(QPaintEvent *event) override;
    void startDrag(Qt::DropActions supportedActions) override;

private:
    bool acceptCopy(QDropEvent *event);
    void setHighlight(const QModelIndex &folder);
    void noteParentRows(const QModelIndex &folder, int first, int last);
    void showParentRowOnlyAtTheRoot(const QPersistentModelIndex &row);

    DropTest m_acceptsDrop;
    FolderTest m_isFolder;
    FolderTest m_isParentRow;
    QPersistentModelIndex m_highlight;   // the folder row a drag hovers over
    QList<QPersistentModelIndex> m_parentRows;   // every ".." row listed so far
};

} // namespace ferry::gui
