#pragma once
// What the window says about a transfer job before and after it runs, in plain words: whether an upload
// fits the quota (the total is known before anything is sent), and why a job's files failed.

#include "RemoteEntry.h"
#include "TransferItem.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace ferry::gui::JobMessages {

// Bytes in the files and folders (recursively) at localPaths.
qint64 localSize(const QStringList &localPaths);
// A question for the user when `bytes` more do not fit `quota`; nullopt when they fit or there is no limit.
std::optional<QString> quotaShortfall(qint64 bytes, const QuotaInfo &quota);
// Why the job's failed items failed: the first as the example, then how many more. Files refused for
// the quota are counted together with the space they needed.
QString failure(const QList<TransferItem> &items);

} // namespace ferry::gui::JobMessages
