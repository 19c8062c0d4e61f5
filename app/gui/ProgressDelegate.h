#pragma once
// Paints the transfers table's progress column as a progress bar of the current style
// (QStyleOptionProgressBar), from TransferQueueModel::ProgressRole (0..1), with the display text ("33 %")
// beside the bar rather than over it: a style's bar text sits on the chunk's colour in one part and on the
// groove's in the other, which made it hard to read (FileZilla and qBittorrent keep it readable too).

#include <QStyledItemDelegate>

namespace ferry::gui {

class ProgressDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // Where the bar and its text go in a cell: the bar on the left, the text right-aligned after it.
    struct Layout {
        QRect bar;
        QRect text;
    };
    static Layout layout(const QRect &cell, const QFontMetrics &metrics);

    // The widest text a bar shows, and the width that leaves a bar visible beside it.
    static QString widestText() { return QStringLiteral("100 %"); }
    static int minimumWidth(const QFontMetrics &metrics);
};

} // namespace ferry::gui
