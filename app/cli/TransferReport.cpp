#include "TransferReport.h"

#include "ErrorText.h"
#include "Protocol.h"
#include "SizeText.h"

namespace ferry::cli {

void TransferTally::add(const TransferItem &item)
{
    if (item.state == TransferState::Failed) {
        ++failed;
        return;
    }
    if (item.isDir)
        return;
    if (item.state == TransferState::Skipped && item.error.code == SkipReason::Complete) {
        ++complete;
    } else if (item.state == TransferState::Done) {
        ++files;
        bytes += qMax<qint64>(0, item.size);
        resumed += qBound<qint64>(0, item.resumedFrom, qMax<qint64>(0, item.size));
    } else if (item.state == TransferState::Queued || item.state == TransferState::Running
               || item.state == TransferState::Paused) {
        ++unfinished;
    }
}

QString TransferReport::failure(const TransferItem &item)
{
    const bool upload = item.direction == TransferDirection::Upload;
    const QString &target = upload ? item.remotePath : item.localPath;
    QString reason;
    if (item.error.code == ErrorCode::Exists && !item.isDir) {   // for folders neither flag would help
        reason = tr("'%1' already exists (use --overwrite to replace it, or --resume to continue an interrupted "
                    "transfer)")
                         .arg(target);
    } else if (item.error.code == ErrorCode::IoError && !item.error.message.isEmpty()) {
        // The engine's own words name the file and the system's reason (local or on the server).
        reason = item.error.message;
    } else {
        reason = ErrorText::reason(item.error);
    }
    if (item.isDir) {
        return upload ? tr("cannot upload folder '%1' to '%2': %3").arg(item.localPath, item.remotePath, reason)
                      : tr("cannot download folder '%1' to '%2': %3").arg(item.remotePath, item.localPath, reason);
    }
    return upload ? tr("cannot upload '%1' to '%2': %3").arg(item.localPath, item.remotePath, reason)
                  : tr("cannot download '%1' to '%2': %3").arg(item.remotePath, item.localPath, reason);
}

QString TransferReport::fileCount(int count)
{
    return count == 1 ? tr("1 file") : tr("%1 files").arg(count);
}

QString TransferReport::duration(qint64 elapsedMs)
{
    if (elapsedMs < 60 * 1000)
        return tr("%1 s").arg(double(elapsedMs) / 1000.0, 0, 'f', 1);
    return formatDuration(elapsedMs / 1000);
}

QString TransferReport::summary(TransferDirection direction, const TransferTally &tally, qint64 elapsedMs)
{
    const double seconds = qMax<qint64>(1, elapsedMs) / 1000.0;
    const QString what = direction == TransferDirection::Upload ? tr("Uploaded %1, %2 in %3 (%4)")
                                                                : tr("Downloaded %1, %2 in %3 (%4)");
    QString text = what.arg(fileCount(tally.files), formatSize(tally.sent()), duration(elapsedMs),
                            formatRate(double(tally.sent()) / seconds));
    if (tally.resumed > 0)
        text += tr("; %1 resumed (not sent again)").arg(formatSize(tally.resumed));
    if (tally.complete > 0)
        text += tr("; %1 already complete").arg(fileCount(tally.complete));
    if (tally.failed > 0)
        text += tr("; %1 failed").arg(tally.failed);
    if (tally.unfinished > 0)
        text += tr("; %1 not finished").arg(fileCount(tally.unfinished));
    return text;
}

} // namespace ferry::cli
