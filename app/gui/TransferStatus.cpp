#include "TransferStatus.h"

#include "SizeText.h"
#include "TransferQueue.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>

namespace ferry::gui {

namespace {
constexpr int RefreshMs = 300;
}

TransferStatus::TransferStatus(TransferQueue *queue, QWidget *parent) : QWidget(parent), m_queue(queue)
{
    m_label = new QLabel;
    m_bar = new QProgressBar;
    m_bar->setRange(0, 1000);
    m_bar->setTextVisible(false);
    m_bar->setMaximumWidth(120);
    m_bar->setMaximumHeight(14);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_bar);
    layout->addWidget(m_label);

    // Queue signals can come thousands of times a second; the text follows at a human pace.
    m_timer.setInterval(RefreshMs);
    connect(&m_timer, &QTimer::timeout, this, &TransferStatus::refresh);
    const auto wake = [this] {
        if (!m_timer.isActive())
            m_timer.start();
    };
    connect(m_queue, &TransferQueue::itemsInserted, this, wake);
    connect(m_queue, &TransferQueue::itemsRemoved, this, wake);
    connect(m_queue, &TransferQueue::itemChanged, this, wake);
    connect(m_queue, &TransferQueue::idle, this, &TransferStatus::refresh);
    refresh();
}

void TransferStatus::refresh()
{
    const TransferTotals totals = m_queue->totals();
    const bool busy = !m_queue->isIdle();
    if (!busy)
        m_timer.stop();
    if (totals.filesTotal == 0) {
        m_label->clear();
        m_bar->hide();
        return;
    }
    QStringList parts;
    parts.append(tr("%1 of %n file(s)", nullptr, totals.filesTotal).arg(totals.filesDone));
    if (totals.bytesTotal > 0)   // cancelled files' bytes never move and are not counted
        parts.append(tr("%1 of %2").arg(formatSize(totals.bytesDone), formatSize(totals.bytesTotal)));
    if (busy && totals.filesActive > 0) {
        parts.append(formatRate(totals.rate));
        if (totals.etaSeconds >= 0)
            parts.append(tr("%1 left").arg(formatDuration(totals.etaSeconds)));
    }
    if (totals.filesFailed > 0)
        parts.append(tr("%n failed", nullptr, totals.filesFailed));
    if (totals.filesCancelled > 0)
        parts.append(tr("%n cancelled", nullptr, totals.filesCancelled));
    m_label->setText(parts.join(QStringLiteral(" · ")));
    m_bar->setValue(totals.bytesTotal > 0 ? int(qBound(qint64(0), totals.bytesDone * 1000 / totals.bytesTotal, qint64(1000)))
                                          : totals.filesDone * 1000 / totals.filesTotal);
    m_bar->setVisible(true);
}

QString TransferStatus::text() const
{
    return m_label->text();
}

int TransferStatus::percent() const
{
    const TransferTotals totals = m_queue->totals();
    if (totals.filesTotal == 0)
        return -1;
    if (totals.bytesTotal <= 0)
        return totals.filesDone * 100 / totals.filesTotal;
    return int(qBound(qint64(0), totals.bytesDone * 100 / totals.bytesTotal, qint64(100)));
}

} // namespace ferry::gui
