#pragma once
// Paints the transfers table's progress column as a real progress bar of the current style
// (QStyleOptionProgressBar), from TransferQueueModel::ProgressRole (0..1) and the display text.

#include <QStyledItemDelegate>

namespace ferry::gui {

class ProgressDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The widest text a bar shows, and the width that leaves a bar visible around it.
    static QString widestText() { return QStringLiteral("100 %"); }
    static int minimumWidth(const QFontMetrics &metrics);
};

} // namespace ferry::gui
