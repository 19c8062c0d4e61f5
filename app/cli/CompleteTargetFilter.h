#pragma once
// For put/get --resume: a target that already exists with the source's size and modification time (to
// the second; transfers keep the mtime) is complete, and is left alone instead of sent again. Without
// this, resuming an interrupted folder transfer would send every finished file once more (the queue's
// Resume policy continues a part file when there is one and otherwise starts over and replaces).
//
// The filter watches the queue's new items: an upload item is held back (paused) while a stat looks at
// its remote target, then queued again or cancelled as complete; a download item's local target is
// looked at on the spot. Any other existing target is resumed/replaced by the queue as usual.

#include "RemoteEntry.h"
#include "TransferQueue.h"

#include <QHash>
#include <QObject>
#include <QPointer>
#include <QSet>

namespace ferry {
class ClientSession;
}

namespace ferry::cli {

class CompleteTargetFilter : public QObject {
    Q_OBJECT
public:
    CompleteTargetFilter(ClientSession *session, TransferQueue *queue, QObject *parent = nullptr);

    // What a download source is, for items that do not know their size yet (the command's own arguments).
    void addKnownSource(const QString &remotePath, const RemoteEntry &entry);
    bool isComplete(qint64 itemId) const { return m_complete.contains(itemId); }
    int completeCount() const { return int(m_complete.size()); }

    // Same size, and the same modification time to the second (file systems differ below that).
    static bool sameFile(qint64 size, qint64 mtimeMs, qint64 otherSize, qint64 otherMtimeMs);

private:
    void onItemsInserted(int first, int last);
    void checkUpload(qint64 itemId, const QString &remotePath, qint64 size, qint64 mtimeMs);
    bool downloadTargetIsComplete(const TransferItem &item) const;
    void markComplete(qint64 itemId);

    QPointer<ClientSession> m_session;
    TransferQueue *m_queue;
    QHash<QString, RemoteEntry> m_knownSources;
    QSet<qint64> m_complete;
};

} // namespace ferry::cli
