#include "TransfersPanel.h"

#include "Icons.h"
#include "ProgressDelegate.h"
#include "TransferQueue.h"
#include "TransferQueueModel.h"

#include <QAction>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSet>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace ferry::gui {

TransfersPanel::TransfersPanel(TransferQueue *queue, QWidget *parent)
    : QWidget(parent), m_queue(queue), m_model(new TransferQueueModel(queue, this))
{
    m_view = new QTableView;
    m_view->setModel(m_model);
    m_view->setItemDelegateForColumn(TransferQueueModel::ProgressColumn, new ProgressDelegate(m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 10);
    m_view->horizontalHeader()->setHighlightSections(false);
    m_view->horizontalHeader()->setSectionResizeMode(TransferQueueModel::NameColumn, QHeaderView::Stretch);
    m_view->horizontalHeader()->resizeSection(TransferQueueModel::DirectionColumn, 90);
    m_view->horizontalHeader()->resizeSection(TransferQueueModel::SizeColumn, 90);
    m_view->horizontalHeader()->resizeSection(TransferQueueModel::ProgressColumn, 180);
    m_view->horizontalHeader()->resizeSection(TransferQueueModel::RateColumn, 100);
    m_view->horizontalHeader()->resizeSection(TransferQueueModel::EtaColumn, 80);
    m_view->horizontalHeader()->resizeSection(TransferQueueModel::StateColumn, 110);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);

    const auto makeAction = [this](const QIcon &icon, const QString &text, const QString &tip) {
        auto *action = new QAction(icon, text, this);
        action->setToolTip(tip);
        m_view->addAction(action);
        return action;
    };
    m_pause = makeAction(Icons::pause(), tr("&Pause"), tr("Pause the selected transfers (all when none is selected)"));
    m_resume = makeAction(Icons::resume(), tr("&Resume"), tr("Resume the selected transfers (all when none is selected)"));
    m_retry = makeAction(Icons::retry(), tr("Re&try"), tr("Try the failed or cancelled transfers again"));
    m_cancel = makeAction(Icons::cancel(), tr("&Cancel"), tr("Stop the selected transfers and discard what arrived"));
    m_clearFinished = makeAction(Icons::clear(), tr("C&lear finished"), tr("Remove finished transfers from the list"));
    m_cancel->setShortcut(QKeySequence::Delete);
    m_cancel->setShortcutContext(Qt::WidgetWithChildrenShortcut);

    m_title = new QLabel(QStringLiteral("<b>%1</b>").arg(tr("Transfers")));
    auto *bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->setSpacing(2);
    bar->addWidget(m_title);
    bar->addSpacing(8);
    for (QAction *action : {m_pause, m_resume, m_retry, m_cancel, m_clearFinished}) {
        auto *button = new QToolButton;
        button->setDefaultAction(action);
        button->setAutoRaise(true);
        button->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
        bar->addWidget(button);
    }
    bar->addStretch();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connect(m_pause, &QAction::triggered, this, &TransfersPanel::pauseSelected);
    connect(m_resume, &QAction::triggered, this, &TransfersPanel::resumeSelected);
    connect(m_cancel, &QAction::triggered, this, &TransfersPanel::cancelSelected);
    connect(m_retry, &QAction::triggered, this, &TransfersPanel::retrySelected);
    connect(m_clearFinished, &QAction::triggered, m_queue, &TransferQueue::clearFinished);
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TransfersPanel::updateActions);
    connect(m_model, &QAbstractItemModel::dataChanged, this, &TransfersPanel::updateActions);
    connect(m_model, &QAbstractItemModel::rowsInserted, this, &TransfersPanel::updateActions);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, &TransfersPanel::updateActions);
    connect(m_model, &QAbstractItemModel::modelReset, this, &TransfersPanel::updateActions);
    updateActions();
}

QList<qint64> TransfersPanel::selectedItemIds() const
{
    QList<qint64> ids;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        ids.append(index.data(TransferQueueModel::ItemIdRole).toLongLong());
    return ids;
}

QList<qint64> TransfersPanel::targetItemIds() const
{
    QList<qint64> ids = selectedItemIds();
    if (ids.isEmpty()) {
        for (int row = 0; row < m_queue->count(); ++row)
            ids.append(m_queue->at(row).id);
    }
    return ids;
}

void TransfersPanel::pauseSelected()
{
    const QList<qint64> selected = selectedItemIds();
    if (selected.isEmpty()) {
        m_queue->pauseAll();
        return;
    }
    for (qint64 id : selected)
        m_queue->pause(id);
}

void TransfersPanel::resumeSelected()
{
    if (selectedItemIds().isEmpty()) {
        m_queue->resumeAll();
        return;
    }
    for (qint64 id : targetItemIds()) {
        const int row = m_queue->rowOf(id);
        if (row >= 0 && m_queue->at(row).state == TransferState::Paused)
            m_queue->resume(id);
    }
}

void TransfersPanel::retrySelected()
{
    for (qint64 id : targetItemIds()) {
        const int row = m_queue->rowOf(id);
        const TransferState state = row >= 0 ? m_queue->at(row).state : TransferState::Done;
        if (state == TransferState::Failed || state == TransferState::Cancelled)
            m_queue->retry(id);
    }
}

void TransfersPanel::cancelSelected()
{
    for (qint64 id : selectedItemIds())
        m_queue->cancel(id);
}

void TransfersPanel::updateActions()
{
    bool canPause = false;
    bool canResume = false;
    bool canRetry = false;
    bool canCancel = false;
    bool anyFinished = false;
    const QList<qint64> selectedList = selectedItemIds();
    const QSet<qint64> selected(selectedList.cbegin(), selectedList.cend());
    const auto consider = [&](const TransferItem &item) {
        canPause = canPause || item.state == TransferState::Running || item.state == TransferState::Queued;
        canResume = canResume || item.state == TransferState::Paused;
        canRetry = canRetry || item.state == TransferState::Failed || item.state == TransferState::Cancelled;
        canCancel = canCancel || !item.isFinished();
    };
    for (int row = 0; row < m_queue->count(); ++row) {
        const TransferItem &item = m_queue->at(row);
        anyFinished = anyFinished || item.isFinished();
        if (selected.isEmpty() || selected.contains(item.id))
            consider(item);
    }
    m_pause->setEnabled(canPause);
    m_resume->setEnabled(canResume);
    m_retry->setEnabled(canRetry);
    m_cancel->setEnabled(canCancel && !selected.isEmpty());
    m_clearFinished->setEnabled(anyFinished);
}

} // namespace ferry::gui
