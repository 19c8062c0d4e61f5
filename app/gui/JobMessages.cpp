#include "JobMessages.h"

#include "Messages.h"
#include "Protocol.h"
#include "SizeText.h"

#include <QCoreApplication>
#include <QDirIterator>
#include <QFileInfo>

namespace ferry::gui::JobMessages {

qint64 localSize(const QStringList &localPaths)
{
    qint64 total = 0;
    for (const QString &path : localPaths) {
        const QFileInfo info(path);
        if (info.isFile()) {
            total += info.size();
            continue;
        }
        QDirIterator it(path, QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            it.next();
            total += it.fileInfo().size();
        }
    }
    return total;
}

std::optional<QString> quotaShortfall(qint64 bytes, const QuotaInfo &quota)
{
    if (!quota.limit)
        return std::nullopt;
    const qint64 free = qMax<qint64>(0, *quota.limit - quota.used);
    if (bytes <= free)
        return std::nullopt;
    return QCoreApplication::translate("JobMessages", "This upload needs %1, but only %2 is free in your quota "
                                                      "(%3 more is needed). Files that do not fit will fail.")
            .arg(formatSize(bytes), formatSize(free), formatSize(bytes - free));
}

QString failure(const QList<TransferItem> &items)
{
    const TransferItem *first = nullptr;
    int failed = 0;
    int overQuota = 0;
    qint64 overQuotaBytes = 0;
    for (const TransferItem &item : items) {
        if (item.state != TransferState::Failed)
            continue;
        ++failed;
        if (!first)
            first = &item;
        if (item.error.code == ErrorCode::QuotaExceeded) {
            ++overQuota;
            overQuotaBytes += qMax<qint64>(0, item.size);
        }
    }
    if (!first)
        return {};
    if (overQuota > 1) {
        // One file's "needed" says little when many did not fit: their sizes together do.
        QString message = QCoreApplication::translate("JobMessages", "%n file(s) did not fit in your quota (%1 more "
                                                                     "is needed).", nullptr, overQuota)
                                  .arg(formatSize(overQuotaBytes));
        if (failed > overQuota) {
            message += QLatin1Char(' ')
                       + QCoreApplication::translate("JobMessages", "%n more file(s) failed for other reasons.",
                                                     nullptr, failed - overQuota);
        }
        return message;
    }
    const QString what = first->direction == TransferDirection::Upload
            ? QCoreApplication::translate("JobMessages", "Cannot upload “%1”").arg(first->name())
            : QCoreApplication::translate("JobMessages", "Cannot download “%1”").arg(first->name());
    QString message = Messages::failure(what, first->error);
    if (failed > 1) {
        const int more = failed - 1;
        message += QLatin1Char(' ')
                   + QCoreApplication::translate("JobMessages", "%n more file(s) of this transfer failed too.", nullptr, more);
    }
    return message;
}

} // namespace ferry::gui::JobMessages
