#include "RenameDelegate.h"

#include "PaneView.h"

#include <QLineEdit>

namespace ferry::gui {

RenameDelegate::RenameDelegate(PaneView *view) : QStyledItemDelegate(view), m_view(view)
{
}

int RenameDelegate::selectedLength(const QString &name, bool isFolder)
{
    const int dot = name.lastIndexOf(QLatin1Char('.'));
    return isFolder || dot <= 0 ? int(name.size()) : dot;
}

void RenameDelegate::setEditorData(QWidget *editor, const QModelIndex &index) const
{
    auto *line = qobject_cast<QLineEdit *>(editor);
    if (!line) {
        QStyledItemDelegate::setEditorData(editor, index);
        return;
    }
    const QString name = index.data(Qt::DisplayRole).toString();
    line->setText(name);
    line->setSelection(0, selectedLength(name, m_view->isFolder(index)));   // FilePane repeats it once open
}

void RenameDelegate::setModelData(QWidget *editor, QAbstractItemModel *, const QModelIndex &index) const
{
    const auto *line = qobject_cast<QLineEdit *>(editor);
    if (!line)
        return;
    const QString name = line->text().trimmed();
    if (name.isEmpty() || name == index.data(Qt::DisplayRole).toString())
        return;
    // Emitted from a const override: the signal changes nothing in the delegate itself.
    emit const_cast<RenameDelegate *>(this)->renameRequested(QPersistentModelIndex(index), name);
}

} // namespace ferry::gui
