#include "TransferQueueModel.h"

#include "SizeText.h"
#include "TransferQueue.h"

#include <QCoreApplication>

namespace ferry {

namespace {
constexpr int FlushIntervalMs = 100;

double progressOf(const TransferItem &item)
{
    if (item.state == TransferState::Done)
        return 1.0;
    if (item.size <= 0)
        return 0.0;
    return qBound(0.0, double(item.done) / double(item.size), 1.0);
}

// "/home/alice/Videos/a.mp4 → /Videos/a.mp4": two transfers of one name are told apart by it.
QString routeText(const TransferItem &item)
{
    const QString &source = item.direction == TransferDirection::Upload ? item.localPath : item.remotePath;
    const QString &target = item.direction == TransferDirection::Upload ? item.remotePath : item.localPath;
    return source + QStringLiteral(" \u2192 ") + target;
}

QString directionText(TransferDirection direction)
{
    return direction == TransferDirection::Upload ? QCoreApplication::translate("TransferQueueModel", "Upload")
                                                  : QCoreApplication::translate("TransferQueueModel", "Download");
}
} // namespace

TransferQueueModel::TransferQueueModel(TransferQueue *queue, QObject *parent)
    : QAbstractTableModel(parent), m_queue(queue)
{
    m_flushTimer.setSingleShot(true);
    m_flushTimer.setInterval(FlushIntervalMs);
    connect(&m_flushTimer, &QTimer::timeout, this, &TransferQueueModel::flushChanges);

    // Row numbers of pending changes are only valid until rows move: send them before that.
    connect(queue, &TransferQueue::itemsAboutToBeInserted, this, [this](int first, int last) {
        flushChanges();
        beginInsertRows({}, first, last);
    });
    connect(queue, &TransferQueue::itemsInserted, this, [this] { endInsertRows(); });
    connect(queue, &TransferQueue::itemsAboutToBeRemoved, this, [this](int first, int last) {
        flushChanges();
        beginRemoveRows({}, first, last);
    });
    connect(queue, &TransferQueue::itemsRemoved, this, [this] { endRemoveRows(); });
    connect(queue, &TransferQueue::itemChanged, this, [this](int row) {
        m_changedRows.insert(row);
        if (!m_flushTimer.isActive())
            m_flushTimer.start();
    });
    connect(queue, &QObject::destroyed, this, [this] {
        m_queue = nullptr;   // first: its rows are gone already
        beginResetModel();
        m_changedRows.clear();
        endResetModel();
    });
}

int TransferQueueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() || !m_queue ? 0 : m_queue->count();
}

int TransferQueueModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TransferQueueModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) || !m_queue)
        return {};
    const TransferItem &item = m_queue->at(index.row());
    if (item.isDir && role != ItemIdRole && (role == ProgressRole || index.column() != NameColumn))
        return folderData(index, role);
    switch (role) {
    case ItemIdRole:
        return item.id;
    case ProgressRole:
        return progressOf(item);
    case Qt::ToolTipRole:
        return fileToolTip(item, Column(index.column()));
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn || index.column() == RateColumn || index.column() == EtaColumn
            || index.column() == ProgressColumn)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case UnderlyingDataRole:
        return fileSortValue(item, Column(index.column()));
    case Qt::DisplayRole:
        return fileText(item, Column(index.column()));
    default:
        return {};
    }
}

QString TransferQueueModel::fileToolTip(const TransferItem &item, Column column)
{
    if (column == RouteColumn)
        return routeText(item);   // the column is elided in the middle: the whole of it
    if (item.state == TransferState::Failed || (item.state == TransferState::Skipped && item.error.isError()))
        return item.error.message;
    if (item.direction == TransferDirection::Upload)
        return item.localPath + QStringLiteral(" \u2192 ") + item.remotePath;
    return item.remotePath + QStringLiteral(" \u2192 ") + item.localPath;
}

QVariant TransferQueueModel::fileSortValue(const TransferItem &item, Column column)
{
    switch (column) {
    case NameColumn:
        return item.name();
    case DirectionColumn:
        return int(item.direction);
    case SizeColumn:
        return item.size;
    case ProgressColumn:
        return progressOf(item);
    case RateColumn:
        return item.rate;
    case EtaColumn:
        return item.etaSeconds;
    case StateColumn:
        return int(item.state);
    case RouteColumn:
        return routeText(item);
    case ColumnCount:
        break;
    }
    return {};
}

