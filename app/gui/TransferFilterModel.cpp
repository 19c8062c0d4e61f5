#include "TransferFilterModel.h"

#include "TransferItem.h"
#include "TransferQueueModel.h"

namespace ferry::gui {

TransferFilterModel::TransferFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);   // a row moves between tabs, and up or down, as its state changes
    sort(TransferQueueModel::StateColumn);
}

namespace {

int activityRank(const QModelIndex &stateIndex)
{
    switch (TransferState(stateIndex.data(TransferQueueModel::UnderlyingDataRole).toInt())) {
    case TransferState::Running:
        return 0;
    case TransferState::Queued:
    case TransferState::Paused:
        return 1;
    case TransferState::Failed:
        return 2;
    case TransferState::Done:
    case TransferState::Skipped:
    case TransferState::Cancelled:
        break;
    }
    return 3;
}

} // namespace

bool TransferFilterModel::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const int leftRank = activityRank(left.siblingAtColumn(TransferQueueModel::StateColumn));
    const int rightRank = activityRank(right.siblingAtColumn(TransferQueueModel::StateColumn));
    if (leftRank != rightRank)
        return leftRank < rightRank;
    return left.row() < right.row();   // queue order
}

void TransferFilterModel::setShow(Show show)
{
    m_show = show;
    invalidateFilter();
}

bool TransferFilterModel::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    if (m_show == Show::All)
        return true;
    const QModelIndex state = sourceModel()->index(sourceRow, TransferQueueModel::StateColumn, sourceParent);
    switch (TransferState(state.data(TransferQueueModel::UnderlyingDataRole).toInt())) {
    case TransferState::Queued:
    case TransferState::Running:
    case TransferState::Paused:
        return m_show == Show::Active;
    case TransferState::Failed:
        return m_show == Show::Failed;
    case TransferState::Done:
    case TransferState::Skipped:
    case TransferState::Cancelled:
        return m_show == Show::Done;
    }
    return true;
}

} // namespace ferry::gui
