#pragma once
// A table model over a TransferQueue for views: one row per file. Display roles give human text;
// UnderlyingDataRole gives raw values (for sorting, delegates and tests). Progress updates are coalesced
// (at most ~10 dataChanged per second) so thousands of queued files keep a view smooth.

#include <QAbstractTableModel>
#include <QSet>
#include <QTimer>

namespace ferry {

class TransferQueue;
struct TransferItem;

class TransferQueueModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { NameColumn, DirectionColumn, SizeColumn, ProgressColumn, RateColumn, EtaColumn, StateColumn,
                  RouteColumn /* source → destination */, ColumnCount };
    enum Role { UnderlyingDataRole = Qt::UserRole + 1, ItemIdRole, ProgressRole /* 0..1 as double */ };

    explicit TransferQueueModel(TransferQueue *queue, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void flushChanges();
    QVariant folderData(const QModelIndex &index, int role) const;
    static QString fileToolTip(const TransferItem &item, Column column);
    static QVariant fileSortValue(const TransferItem &item, Column column);
    static QString fileText(const TransferItem &item, Column column);

    TransferQueue *m_queue;
    QSet<int> m_changedRows;
    QTimer m_flushTimer;
};

} // namespace ferry
