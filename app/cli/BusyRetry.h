#pragma once
// A target that "another session is writing" (busy) is most often the previous run of this very command,
// killed or interrupted a moment ago: the server lets go of the file once it has noticed the dropped
// connection, which can take a while when it still has received data to write. So `put --resume` right
// after a Ctrl-C would fail for nothing. Items that fail with busy are queued again after a growing
// delay (about 15 s in all) before the failure counts.

#include "TransferQueue.h"

#include <QHash>
#include <QObject>
#include <QSet>

namespace ferry::cli {

class BusyRetry : public QObject {
    Q_OBJECT
public:
    static constexpr int MaxAttempts = 10;
    static constexpr int FirstDelayMs = 100;
    static constexpr int MaxDelayMs = 2000;

    explicit BusyRetry(TransferQueue *queue, QObject *parent = nullptr);

    // True when `item` failed with busy and will be tried again: its failure is not final yet.
    bool retryLater(const TransferItem &item);
    // Some item waits for its next try (the job is not over even if every item looks finished).
    bool isWaiting() const { return !m_waiting.isEmpty(); }

private:
    TransferQueue *m_queue;
    QHash<qint64, int> m_attempts;
    QSet<qint64> m_waiting;
};

} // namespace ferry::cli
