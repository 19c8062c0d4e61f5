#include "ColumnFit.h"

#include "SizeText.h"

#include <QAbstractItemView>
#include <QDateTime>
#include <QHeaderView>
#include <QLocale>
#include <QStyleOptionViewItem>

namespace ferry::gui::ColumnFit {

namespace {
constexpr int Slack = 2;   // rounding of fractional glyph advances
}

int width(const QAbstractItemView *view, const QHeaderView *header, int section, const QStringList &samples)
{
    // What QStyledItemDelegate::sizeHint() measures for a plain text cell.
    QStyleOptionViewItem option;
    option.initFrom(view);
    option.font = view->font();
    option.fontMetrics = view->fontMetrics();
    option.features = QStyleOptionViewItem::HasDisplay;
    option.displayAlignment = Qt::AlignLeft | Qt::AlignVCenter;
    option.textElideMode = view->textElideMode();
    int widest = header->sectionSizeHint(section);
    for (const QString &sample : samples) {
        option.text = sample;
        const QSize size = view->style()->sizeFromContents(QStyle::CT_ItemViewItem, &option, QSize(), view);
        widest = qMax(widest, size.width() + Slack);
    }
    return widest;
}

void fit(QAbstractItemView *view, QHeaderView *header, int section, const QStringList &samples)
{
    header->setSectionResizeMode(section, QHeaderView::Interactive);
    header->resizeSection(section, width(view, header, section, samples));
}

QStringList sizeSamples()
{
    // Below 100 of a unit there is one decimal ("99.9 MiB"), from 100 on none ("1023 MiB").
    QStringList samples{formatSize(1023)};
    for (qint64 unit = 1024; unit <= (qint64(1) << 40); unit *= 1024)
        samples << formatSize(1023 * unit) << formatSize(qint64(99.9 * double(unit)));
    return samples;
}

QStringList rateSamples()
{
    QStringList samples{formatRate(1023)};
    for (double unit = 1024; unit <= double(qint64(1) << 40); unit *= 1024)
        samples << formatRate(1023 * unit) << formatRate(99.9 * unit);
    return samples;
}

QStringList durationSamples()
{
    return {formatDuration(59), formatDuration(59 * 60 + 59), formatDuration(99 * 3600 + 59 * 60)};
}

QStringList dateTimeSamples()
{
    // Digits are about as wide as each other, month names and AM/PM are not.
    const QLocale locale;
    QStringList samples;
    for (int month = 1; month <= 12; ++month) {
        for (int hour : {10, 23})
            samples << locale.toString(QDateTime(QDate(2000, month, 28), QTime(hour, 58, 58)), QLocale::ShortFormat);
    }
    return samples;
}

} // namespace ferry::gui::ColumnFit
