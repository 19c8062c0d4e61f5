#pragma once
// Uploads one file item: chooses the put mode from the item's conflict policy, and when the server says the
// target exists (mode new), applies the policy: fail, skip, overwrite, resume, keep both under a free
// "name (n).ext", or ask (through the ConflictArbiter). A restarted item (started) continues the server's
// part file with mode resume; if those bytes turn out not to be the local file's (it changed meanwhile:
// checksum_mismatch, and the server drops its part file), the upload starts over once from zero.

#include "TransferTask.h"
#include "UploadRunner.h"

namespace ferry {

class UploadTask : public TransferTask {
    Q_OBJECT
public:
    UploadTask(ClientSession *session, ConflictArbiter *arbiter, const TransferItem &item, QObject *parent = nullptr);

    void start() override;
    void stop(StopReason reason) override;

private:
    void run(UploadRunner::Mode mode);
    void onFinished(const Status &status);
    void onExists(const Error &error);
    void apply(ConflictPolicy policy, const Error &existsError);
    void renameAndRun();

    QPointer<ConflictArbiter> m_arbiter;
    UploadRunner *m_runner = nullptr;
    UploadRunner::Mode m_mode = UploadRunner::Mode::New;
    std::optional<ConflictPolicy> m_decided;   // the answer already given for this item
    int m_renames = 0;
    bool m_restartedFromZero = false;
};

} // namespace ferry
