#pragma once
// The status bar's transfer totals: "3 of 10 files · 12.5 MiB of 40 MiB · 5.2 MiB/s · 42 s left" with a
// small overall progress bar, refreshed a few times a second while anything moves.

#include <QTimer>
#include <QWidget>

class QLabel;
class QProgressBar;

namespace ferry {
class TransferQueue;
}

namespace ferry::gui {

class TransferStatus : public QWidget {
    Q_OBJECT
public:
    explicit TransferStatus(TransferQueue *queue, QWidget *parent = nullptr);

    QString text() const;
    int percent() const;   // -1 when nothing is queued

private:
    void refresh();

    TransferQueue *m_queue;
    QLabel *m_label;
    QProgressBar *m_bar;
    QTimer m_timer;
};

} // namespace ferry::gui
