#pragma once
// Downloads one file item: learns what the remote path is when the queue does not know yet (a stat: a
// folder turns the item into a folder item), settles a local target that exists by the item's policy, and
// runs the get into the part file. Resume continues only from our own part file (".ferry-part-<name>"),
// never from a smaller file that exists under the target name: its bytes may be anything.

#include "DownloadRunner.h"
#include "TransferTask.h"

namespace ferry {

class DownloadTask : public TransferTask {
    Q_OBJECT
public:
    DownloadTask(ClientSession *session, ConflictArbiter *arbiter, std::shared_ptr<TransferItem> item,
                 QObject *parent = nullptr);

    void start() override;

    // Removes the local part file a cancelled item leaves (only one this engine wrote: item.started).
    static void discardPartFile(const TransferItem &item);

protected:
    void halt(StopReason reason) override;

private:
    void statThenPrepare();
    void prepare();
    // The local target has the source's size: a stat asks for the server's hash, the local file is hashed;
    // identical -> Skipped without asking, anything else -> prepare() again.
    void skipIfIdentical();
    void apply(ConflictPolicy policy);
    // replaceTarget: the policy chose to replace a file at the target; false when the name was found free, so a
    // file placed there meanwhile (by another transfer or program) is kept and the download fails with "exists".
    void run(bool resume, bool replaceTarget);

    QPointer<ConflictArbiter> m_arbiter;
    DownloadRunner *m_runner = nullptr;
    bool m_identityChecked = false;
};

} // namespace ferry
