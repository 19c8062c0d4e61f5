#include "RemoteFileOpener.h"

#include "Messages.h"
#include "TransferQueue.h"

#include <QDesktopServices>
#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>
#include <QTemporaryDir>

namespace ferry::gui {

RemoteFileOpener::RemoteFileOpener(TransferQueue *queue, QObject *parent)
    : QObject(parent), m_queue(queue), m_launch([](const QUrl &url) { return QDesktopServices::openUrl(url); })
{
    connect(m_queue, &TransferQueue::jobFinished, this, &RemoteFileOpener::onJobFinished);
}

RemoteFileOpener::~RemoteFileOpener()
{
    for (const QString &folder : std::as_const(m_folders))
        QDir(folder).removeRecursively();
}

bool RemoteFileOpener::open(const QString &remotePath)
{
    const QString base = QStandardPaths::writableLocation(QStandardPaths::TempLocation);
    QTemporaryDir folder(QDir(base).filePath(QStringLiteral("ferry-open-XXXXXX")));
    if (!folder.isValid()) {
        emit problem(tr("Cannot create a temporary folder to open “%1”.").arg(remotePath));
        return false;
    }
    folder.setAutoRemove(false);
    m_folders.append(folder.path());
    const qint64 job = m_queue->download({remotePath}, folder.path(), ConflictPolicy::Overwrite);
    m_files.insert(job, QDir(folder.path()).filePath(QFileInfo(remotePath).fileName()));
    return true;
}

void RemoteFileOpener::onJobFinished(qint64 jobId, int failedItems)
{
    if (!m_files.contains(jobId))
        return;
    const QString local = m_files.take(jobId);
    const QString folder = QFileInfo(local).absolutePath();
    QString failure;
    if (failedItems > 0) {
        const QList<TransferItem> items = m_queue->jobItems(jobId);
        failure = Messages::failure(tr("Cannot open “%1”").arg(QFileInfo(local).fileName()),
                                    items.isEmpty() ? Error() : items.first().error);
    }
    m_queue->removeJob(jobId);   // a temporary copy is not a transfer the user has to clear
    if (failure.isEmpty() && m_launch(QUrl::fromLocalFile(local))) {
        emit opened(local);
        return;
    }
    if (failure.isEmpty())
        failure = tr("No application is set up to open “%1”. Download it to keep a copy.").arg(QFileInfo(local).fileName());
    QDir(folder).removeRecursively();
    m_folders.removeAll(folder);
    emit problem(failure);
}

} // namespace ferry::gui
