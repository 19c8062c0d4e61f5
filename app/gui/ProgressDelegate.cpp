#include "ProgressDelegate.h"

#include "TransferQueueModel.h"

#include <QApplication>
#include <QPainter>
#include <QStyleOptionProgressBar>

namespace ferry::gui {

namespace {
constexpr int Margin = 3;   // around the bar and the text, inside the cell
constexpr int Gap = 6;      // between the bar and its text

int textWidth(const QFontMetrics &metrics)
{
    return metrics.horizontalAdvance(ProgressDelegate::widestText()) + 2;
}
} // namespace

ProgressDelegate::Layout ProgressDelegate::layout(const QRect &cell, const QFontMetrics &metrics)
{
    const QRect inner = cell.adjusted(Margin, Margin, -Margin, -Margin);
    const int width = textWidth(metrics);
    Layout parts;
    parts.text = QRect(inner.right() + 1 - width, inner.top(), width, inner.height());
    // A bar as tall as a line of text, centred: a full-height bar in a tall row looks like a button.
    const int barHeight = qMin(inner.height(), metrics.height());
    parts.bar = QRect(inner.left(), inner.top() + (inner.height() - barHeight) / 2,
                      qMax(0, parts.text.left() - Gap - inner.left()), barHeight);
    return parts;
}

void ProgressDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    // The row's background and selection first, then the bar and its text inside the cell.
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
    const Layout parts = layout(option.rect, option.fontMetrics);
    QStyleOptionProgressBar bar;
    if (widget)
        bar.initFrom(widget);
    bar.state = (option.state | QStyle::State_Horizontal) & ~QStyle::State_Selected;
    bar.rect = parts.bar;
    bar.minimum = 0;
    bar.maximum = 1000;
    bar.progress = int(fraction * 1000);
    bar.textVisible = false;
    bar.fontMetrics = option.fontMetrics;
    bar.palette = option.palette;
    style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);

    const bool selected = option.state & QStyle::State_Selected;
    style->drawItemText(painter, parts.text, Qt::AlignRight | Qt::AlignVCenter, option.palette,
                        option.state & QStyle::State_Enabled, text,
                        selected ? QPalette::HighlightedText : QPalette::Text);
}

int ProgressDelegate::minimumWidth(const QFontMetrics &metrics)
{
    // The text, and a bar at least as wide as it.
    return 2 * Margin + Gap + 2 * textWidth(metrics);
}

QSize ProgressDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(qMax(size.width(), minimumWidth(option.fontMetrics)));
    size.setHeight(qMax(size.height(), option.fontMetrics.height() + 2 * Margin + 2));
    return size;
}

} // namespace ferry::gui
