#include "ConflictRules.h"

#include <QCoreApplication>

namespace ferry {

ConflictPolicy settleConditional(ConflictPolicy policy, const FileFacts &source, const FileFacts &existing)
{
    switch (policy) {
    case ConflictPolicy::OverwriteIfNewer:
        // To the second: file systems and the wire keep different precisions below that.
        if (source.mtimeMs <= 0 || existing.mtimeMs <= 0)
            return ConflictPolicy::Skip;
        return source.mtimeMs / 1000 > existing.mtimeMs / 1000 ? ConflictPolicy::Overwrite : ConflictPolicy::Skip;
    case ConflictPolicy::OverwriteIfSizeDiffers:
        if (source.size < 0 || existing.size < 0)
            return ConflictPolicy::Skip;
        return source.size != existing.size ? ConflictPolicy::Overwrite : ConflictPolicy::Skip;
    default:
        return policy;
    }
}

bool skipsIdenticalTarget(ConflictPolicy policy)
{
    return policy == ConflictPolicy::Ask || policy == ConflictPolicy::OverwriteIfNewer
            || policy == ConflictPolicy::OverwriteIfSizeDiffers;
}

bool isCompleteCopy(const FileFacts &source, const FileFacts &target)
{
    if (source.size < 0 || source.size != target.size || source.mtimeMs < 0 || target.mtimeMs < 0)
        return false;
    return source.mtimeMs / 1000 == target.mtimeMs / 1000;
}

Error skipReason(ConflictPolicy chosen)
{
    switch (chosen) {
    case ConflictPolicy::OverwriteIfNewer:
        return Error::make(SkipReason::NotNewer, QCoreApplication::translate("ConflictRules",
            "The file already there is as new or newer; it was left alone."));
    case ConflictPolicy::OverwriteIfSizeDiffers:
        return Error::make(SkipReason::SameSize, QCoreApplication::translate("ConflictRules",
            "The file already there has the same size; it was left alone."));
    default:
        return Error::make(SkipReason::Chosen, QCoreApplication::translate("ConflictRules",
            "A file with that name is already there; skipping it was chosen."));
    }
}

} // namespace ferry
