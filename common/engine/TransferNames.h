#pragma once
// Names the transfer engine makes up: the local part file of a download, and "keep both" names
// ("name (1).ext", "name (2).ext", …) for a target that exists.

#include <QString>

#include <filesystem>
#include <functional>

namespace ferry {

// ".ferry-part-<name>" beside the target (or + the SHA-256 hex of the name when that would not fit in
// 255 bytes, as the server names its part files).
QString localPartPath(const QString &targetPath);

// A local path as the standard library's file functions take it.
std::filesystem::path nativePath(const QString &path);

// True when anything is at `path`: a file, a folder or a link, a dangling one too. One look (an lstat), where
// QFileInfo's exists() and isSymLink() take two: a download asks once per file.
bool localNameTaken(const QString &path);

// The k-th "keep both" variant of a file name: "a.txt" -> "a (1).txt", "archive" -> "archive (1)",
// ".bashrc" -> ".bashrc (1)".
QString numberedName(const QString &name, int number);

// The first numbered variant of `name` for which `taken` says false (up to `attempts` tries; empty if none).
QString freeName(const QString &name, const std::function<bool(const QString &candidate)> &taken,
                 int attempts = 10000);

} // namespace ferry
