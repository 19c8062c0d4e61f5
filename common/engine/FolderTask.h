#pragma once
// A folder item of a folder transfer. Upload: creates the remote folder (mkdir with parents: an existing
// folder is merged into), then lists the local folder; download: creates the local folder, then lists the
// remote one page by page. Either way its content becomes new items (sub-folders as folder items, so the
// tree is walked level by level and a restart re-lists only the folders that were not finished).

#include "TransferTask.h"

namespace ferry {

struct RemoteEntry;

class FolderTask : public TransferTask {
    Q_OBJECT
public:
    FolderTask(ClientSession *session, std::shared_ptr<TransferItem> item, QObject *parent = nullptr);

    void start() override;

protected:
    void halt(StopReason reason) override;

private:
    void startUpload();
    void startDownload();
    QList<TransferItem> localChildren() const;
    QList<TransferItem> remoteChildren(const QList<RemoteEntry> &entries) const;
    TransferItem child(bool isDir) const;

    bool m_madeFolder = false;   // a download's folder, made by this task: empty when listed
};

} // namespace ferry
