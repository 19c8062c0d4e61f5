#pragma once
// Bulk threads (an upload's reader on the client, a big upload's hasher in ferryd) run at a lower CPU priority
// than the threads that move the data: on a busy machine the event loops (the GUI's, ferryd's sessions) go
// first, and the bulk thread, which works ahead of them, catches up while a core is free (PERFORMANCE.md).

namespace ferry {

// The calling thread's nice value goes BulkNiceness above what it was (at most 19); Linux keeps one per thread.
// Best effort: nothing happens where that is not possible.
inline constexpr int BulkNiceness = 10;
void lowerThisThreadsPriority();

} // namespace ferry
