#pragma once
// Uploads one file item: chooses the put mode from the item's conflict policy, and when the server says the
// target exists (mode new), applies the policy: fail, skip, overwrite, resume, keep both under a free
// "name (n).ext", or ask (through the ConflictArbiter). A restarted item (started) continues the server's
// part file with mode resume; if those bytes turn out not to be the local file's (it changed meanwhile:
// checksum_mismatch, and the server drops its part file), the upload starts over once from zero. Before a
// resume it checks that the target is still what the user agreed to replace (or absent); anything else is
// a conflict like any other. A target with the same size and SHA-256 is skipped without asking (policies
// Ask and the conditional ones). Cancel deletes the server's part file (cancel with discard).

#include "TransferTask.h"
#include "RemoteEntry.h"
#include "UploadRunner.h"

#include <optional>

namespace ferry {

class UploadTask : public TransferTask {
    Q_OBJECT
public:
    UploadTask(ClientSession *session, ConflictArbiter *arbiter, std::shared_ptr<TransferItem> item,
               QObject *parent = nullptr);

    void start() override;

protected:
    void halt(StopReason reason) override;

private:
    void run(UploadRunner::Mode mode);
    void onFinished(const Status &status);
    void checkTargetBeforeResume();
    // Policy Resume on a fresh item: a stat first, so a target that is already complete is left alone.
    void resumeUnlessComplete();
    bool skipIfComplete();   // true: ended Skipped (complete)
    void onExists(const Error &error);
    // The target exists (entry: what the server holds): the policy decides, or the user through the arbiter.
    void settle(const Result<RemoteEntry> &entry, const Error &existsError);
    // Same size and a hash the server knows: hashes the local file; identical -> Skipped, else settle() again.
    void skipIfIdentical(const RemoteEntry &entry, const Error &existsError);
    void apply(ConflictPolicy policy, const Error &existsError);
    void renameAndRun();
    // The item will not continue its earlier attempt (skipped, or renamed): the server's part file goes.
    void discardEarlierPart();

    QPointer<ConflictArbiter> m_arbiter;
    UploadRunner *m_runner = nullptr;
    UploadRunner::Mode m_mode = UploadRunner::Mode::New;
    std::optional<ConflictPolicy> m_decided;   // the answer already given for this item
    std::optional<RemoteEntry> m_existing;     // the target the user was asked about
    int m_renames = 0;
    bool m_restartedFromZero = false;
    bool m_identityChecked = false;
};

} // namespace ferry
