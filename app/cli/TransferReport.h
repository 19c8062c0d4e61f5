#pragma once
// The sentences ferry-cli prints about transfers: why one file failed, and the summary at the end.

#include "TransferItem.h"

#include <QCoreApplication>

namespace ferry::cli {

// What a finished put/get did, counted over its items.
struct TransferTally {
    int files = 0;          // files that arrived (Done)
    int complete = 0;       // --resume: files whose target was already complete, left alone
    int failed = 0;         // files and folders that failed
    int unfinished = 0;     // files still queued or running (interrupted, connection lost)
    qint64 bytes = 0;       // size of the files that arrived
    qint64 resumed = 0;     // of those, bytes that were already there (part files continued)

    void add(const TransferItem &item);
    qint64 sent() const { return bytes - resumed; }
};

class TransferReport {
    Q_DECLARE_TR_FUNCTIONS(ferry::cli::TransferReport)
public:
    // "cannot upload '/home/me/a.txt' to '/docs/a.txt': already exists (…)" for a Failed item.
    static QString failure(const TransferItem &item);
    // "Uploaded 3 files, 200 MiB in 1.2 s (166 MiB/s); 62.0 MiB resumed; 1 failed"
    static QString summary(TransferDirection direction, const TransferTally &tally, qint64 elapsedMs);
    // "1 file" / "3 files"
    static QString fileCount(int count);
    // "0.4 s", "12.0 s", "3 min 05 s"
    static QString duration(qint64 elapsedMs);
};

} // namespace ferry::cli
