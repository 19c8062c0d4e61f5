#include "QuotaGauge.h"

#include "SizeText.h"

#include <QStyle>
#include <QStyleFactory>
#include <QStyleOptionProgressBar>
#include <QStylePainter>

namespace ferry::gui {

namespace {
constexpr int Scale = 1000;   // the bar counts in per-mille: quotas do not fit an int

QColor textColorOn(const QColor &background)
{
    const double luminance = 0.299 * background.redF() + 0.587 * background.greenF() + 0.114 * background.blueF();
    return luminance < 0.55 ? QColor(Qt::white) : QColor(Qt::black);
}
}

QuotaGauge::QuotaGauge(QWidget *parent) : QProgressBar(parent)
{
    setRange(0, Scale);
    setTextVisible(true);
    setMaximumWidth(260);
    setMinimumWidth(180);
    // Fusion paints the chunk with the palette's Highlight, so the colours below show on every platform.
    if (QStyle *fusion = QStyleFactory::create(QStringLiteral("Fusion"))) {
        fusion->setParent(this);
        setStyle(fusion);
    }
    clear();
}

void QuotaGauge::setQuota(const QuotaInfo &quota)
{
    m_quota = quota;
    m_known = true;
    if (quota.limit && *quota.limit > 0) {
        const double fraction = double(quota.used) / double(*quota.limit);
        setValue(int(qBound(0.0, fraction, 1.0) * Scale));
        applyLevel(fraction >= 0.95 ? Level::Full : fraction >= 0.8 ? Level::NearlyFull : Level::Normal);
        setToolTip(tr("Used %1 of %2 (%3 free)")
                           .arg(formatSize(quota.used), formatSize(*quota.limit),
                                formatSize(qMax<qint64>(0, *quota.limit - quota.used))));
    } else {
        setValue(0);
        applyLevel(Level::Normal);
        setToolTip(tr("Used %1; this account has no quota").arg(formatSize(quota.used)));
    }
    setVisible(true);
    update();
}

void QuotaGauge::clear()
{
    m_known = false;
    setValue(0);
    applyLevel(Level::Normal);
    setToolTip(QString());
    setVisible(false);
}

QString QuotaGauge::text() const
{
    if (!m_known)
        return QString();
    if (m_quota.limit)
        return tr("%1 of %2").arg(formatSize(m_quota.used), formatSize(*m_quota.limit));
    return tr("%1 used").arg(formatSize(m_quota.used));
}

void QuotaGauge::paintEvent(QPaintEvent *)
{
    // The style's bar without its text, then the text over it: in the text colour beyond the filled part, and
    // over it in black or white, whichever reads on the bar's colour (the palette's highlighted-text colour
    // did not: dark on the blue bar here, and the orange and red levels are ours).
    QStylePainter painter(this);
    QStyleOptionProgressBar option;
    initStyleOption(&option);
    option.textVisible = false;
    painter.drawControl(QStyle::CE_ProgressBar, option);
    const QString shown = text();
    if (shown.isEmpty())
        return;
    const QRect contents = style()->subElementRect(QStyle::SE_ProgressBarContents, &option, this);
    const double fraction = double(value() - minimum()) / double(qMax(1, maximum() - minimum()));
    QRect filled = contents;
    filled.setWidth(qRound(contents.width() * qBound(0.0, fraction, 1.0)));
    if (layoutDirection() == Qt::RightToLeft)
        filled.moveRight(contents.right());
    painter.setClipRegion(QRegion(rect()) - filled);
    painter.setPen(palette().color(QPalette::Text));
    painter.drawText(rect(), Qt::AlignCenter, shown);
    painter.setClipRect(filled);
    painter.setPen(textColorOn(palette().color(QPalette::Highlight)));
    painter.drawText(rect(), Qt::AlignCenter, shown);
}

void QuotaGauge::applyLevel(Level level)
{
    m_level = level;
    QPalette pal = palette();
    switch (level) {
    case Level::Normal:
        pal = QPalette();
        break;
    case Level::NearlyFull:
        pal.setColor(QPalette::Highlight, QColor(0xe6, 0x8a, 0x00));
        break;
    case Level::Full:
        pal.setColor(QPalette::Highlight, QColor(0xc6, 0x28, 0x28));
        break;
    }
    setPalette(pal);
}

} // namespace ferry::gui
