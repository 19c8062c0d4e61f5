#include "FolderTask.h"

#include "ClientSession.h"
#include "LocalFolderListing.h"
#include "Protocol.h"
#include "VirtualPath.h"

#include <QDir>

#include <algorithm>

#include <sys/stat.h>

namespace ferry {

namespace {
QString remoteChildPath(const QString &folder, const QString &name)
{
    if (folder.endsWith(QLatin1Char('/')))
        return folder + name;
    return folder + QLatin1Char('/') + name;
}
} // namespace

FolderTask::FolderTask(ClientSession *session, std::shared_ptr<TransferItem> item, QObject *parent)
    : TransferTask(session, std::move(item), parent)
{
}

void FolderTask::start()
{
    if (m_item->direction == TransferDirection::Upload)
        startUpload();
    else
        startDownload();
}

void FolderTask::halt(StopReason reason)
{
    Q_UNUSED(reason);   // replies still on their way see m_stopped and are ignored
}

TransferItem FolderTask::child(bool isDir) const
{
    TransferItem item;
    item.jobId = m_item->jobId;
    item.direction = m_item->direction;
    item.conflict = m_item->conflict;
    item.isDir = isDir;
    item.server = m_item->server;
    item.serverIdentity = m_item->serverIdentity;
    item.user = m_item->user;
    return item;
}

void FolderTask::startUpload()
{
    QPointer<FolderTask> self(this);
    m_session->mkdir(m_item->remotePath, true, [self](const Status &status) {
        if (!self || self->m_stopped)
            return;
        if (!status) {
            self->finishWith(status.error());
            return;
        }
        const QList<TransferItem> children = self->localChildren();
        if (!children.isEmpty())
            emit self->childrenFound(children);
        self->finishWith({});
    });
}

QList<TransferItem> FolderTask::localChildren() const
{
    const Result<VirtualPath> folder = VirtualPath::fromWire(m_item->remotePath);
    const QList<LocalFolderEntry> entries = listLocalFolder(m_item->localPath);
    QList<TransferItem> folders;
    QList<TransferItem> files;
    files.reserve(entries.size());
    for (const LocalFolderEntry &entry : entries) {
        TransferItem item = child(entry.isDir);
        item.localPath = entry.path;
        item.remotePath = remoteChildPath(m_item->remotePath, entry.name);
        if (!entry.isDir) {
            item.size = entry.size;
            item.mtimeMs = entry.mtimeMs;
        }
        // A name the wire does not allow is reported on its own row instead of stopping the folder.
        const Error invalid = folder ? VirtualPath::checkSegment(entry.name) : folder.error();
        if (invalid.isError()) {
            item.state = TransferState::Failed;
            item.error = invalid;
        }
        (entry.isDir ? folders : files).append(std::move(item));
    }
    const auto byName = [](const TransferItem &a, const TransferItem &b) { return a.localPath < b.localPath; };
    std::sort(folders.begin(), folders.end(), byName);
    std::sort(files.begin(), files.end(), byName);
    folders.append(std::move(files));   // folders first: the tree's size becomes known early
    return folders;
}

void FolderTask::startDownload()
{
    // Made here (not there before): its files' tasks need not look whether their names are taken.
    const QByteArray folder = QFile::encodeName(m_item->localPath);
    m_madeFolder = ::mkdir(folder.constData(), 0777) == 0;
    if (!m_madeFolder && !QDir().mkpath(m_item->localPath)) {
        finishWith(Error::make(ErrorCode::IoError, tr("Cannot create the folder %1.").arg(m_item->localPath)));
        return;
    }
    QPointer<FolderTask> self(this);
    m_session->listPaged(m_item->remotePath, [self](const Result<QList<RemoteEntry>> &page, bool last) {
        if (!self || self->m_stopped)
            return;
        if (!page) {
            self->finishWith(page.error());
            return;
        }
        const QList<TransferItem> children = self->remoteChildren(*page);
        if (!children.isEmpty())
            emit self->childrenFound(children);
        if (last && !self->m_stopped)
            self->finishWith({});
    });
}

QList<TransferItem> FolderTask::remoteChildren(const QList<RemoteEntry> &entries) const
{
    QList<TransferItem> folders;
    QList<TransferItem> files;
    for (const RemoteEntry &entry : entries) {
        // ClientSession drops names that are not a single valid segment, so they are safe as local names.
        TransferItem item = child(entry.isDir);
        item.remotePath = remoteChildPath(m_item->remotePath, entry.name);
        item.localPath = m_item->localPath + QLatin1Char('/') + entry.name;
        if (!entry.isDir) {
            item.size = entry.size;
            item.mtimeMs = entry.mtimeMs;
            item.localNameFree = m_madeFolder;
        }
        (entry.isDir ? folders : files).append(item);
    }
    return folders + files;
}

} // namespace ferry
