#pragma once
// The work behind one queue item while it runs: a file upload, a file download, or a folder (created at the
// target, then listed so that its content becomes new items). The queue owns the item list; a task works on
// its own copy of the item and reports what changed through signals.
//
// Tasks never emit from inside start() or stop() callers' stacks in a way the queue has to fear: start() is
// called from the event loop, and after stop() no signal follows.

#include "TransferItem.h"

#include <QList>
#include <QObject>
#include <QPointer>

namespace ferry {

class ClientSession;
class ConflictArbiter;

class TransferTask : public QObject {
    Q_OBJECT
public:
    enum class StopReason {
        Pause,      // end the request on the wire, keep every part file
        Cancel,     // the same, and remove the local part file of a download
        Interrupt,  // the session is gone: nothing to say on the wire
    };

    // The task for `item`: folder, upload or download.
    static TransferTask *create(ClientSession *session, ConflictArbiter *arbiter, const TransferItem &item,
                                QObject *parent = nullptr);

    const TransferItem &item() const { return m_item; }
    bool isStopped() const { return m_stopped; }
    virtual void start() = 0;
    virtual void stop(StopReason reason) = 0;

signals:
    // Fields other than `done` changed: size, paths (a renamed target), resumedFrom, mtime, started, isDir.
    void changed();
    void progressed();
    // Items found inside a folder (ids are given by the queue).
    void childrenFound(const QList<ferry::TransferItem> &children);
    // Done, Failed, Skipped; or Queued when the session was lost (or a download turned out to be a folder).
    void finished(ferry::TransferState state, const ferry::Error &error);

protected:
    TransferTask(ClientSession *session, const TransferItem &item, QObject *parent);
    // Turns a failure into the item's end state: a lost connection queues the item again.
    void finishWith(const Error &error);

    QPointer<ClientSession> m_session;
    TransferItem m_item;
    bool m_stopped = false;
};

} // namespace ferry
