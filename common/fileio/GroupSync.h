#pragma once
// Makes a commit durable while sharing the disk's work among commits made at the same time (as databases group
// their commits): a caller waits for a sync that started after it asked, and starts one only when none is
// running. Both calls return 0, or the errno of a failed open or sync.

#include <QList>
#include <QString>

namespace ferry::GroupSync {

// Call once a file's data is written; returns when it is on disk. Alone, that is an fdatasync of the file. With
// other files of the same file system waiting, one syncfs covers them all: a journalled file system then commits
// once for the group, and one without a journal writes the group's inodes in one pass instead of one at a time.
int afterWrites(int fd);

// For a caller that gathered a group itself: makes the data of all these files durable, with one file's own
// fdatasync, or one syncfs per file system for several. Each file's 0 or errno, in order.
QList<int> syncData(const QList<int> &fds);

// Call after renaming into `folder`; returns once a sync of the folder that started after the call completed.
// A file's data is synced before its rename, but the new name is part of the folder: until the folder is synced,
// a crash can lose it (the data then stays under the part file's name while the transfer was reported done).
int afterRename(const QString &folder);

} // namespace ferry::GroupSync
