#pragma once
// `ferryd user add|passwd|quota|del|list`: account administration of one data directory. Safe while the
// server runs: it re-reads users.json when the file changes.

#include <QString>
#include <QStringList>

class QTextStream;

namespace ferry {

// `args` is the command line after the global options, starting with "user", e.g.
// {"user", "add", "alice", "--quota", "10G"}. Passwords come from FERRY_PASSWORD or the terminal.
// Returns the exit code: 0 done, 1 the operation failed (unknown user, name taken, corrupt users file…),
// 2 usage error.
int runAdminCommand(const QString &dataDir, const QStringList &args, QTextStream &out, QTextStream &err);

} // namespace ferry
