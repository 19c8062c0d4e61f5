#pragma once
// The transfer queue's state file: the items of unfinished jobs as JSON, written atomically (QSaveFile).
// Saves are throttled (at most one a second; flush() writes at once), because a queue of thousands of
// small files changes state thousands of times a second. The JSON is made on the caller's thread, and written
// (with the sync that makes it durable) on a thread of its own, in order: a sync can take a while when a big
// transfer keeps the disk busy, and the caller's thread runs the window.
//
//   { "version": 1, "items": [ TransferItem::toJson(), … ] }

#include "TransferItem.h"

#include <QObject>
#include <QThreadPool>
#include <QTimer>

#include <functional>

namespace ferry {

class TransferStateFile : public QObject {
    Q_OBJECT
public:
    static constexpr int SaveDelayMs = 1000;

    // `snapshot` returns what to save when the delayed save runs.
    TransferStateFile(std::function<QList<TransferItem>()> snapshot, QObject *parent = nullptr);
    ~TransferStateFile() override;

    void setPath(const QString &path);
    QString path() const { return m_path; }

    // Something changed: saves within SaveDelayMs.
    void markDirty();
    // Saves now if something changed since the last save, and waits until every save is on disk.
    void flush();
    // The items saved at path(); an error when the file exists but cannot be read or parsed. A missing
    // file is an empty list.
    Result<QList<TransferItem>> load() const;

private:
    void save();

    std::function<QList<TransferItem>()> m_snapshot;
    QString m_path;
    QTimer m_timer;
    bool m_dirty = false;
    QThreadPool m_writer;   // one thread: the saves land in the order they were made
};

} // namespace ferry
