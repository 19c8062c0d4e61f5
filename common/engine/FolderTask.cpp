#include "FolderTask.h"

#include "ClientSession.h"
#include "LocalFolderListing.h"
#include "Protocol.h"
#include "VirtualPath.h"

#include <QCoreApplication>
#include <QDir>
#include <QEvent>

#include <algorithm>

#include <sys/stat.h>

namespace ferry {

namespace {
const QEvent::Type NextLocalBatchEvent = QEvent::Type(QEvent::registerEventType());

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

bool FolderTask::event(QEvent *event)
{
    if (event->type() != NextLocalBatchEvent)
        return TransferTask::event(event);
    if (--m_localBatchPosts > 0)
        QCoreApplication::postEvent(this, new QEvent(NextLocalBatchEvent), Qt::LowEventPriority);
    else
        emitLocalChildren();
    return true;
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
        self->readLocalFolder();
    });
}

void FolderTask::readLocalFolder()
{
    m_localFolder = std::make_unique<LocalFolderReader>(m_item->localPath);
    m_localEntries = m_localFolder->entries();
    // Folders first (the tree's size becomes known early), then the files, each by name.
    std::sort(m_localEntries.begin(), m_localEntries.end(), [](const LocalFolderEntry &a, const LocalFolderEntry &b) {
        return a.isDir != b.isDir ? a.isDir : a.path < b.path;
    });
    m_localBatch = FirstLocalBatch;
    emitLocalChildren();
}

void FolderTask::emitLocalChildren()
{
    // A batch at a time: the first files are on their way (and the server busy with them) while the next are
    // looked at. Batches grow, so a big folder costs few turns of the event loop.
    if (m_stopped)
        return;
    const Result<VirtualPath> folder = VirtualPath::fromWire(m_item->remotePath);
    const qsizetype end = qMin(m_localEntries.size(), m_localNext + m_localBatch);
    QList<TransferItem> children;
    children.reserve(end - m_localNext);
    for (; m_localNext < end; ++m_localNext) {
        LocalFolderEntry &entry = m_localEntries[m_localNext];
        if (!entry.isDir && !m_localFolder->lookAt(entry))
            continue;   // gone meanwhile, or no longer a file
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
        children.append(std::move(item));
    }
    m_localBatch = qMin(m_localBatch * 2, MaxLocalBatch);
    if (!children.isEmpty())
        emit childrenFound(children);
    if (m_stopped)
        return;
    if (m_localNext < m_localEntries.size()) {
        // After the queue started these items, so the next batch is looked at while their frames are on their
        // way: the queue's start takes two posted calls (its schedule, then the tasks' start), and an event posted
        // now runs after the first but before the second (what is posted while posted events are handled runs
        // after all that was posted before). So this one is posted twice, at low priority.
        m_localBatchPosts = 2;
        QCoreApplication::postEvent(this, new QEvent(NextLocalBatchEvent), Qt::LowEventPriority);
        return;
    }
    m_localFolder.reset();
    m_localEntries.clear();
    finishWith({});
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
    QList<TransferItem> children;
    children.reserve(entries.size());
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
        children.append(std::move(item));
    }
    // Folders first, as the upload does (the tree's size becomes known early).
    std::stable_partition(children.begin(), children.end(), [](const TransferItem &item) { return item.isDir; });
    return children;
}

} // namespace ferry
