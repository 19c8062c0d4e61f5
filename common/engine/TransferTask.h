#pragma once
// The work behind one queue item while it runs: a file upload, a file download, or a folder (created at the
// target, then listed so that its content becomes new items). The queue owns the item list; a task works on
// the queue's item itself (shared, so it outlives a row removed meanwhile) and says what it changed through
// signals, so that the queue can tell views and save the state file.
//
// Tasks never emit from inside start() or stop() callers' stacks in a way the queue has to fear: start() is
// called from the event loop, and after stop() no signal follows and the item is not touched again: the
// queue may already run a new task on it.

#include "TransferItem.h"

#include <QList>
#include <QObject>
#include <QPointer>

#include <memory>
#include <utility>

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
    static TransferTask *create(ClientSession *session, ConflictArbiter *arbiter,
                                const std::shared_ptr<TransferItem> &item, QObject *parent = nullptr);

    // What the queue asks before it starts a task for `item`.
    // Large: more than one data frame to move (or a size not known yet). Such items share one connection, so
    // running more than one at a time would not be faster.
    static bool isLarge(const TransferItem &item);
    // A small upload sends its put, data and end the moment it starts: it waits while the session's socket
    // holds more than it should, so memory stays bounded however many are queued.
    static bool waitsForRoom(const TransferItem &item, const ClientSession &session);

    const TransferItem &item() const { return *m_item; }
    bool isStopped() const { return m_stopped; }
    virtual void start() = 0;
    // Ends the work; no signal follows and the item is left as it is.
    void stop(StopReason reason);

signals:
    // Fields other than `done` changed: size, paths (a renamed target), resumedFrom, mtime, started, isDir.
    void changed();
    void progressed();
    // Items found inside a folder (ids are given by the queue).
    void childrenFound(const QList<ferry::TransferItem> &children);
    // Done, Failed, Skipped; or Queued when the session was lost (or a download turned out to be a folder).
    void finished(ferry::TransferState state, const ferry::Error &error);

protected:
    TransferTask(ClientSession *session, std::shared_ptr<TransferItem> item, QObject *parent);
    // What stop() does on the wire and on disk; m_stopped is already set.
    virtual void halt(StopReason reason) = 0;
    // Turns a failure into the item's end state: a lost connection queues the item again.
    void finishWith(const Error &error);
    // Wraps a slot for a runner's signal: it does nothing once the task was stopped, so a signal that comes
    // late never writes into an item that may be running under a new task.
    template <typename Slot>
    auto whileRunning(Slot slot)
    {
        return [this, slot](auto &&...args) -> void {
            if (!m_stopped)
                slot(std::forward<decltype(args)>(args)...);
        };
    }

    QPointer<ClientSession> m_session;
    const std::shared_ptr<TransferItem> m_item;
    bool m_stopped = false;
};

} // namespace ferry
