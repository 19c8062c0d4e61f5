#pragma once
// The per-file half of conflict handling: the conditional answers ("overwrite if newer", "if the size
// differs") become Overwrite or Skip once both files are known, and which answers first look whether the
// target is the very same file (same size and SHA-256), which is skipped without asking.

#include "TransferItem.h"

namespace ferry {

struct FileFacts {
    qint64 size = -1;       // -1: unknown
    qint64 mtimeMs = -1;    // -1 (or 0): unknown
};

// OverwriteIfNewer / OverwriteIfSizeDiffers -> Overwrite or Skip; any other policy is returned as it is.
// What cannot be compared (an unknown size or time) keeps the target: Skip loses nothing.
ConflictPolicy settleConditional(ConflictPolicy policy, const FileFacts &source, const FileFacts &existing);

// Why a target was left alone, for the answer the user gave (`chosen`: before settleConditional); the
// item's error when it ends Skipped, so the row and the Log say it.
Error skipReason(ConflictPolicy chosen);

// Policies under which an identical target is skipped without asking (Overwrite, Resume and Rename were
// chosen knowing the target is there; Skip and Fail do not transfer anyway).
bool skipsIdenticalTarget(ConflictPolicy policy);

// For Resume: the target is a finished copy of the source when both sizes and the modification times (to
// the second: file systems differ below that) agree. Transfers keep the mtime, so an interrupted folder
// transfer resumed later leaves the files it finished alone.
bool isCompleteCopy(const FileFacts &source, const FileFacts &target);

} // namespace ferry
