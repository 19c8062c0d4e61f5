#pragma once
// Raises the process's soft limit of open files to its hard limit, as systemd advises services to do
// themselves: transfers hold part files open (ferryd: every upload in flight, ferry's clients pipeline up to
// 1 024 small uploads per session; the client: up to 512 small downloads), and the usual soft limit of 1 024
// runs out. Qt's event loops use poll(), never select(), so descriptors above 1 024 are safe.

namespace ferry {

void raiseOpenFileLimit();

} // namespace ferry
