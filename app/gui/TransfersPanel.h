#pragma once
// The transfers panel: every queued file with direction, size, a progress bar, rate, time left and state,
// and Pause / Resume / Cancel / Retry / Clear finished for the selected rows (or all of them); tabs show all,
// the active, the failed or the finished ones.

#include "TransferItem.h"

#include <QWidget>

#include <functional>

class QAction;
class QHBoxLayout;
class QLabel;
class QTabBar;
class QTableView;

namespace ferry {
class TransferQueue;
class TransferQueueModel;
}

namespace ferry::gui {

class TransferFilterModel;

class TransfersPanel : public QWidget {
    Q_OBJECT
public:
    explicit TransfersPanel(TransferQueue *queue, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    TransferQueueModel *model() const { return m_model; }
    TransferFilterModel *filter() const { return m_filter; }
    QTabBar *tabs() const { return m_tabs; }
    QList<qint64> selectedItemIds() const;

    QAction *pauseAction() const { return m_pause; }
    QAction *resumeAction() const { return m_resume; }
    QAction *cancelAction() const { return m_cancel; }
    QAction *retryAction() const { return m_retry; }
    QAction *clearFinishedAction() const { return m_clearFinished; }

    void pauseSelected();
    void resumeSelected();
    void cancelSelected();
    void retrySelected();

private:
    // The selected items, or every item when nothing is selected.
    QList<qint64> targetItemIds(const std::function<bool(const ferry::TransferItem &)> &applies) const;
    void updateActions();
    void fitColumns();
    void buildView();
    void buildActions();
    QHBoxLayout *buildBar();
    QTabBar *buildTabs();
    void connectActions();

    TransferQueue *m_queue;
    TransferQueueModel *m_model;
    TransferFilterModel *m_filter;
    QTabBar *m_tabs = nullptr;
    QTableView *m_view;
    QLabel *m_title;
    QAction *m_pause;
    QAction *m_resume;
    QAction *m_cancel;
    QAction *m_retry;
    QAction *m_clearFinished;
};

} // namespace ferry::gui
