#include "ProgressDelegate.h"

#include "TransferQueueModel.h"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>

namespace ferry::gui {

void ProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    // The row's background and selection first, then the bar inside the cell.
    QStyleOptionViewItem background = option;
    initStyleOption(&background, index);
    background.text.clear();
    const QWidget *widget = option.widget;
    QStyle *style = widget ? widget->style() : QApplication::style();
    style->drawControl(QStyle::CE_ItemViewItem, &background, painter, widget);

    const QString text = index.data(Qt::DisplayRole).toString();
    if (text.isEmpty())
        return;   // a folder to create: nothing to measure
    const QVariant progress = index.data(TransferQueueModel::ProgressRole);
    const double fraction = progress.isValid() ? qBound(0.0, progress.toDouble(), 1.0) : 0.0;
    QStyleOptionProgressBar bar;
    if (widget)
        bar.initFrom(widget);
    bar.state = option.state | QStyle::State_Horizontal;
    bar.rect = option.rect.adjusted(3, 3, -3, -3);
    bar.minimum = 0;
    bar.maximum = 1000;
    bar.progress = int(fraction * 1000);
    bar.textVisible = true;
    bar.textAlignment = Qt::AlignCenter;
    bar.text = text;
    bar.fontMetrics = option.fontMetrics;
    bar.palette = option.palette;
    // Selected rows keep a readable bar: the palette's highlight is the chunk colour, not the text's.
    bar.palette.setColor(QPalette::HighlightedText, option.palette.color(QPalette::Active, QPalette::HighlightedText));
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
}

int ProgressDelegate::minimumWidth(const QFontMetrics &metrics)
{
    return metrics.horizontalAdvance(widestText()) * 2 + 12;
}

QSize ProgressDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(qMax(size.width(), minimumWidth(option.fontMetrics)));
    size.setHeight(qMax(size.height(), option.fontMetrics.height() + 8));
    return size;
}

} // namespace ferry::gui
