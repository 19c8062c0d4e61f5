#pragma once
// Big writes step aside while a group of small files is made durable on the same file system. The group's sync
// (one syncfs) must also carry whatever else reaches the disk before it ends: a device's cache flush takes every
// write before it, and on ext4 the journal commit waits for the extents those writes allocate. A big upload writing
// meanwhile made one user's small files wait for another user's big file (issue 12: 0.40-0.54x their rate alone,
// 0.47-0.66x with the big writes held; PERFORMANCE.md, session 38). A writer waits only for the group syncs
// running when it came, so a stream of groups cannot starve it.

#include <QtGlobal>

#include <functional>

namespace ferry::BulkWriteGate {

// Runs `sync` (a group sync of the file system `device`, a st_dev) and returns its result; big writes to that
// file system wait meanwhile.
bool groupSync(quint64 device, const std::function<bool()> &sync);

// Before a big write to `device`: returns once every group sync of it that runs now has ended.
void awaitGroupSyncs(quint64 device);

// Writers waiting in awaitGroupSyncs() for `device` now (for tests).
int waitingWriters(quint64 device);

} // namespace ferry::BulkWriteGate
