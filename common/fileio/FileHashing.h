#pragma once
// Hashing a file's prefix in bounded steps, so that resuming a huge transfer (which first hashes the bytes
// already at the target) never freezes the thread's event loop for long: callers run one step per turn.

#include <QFile>

namespace ferry {

class Sha256;

enum class HashStep { More, Done, Failed };

// Reads `file` from its current position up to `end`, feeding `hash`, at most `budgetBytes` per call.
HashStep hashFileStep(QFile &file, qint64 end, Sha256 &hash, qint64 budgetBytes = 64 * 1024 * 1024);

} // namespace ferry