QString TransferQueueModel::fileText(const TransferItem &item, Column column)
{
    const bool running = item.state == TransferState::Running;
    switch (column) {
    case NameColumn:
        return item.name();
    case DirectionColumn:
        return directionText(item.direction);
    case SizeColumn:
        return item.isDir || item.size < 0 ? QString() : formatSize(item.size);
    case ProgressColumn:
        return item.isDir ? QString() : QStringLiteral("%1 %").arg(int(progressOf(item) * 100));
    case RateColumn:
        return running && !item.isDir ? formatRate(item.rate) : QString();
    case EtaColumn:
        return running && !item.isDir ? formatDuration(item.etaSeconds) : QString();
    case StateColumn:
        // The reason in the row itself, not only in a tooltip.
        if (item.state == TransferState::Failed && !item.error.message.isEmpty())
            return tr("Failed: %1").arg(item.error.message);
        if (item.state == TransferState::Skipped && !item.error.message.isEmpty())
            return tr("Skipped: %1").arg(item.error.message);
        return transferStateName(item.state);
    case RouteColumn:
        return routeText(item);
    case ColumnCount:
        break;
    }
    return {};
}

QVariant TransferQueueModel::folderData(const QModelIndex &index, int role) const
{
    // A folder row sums up its content: "Done" only when every file inside is.
    const TransferItem &item = m_queue->at(index.row());
    const TransferQueue::FolderSummary summary = m_queue->folderSummary(index.row());
    const double progress = summary.state == TransferState::Done ? 1.0
                            : summary.size > 0 ? qBound(0.0, double(summary.done) / double(summary.size), 1.0)
                                               : 0.0;
    if (role == ProgressRole || (role == UnderlyingDataRole && index.column() == ProgressColumn))
        return progress;
    if (index.column() == RouteColumn && (role == Qt::DisplayRole || role == UnderlyingDataRole || role == Qt::ToolTipRole))
        return routeText(item);
    if (role == Qt::ToolTipRole)
        return item.state == TransferState::Failed ? item.error.message
                                                   : tr("%1 of %n file(s) done", nullptr, summary.files).arg(summary.filesDone);
    if (role == Qt::TextAlignmentRole)
        return index.column() == SizeColumn || index.column() == ProgressColumn
                ? QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter))
                : QVariant();
    if (role == UnderlyingDataRole) {
        switch (Column(index.column())) {
        case DirectionColumn:
            return int(item.direction);
        case SizeColumn:
            return summary.size;
        case StateColumn:
            return int(summary.state);
        default:
            return {};
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (Column(index.column())) {
    case DirectionColumn:
        return directionText(item.direction);
    case SizeColumn:
        return summary.files > 0 ? formatSize(summary.size) : QString();
    case ProgressColumn:
        return summary.files > 0 ? QStringLiteral("%1 %").arg(int(progress * 100)) : QString();
    case StateColumn:
        if (item.state == TransferState::Failed && !item.error.message.isEmpty())
            return tr("Failed: %1").arg(item.error.message);
        if (summary.state == TransferState::Failed)
            return tr("%n file(s) failed", nullptr, summary.filesFailed);
        return transferStateName(summary.state);
    default:
        return {};
    }
}

QVariant TransferQueueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case NameColumn:
        return tr("Name");
    case DirectionColumn:
        return tr("Direction");
    case SizeColumn:
        return tr("Size");
    case ProgressColumn:
        return tr("Progress");
    case RateColumn:
        return tr("Speed");
    case EtaColumn:
        return tr("Time left");
    case StateColumn:
        return tr("State");
    case RouteColumn:
        return tr("Source → destination");
    case ColumnCount:
        break;
    }
    return {};
}

void TransferQueueModel::flushChanges()
{
    m_flushTimer.stop();
    if (m_changedRows.isEmpty() || !m_queue)
        return;
    // Folder rows sum up their content: they change with it.
    QSet<qint64> jobs;
    for (const int row : std::as_const(m_changedRows)) {
        if (row < m_queue->count())
            jobs.insert(m_queue->at(row).jobId);
    }
    for (int row = 0; row < m_queue->count(); ++row) {
        if (m_queue->at(row).isDir && jobs.contains(m_queue->at(row).jobId))
            m_changedRows.insert(row);
    }
    QList<int> rows(m_changedRows.cbegin(), m_changedRows.cend());
    m_changedRows.clear();
    std::sort(rows.begin(), rows.end());
    // One dataChanged per run of consecutive rows.
    int first = rows.first();
    int previous = first;
    const auto send = [this](int from, int to) {
        if (from < rowCount() && to < rowCount())
            emit dataChanged(index(from, 0), index(to, ColumnCount - 1));
    };
    for (int i = 1; i < rows.size(); ++i) {
        if (rows.at(i) != previous + 1) {
            send(first, previous);
            first = rows.at(i);
        }
        previous = rows.at(i);
    }
    send(first, previous);
}

} // namespace ferry
