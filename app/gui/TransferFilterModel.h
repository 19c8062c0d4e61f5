#pragma once
// The transfers panel's tabs: all transfers, the active ones (running, queued or paused), the failed ones,
// or the finished ones. A filter over TransferQueueModel; a folder row counts by what its content does.
// Rows are ordered by activity: running first, then queued and paused, failed, and finished last; within
// each group in queue order. So the top of the list is where things happen.

#include <QSortFilterProxyModel>

namespace ferry::gui {

class TransferFilterModel : public QSortFilterProxyModel {
    Q_OBJECT
public:
    enum class Show { All, Active, Failed, Done };

    explicit TransferFilterModel(QObject *parent = nullptr);

    void setShow(Show show);
    Show show() const { return m_show; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    Show m_show = Show::All;
};

} // namespace ferry::gui
