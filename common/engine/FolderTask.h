#pragma once
// A folder item of a folder transfer. Upload: creates the remote folder (mkdir with parents: an existing
// folder is merged into), then lists the local folder; download: creates the local folder, then lists the
// remote one page by page. Either way its content becomes new items (sub-folders as folder items, so the
// tree is walked level by level and a restart re-lists only the folders that were not finished).

#include "LocalFolderListing.h"
#include "TransferTask.h"

#include <memory>

namespace ferry {

struct RemoteEntry;

class FolderTask : public TransferTask {
    Q_OBJECT
public:
    FolderTask(ClientSession *session, std::shared_ptr<TransferItem> item, QObject *parent = nullptr);

    void start() override;

protected:
    bool event(QEvent *event) override;
    void halt(StopReason reason) override;

private:
    void startUpload();
    void startDownload();
    void readLocalFolder();
    void emitLocalChildren();   // the next batch of the local folder's entries, as items
    QList<TransferItem> remoteChildren(const QList<RemoteEntry> &entries) const;
    TransferItem child(bool isDir) const;

    bool m_madeFolder = false;   // a download's folder, made by this task: empty when listed

    static constexpr qsizetype FirstLocalBatch = 32;
    static constexpr qsizetype MaxLocalBatch = 512;
    std::unique_ptr<LocalFolderReader> m_localFolder;   // an upload's folder, while its entries are emitted
    QList<LocalFolderEntry> m_localEntries;
    qsizetype m_localNext = 0;
    qsizetype m_localBatch = FirstLocalBatch;
    int m_localBatchPosts = 0;   // left before the next batch (see emitLocalChildren)
};

} // namespace ferry
