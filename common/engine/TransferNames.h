#pragma once
// Names the transfer engine makes up: the local part file of a download, and "keep both" names
// ("name (1).ext", "name (2).ext", …) for a target that exists.

#include <QString>

#include <functional>

namespace ferry {

// ".ferry-part-<name>" beside the target (or + the SHA-256 hex of the name when that would not fit in
// 255 bytes, as the server names its part files).
QString localPartPath(const QString &targetPath);

// The k-th "keep both" variant of a file name: "a.txt" -> "a (1).txt", "archive" -> "archive (1)",
// ".bashrc" -> ".bashrc (1)".
QString numberedName(const QString &name, int number);

// The first numbered variant of `name` for which `taken` says false (up to `attempts` tries; empty if none).
QString freeName(const QString &name, const std::function<bool(const QString &candidate)> &taken,
                 int attempts = 10000);

} // namespace ferry
