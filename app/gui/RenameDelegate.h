#pragma once
// In-place renaming in a pane's name column (F2): the editor opens with the name selected up to its
// extension, so typing replaces "holiday" of "holiday.jpg" and keeps ".jpg". The new name is not written
// into the model: the pane renames the file (and says why when it cannot) and the listing shows the result.

#include <QStyledItemDelegate>

namespace ferry::gui {

class PaneView;

class RenameDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    explicit RenameDelegate(PaneView *view);

    void setEditorData(QWidget *editor, const QModelIndex &index) const override;
    void setModelData(QWidget *editor, QAbstractItemModel *model, const QModelIndex &index) const override;

    // How much of `name` is selected for editing: a file's name without its last extension; all of a
    // folder's name, and all of a name whose only dot leads (".bashrc").
    static int selectedLength(const QString &name, bool isFolder);

signals:
    void renameRequested(const QModelIndex &index, const QString &newName);

private:
    PaneView *m_view;
};

} // namespace ferry::gui
