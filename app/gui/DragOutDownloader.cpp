#include "DragOutDownloader.h"

#include "ClientSession.h"
#include "TransferQueue.h"

#include <QDir>
#include <QEventLoop>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTimer>

namespace ferry::gui {

DragOutDownloader::DragOutDownloader(ClientSession *session, TransferQueue *queue, QObject *parent)
    : QObject(parent), m_session(session), m_queue(queue)
{
}

QList<QUrl> DragOutDownloader::materialize(const QStringList &remotePaths)
{
    if (remotePaths.isEmpty())
        return {};
    if (m_session->state() != ClientSession::State::Ready) {
        emit problem(tr("Cannot drag files out of the server while not connected."));
        return {};
    }
    // Kept after the drop: the target copies (or moves) the files from there when it likes.
    QTemporaryDir folder(QDir::temp().filePath(QStringLiteral("ferry-drag-XXXXXX")));
    if (!folder.isValid()) {
        emit problem(tr("Cannot create a temporary folder for the dragged files."));
        return {};
    }
    folder.setAutoRemove(false);

    QEventLoop loop;
    bool finished = false;
    int failed = 0;
    const qint64 job = m_queue->download(remotePaths, folder.path(), ConflictPolicy::Overwrite);
    const QMetaObject::Connection connection =
            connect(m_queue, &TransferQueue::jobFinished, &loop, [&](qint64 jobId, int failedItems) {
                if (jobId != job)
                    return;
                finished = true;
                failed = failedItems;
                loop.quit();
            });
    QTimer::singleShot(m_timeLimitMs, &loop, &QEventLoop::quit);
    loop.exec(QEventLoop::ExcludeUserInputEvents);
    disconnect(connection);

    if (!finished || failed > 0) {
        emit problem(finished ? tr("Some of the dragged files could not be downloaded.")
                              : tr("The dragged files take too long to download for drag and drop; they keep "
                                   "downloading to %1.").arg(QDir::toNativeSeparators(folder.path())));
        return {};
    }
    QList<QUrl> urls;
    for (const QString &remotePath : remotePaths) {
        const QString local = QDir(folder.path()).filePath(QFileInfo(remotePath).fileName());
        if (QFileInfo::exists(local))
            urls.append(QUrl::fromLocalFile(local));
    }
    return urls;
}

} // namespace ferry::gui
