#pragma once
// Big writes step aside while a group of small files is made durable on the same file system. The group's sync
// (one syncfs) must also carry whatever else reaches the disk before it ends: a device's cache flush takes every
// write before it, and on ext4 the journal commit waits for the extents those writes allocate; so one user's small
// files waited for another user's big upload (PERFORMANCE.md, session 38). A writer waits only for the group syncs
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
