#pragma once
// Dragging remote files out to another application (a file manager): when the drop target asks for the
// files, they are downloaded into a fresh temporary folder and their local URLs handed over. The drop target
// waits meanwhile, so this is for files of reasonable size; anything over the time limit yields no URLs and
// a message (drop onto Ferry's own local pane instead, which queues a normal download).

#include <QList>
#include <QObject>
#include <QUrl>

namespace ferry {
class ClientSession;
class TransferQueue;
}

namespace ferry::gui {

class DragOutDownloader : public QObject {
    Q_OBJECT
public:
    DragOutDownloader(ClientSession *session, TransferQueue *queue, QObject *parent = nullptr);

    void setTimeLimitMs(int ms) { m_timeLimitMs = ms; }
    // Blocks (running the event loop) until the files are there; empty on failure or timeout.
    QList<QUrl> materialize(const QStringList &remotePaths);

signals:
    void problem(const QString &message);

private:
    ClientSession *m_session;
    TransferQueue *m_queue;
    int m_timeLimitMs = 120 * 1000;
};

} // namespace ferry::gui
