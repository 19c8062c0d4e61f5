#pragma once
// Double-click on a remote file: it is downloaded into a private temporary folder and opened with the
// desktop's application for it. The download is the window's business only while it runs: its row leaves
// the transfers list once it ended. When no application opens the file, the user is told so and the copy
// goes at once; the other copies go when Ferry quits (the application may still have them open until then).

#include <QHash>
#include <QObject>
#include <QStringList>
#include <QUrl>

#include <functional>

namespace ferry {
class TransferQueue;
}

namespace ferry::gui {

class RemoteFileOpener : public QObject {
    Q_OBJECT
public:
    explicit RemoteFileOpener(TransferQueue *queue, QObject *parent = nullptr);
    ~RemoteFileOpener() override;

    // How a local file is opened (default QDesktopServices::openUrl); tests replace it.
    void setLauncher(std::function<bool(const QUrl &)> launcher) { m_launch = std::move(launcher); }
    // Queues the download; false (and problem()) when no temporary folder could be made.
    bool open(const QString &remotePath);
    QStringList temporaryFolders() const { return m_folders; }

signals:
    void problem(const QString &message);
    void opened(const QString &localPath);

private:
    void onJobFinished(qint64 jobId, int failedItems);

    TransferQueue *m_queue;
    std::function<bool(const QUrl &)> m_launch;
    QHash<qint64, QString> m_files;   // job -> local copy to open when it is there
    QStringList m_folders;            // temporary folders made so far
};

} // namespace ferry::gui
