#pragma once
// Makes the renames into a folder durable: an fsync of the folder after them. A file's data is synced before
// its rename, but the new name is part of the folder, and until the folder is synced a crash can lose it
// (the data then stays under the part file's name while the transfer was reported done). Commits that rename
// into the same folder at the same time share one fsync: a caller waits for a sync that started after its own
// rename, and starts one only when none is running (as databases group their commits).

#include <QString>

namespace ferry {

class FolderSync {
public:
    // Call after renaming into `folder`; returns once a sync of the folder that started after the call
    // completed. 0, or the errno of a failed open or fsync.
    static int afterRename(const QString &folder);
};

} // namespace ferry
