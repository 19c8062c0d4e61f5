#include "TransferFilterModel.h"

#include "TransferItem.h"
#include "TransferQueueModel.h"

namespace ferry::gui {

TransferFilterModel::TransferFilterModel(QObject *parent) : QSortFilterProxyModel(parent)
{
    setDynamicSortFilter(true);   // a row moves between tabs as its state changes
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
