#pragma once
// ferry-cli's progress display on standard error: one line, redrawn in place ("\r") at most ten times a
// second and never wider than the terminal, showing the current file and the whole transfer:
//
//   photo.jpg   42% 84.0 MiB/200 MiB 95.3 MiB/s ETA 2 s | [####    ]  40% 1.2 GiB/3.0 GiB 96.0 MiB/s ETA 20 s 3/10 files
//
// With a single file only the first half (with the gauge). Narrow terminals get shorter layouts and an
// elided name. Other messages on standard error call clear() first, so they never land inside the bar.

#include "TransferQueue.h"

#include <QObject>
#include <QElapsedTimer>
#include <QTimer>

namespace ferry::cli {

class ProgressBar : public QObject {
    Q_OBJECT
public:
    static constexpr int RedrawIntervalMs = 100;

    // What one frame shows.
    struct Snapshot {
        TransferTotals totals;
        bool hasFile = false;      // a current file to show
        QString fileName;
        qint64 fileDone = 0;
        qint64 fileSize = -1;      // -1: not known yet
        double fileRate = 0;
        qint64 fileEtaSeconds = -1;
    };
    // The line for `snapshot` on a terminal `columns` wide (at most columns - 1, so it never wraps).
    static QString render(const Snapshot &snapshot, int columns);

    explicit ProgressBar(const TransferQueue *queue, QObject *parent = nullptr);
    ~ProgressBar() override;

    // Draws now, then on every redraw interval.
    void start();
    // Erases the line; the next redraw brings it back.
    void clear();
    // Erases the line and stops redrawing.
    void stop();

private:
    void onItemChanged(int row);
    void draw();
    Snapshot snapshot() const;
    void write(const QString &text);

    const TransferQueue *m_queue;
    QTimer m_timer;
    QElapsedTimer m_clock;    // since start(): an average rate until the smoothed one has enough samples
    qint64 m_currentId = 0;   // the file shown: the one that reported last while running
    QString m_shown;          // the line on screen now ("" when erased)
    int m_shownWidth = 0;
};

} // namespace ferry::cli
