#include "ActivityLog.h"

#include "Messages.h"
#include "TransferQueue.h"

#include <QDateTime>
#include <QFontDatabase>

namespace ferry::gui {

ActivityLog::ActivityLog(QWidget *parent) : QPlainTextEdit(parent)
{
    setReadOnly(true);
    setMaximumBlockCount(MaxLines);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
}

void ActivityLog::add(Kind kind, const QString &text)
{
    if (text.isEmpty())
        return;
    const QString time = QTime::currentTime().toString(QStringLiteral("HH:mm:ss"));
    const QString tag = kind == Kind::Error ? tr("Error:") : kind == Kind::Transfer ? tr("Transfer:") : tr("Status:");
    appendPlainText(QStringLiteral("%1  %2 %3").arg(time, tag, text));
}

void ActivityLog::follow(TransferQueue *queue)
{
    connect(queue, &TransferQueue::itemChanged, this, [this, queue](int row) { onItemChanged(queue, row); });
}

void ActivityLog::onItemChanged(TransferQueue *queue, int row)
{
    const TransferItem &item = queue->at(row);
    if (!item.isFinished() || item.isDir) {
        m_logged.remove(item.id);   // running again (a retry): its next end is news
        return;
    }
    if (m_logged.value(item.id, TransferState::Queued) == item.state)
        return;
    m_logged.insert(item.id, item.state);
    const QString &source = item.direction == TransferDirection::Upload ? item.localPath : item.remotePath;
    const QString &target = item.direction == TransferDirection::Upload ? item.remotePath : item.localPath;
    const QString route = QStringLiteral("%1 \u2192 %2").arg(source, target);
    if (item.state == TransferState::Failed) {
        add(Kind::Error, tr("%1: %2.").arg(route, Messages::reason(item.error)));
    } else if (item.state == TransferState::Skipped) {
        // Why nothing moved: already complete, identical, not newer, same size, or skipping was chosen (an item
        // restored from an older queue file may have no reason).
        const QString why = item.error.message.isEmpty() ? tr("the target was left alone.") : item.error.message;
        add(Kind::Transfer, tr("%1: %2 \u2014 %3").arg(route, transferStateName(item.state), why));
    } else {
        add(Kind::Transfer, tr("%1: %2").arg(route, transferStateName(item.state)));
    }
}

QStringList ActivityLog::lines() const
{
    return toPlainText().split(QLatin1Char('\n'), Qt::SkipEmptyParts);
}

} // namespace ferry::gui
