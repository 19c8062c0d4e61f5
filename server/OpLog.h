#pragma once
// One log line per operation: time, peer, user, op, path, bytes, result.

#include <QString>

namespace ferry {

struct OpLogLine {
    QString peer;
    QString user;
    QString op;
    QString path;
    qint64 bytes = -1;     // -1: not applicable
    QString result;        // "ok" or an error code
};

void writeOpLog(const OpLogLine &line);
// Server-wide switch (tests and benchmarks may turn it off).
void setOpLogEnabled(bool enabled);

} // namespace ferry
