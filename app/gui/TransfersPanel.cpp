#include "TransfersPanel.h"

#include "ColumnFit.h"
#include "ElideDelegate.h"
#include "Icons.h"
#include "ProgressDelegate.h"
#include "TransferQueue.h"
#include "TransferFilterModel.h"
#include "TransferItem.h"
#include "TransferQueueModel.h"

#include <QAction>
#include <QCoreApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSet>
#include <QTabBar>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

namespace ferry::gui {

namespace {
// The least the source → destination column shows, even where its title is short (Chinese): "/tmp/fe…/a.mp4".
constexpr int RouteColumnChars = 16;
}

TransfersPanel::TransfersPanel(TransferQueue *queue, QWidget *parent)
    : QWidget(parent), m_queue(queue), m_model(new TransferQueueModel(queue, this)),
      m_filter(new TransferFilterModel(this))
{
    m_filter->setSourceModel(m_model);
    buildView();
    buildActions();
    QHBoxLayout *bar = buildBar();

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    connectActions();
    updateActions();
}

void TransfersPanel::buildView()
{
    m_view = new QTableView;
    m_view->setModel(m_filter);
    m_view->setItemDelegateForColumn(TransferQueueModel::ProgressColumn, new ProgressDelegate(m_view));
    m_view->setItemDelegateForColumn(TransferQueueModel::StateColumn, new ElideDelegate(Qt::ElideRight, m_view));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setShowGrid(false);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->setTextElideMode(Qt::ElideMiddle);
    m_view->verticalHeader()->hide();
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 10);
    m_view->horizontalHeader()->setHighlightSections(false);
    fitColumns();
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);
}

// The actions are the view's context menu and the bar's buttons.
void TransfersPanel::buildActions()
{
    const auto makeAction = [this](const QIcon &icon, const QString &text, const QString &tip) {
        auto *action = new QAction(icon, text, this);
        action->setToolTip(tip);
        m_view->addAction(action);
        return action;
    };
    m_pause = makeAction(Icons::pause(), tr("&Pause"), tr("Pause the selected transfers (all when none is selected)"));
    m_resume = makeAction(Icons::resume(), tr("&Resume"), tr("Resume the selected transfers (all when none is selected)"));
    m_retry = makeAction(Icons::retry(), tr("Re&try"), tr("Try the failed or cancelled transfers again"));
    m_cancel = makeAction(Icons::cancel(), tr("&Cancel"), tr("Stop the selected transfers (all when none is selected) and discard what arrived"));
    m_clearFinished = makeAction(Icons::clear(), tr("C&lear finished"), tr("Remove finished transfers from the list"));
    m_cancel->setShortcut(QKeySequence::Delete);
    m_cancel->setShortcutContext(Qt::WidgetWithChildrenShortcut);
}

// The title, a button per action, and the tabs at the right.
QHBoxLayout *TransfersPanel::buildBar()
{
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
    bar->addWidget(buildTabs());
    return bar;
}

void TransfersPanel::connectActions()
{
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
}

QList<qint64> TransfersPanel::selectedItemIds() const
{
    QList<qint64> ids;
    for (const QModelIndex &index : m_view->selectionModel()->selectedRows())
        ids.append(index.data(TransferQueueModel::ItemIdRole).toLongLong());
    return ids;
}

namespace {
bool canPause(const TransferItem &item)
{
    return item.state == TransferState::Running || item.state == TransferState::Queued;
}
bool canResume(const TransferItem &item)
{
    return item.state == TransferState::Paused;
}
bool canRetry(const TransferItem &item)
{
    return item.state == TransferState::Failed || item.state == TransferState::Cancelled;
}
bool canCancel(const TransferItem &item)
{
    return !item.isFinished();
}
} // namespace

QList<qint64> TransfersPanel::targetItemIds(const std::function<bool(const TransferItem &)> &applies) const
{
    // The selected items it applies to; when the selection has none (or there is none), every item.
    const QList<qint64> selectedList = selectedItemIds();
    const QSet<qint64> selected(selectedList.cbegin(), selectedList.cend());
    QList<qint64> inSelection;
    QList<qint64> all;
    for (int row = 0; row < m_queue->count(); ++row) {
        const TransferItem &item = m_queue->at(row);
        if (!applies(item))
            continue;
        all.append(item.id);
        if (selected.contains(item.id))
            inSelection.append(item.id);
    }
    return inSelection.isEmpty() ? all : inSelection;
}

void TransfersPanel::fitColumns()
{
    // The name takes what is left; the others fit their widest text in this language. Source → destination
    // is a long path that says little more than the name: it starts as wide as its title or a short path,
    // elided in the middle (both ends stay readable), whole in its tooltip, and the user can widen it.
    // A state ("Failed: …") is elided at its end instead: its beginning says what happened.
    using Model = TransferQueueModel;
    QHeaderView *header = m_view->horizontalHeader();
    header->setSectionResizeMode(Model::NameColumn, QHeaderView::Stretch);
    header->setSectionResizeMode(Model::RouteColumn, QHeaderView::Interactive);
    header->resizeSection(Model::RouteColumn, qMax(header->sectionSizeHint(Model::RouteColumn),
                                                   m_view->fontMetrics().averageCharWidth() * RouteColumnChars));
    ColumnFit::fit(m_view, header, Model::DirectionColumn,
                   {QCoreApplication::translate("TransferQueueModel", "Upload"),
                    QCoreApplication::translate("TransferQueueModel", "Download")});
    ColumnFit::fit(m_view, header, Model::SizeColumn, ColumnFit::sizeSamples());
    ColumnFit::fit(m_view, header, Model::ProgressColumn, {ProgressDelegate::widestText()});
    header->resizeSection(Model::ProgressColumn, qMax(header->sectionSize(Model::ProgressColumn),
                                                      ProgressDelegate::minimumWidth(m_view->fontMetrics())));
    ColumnFit::fit(m_view, header, Model::RateColumn, ColumnFit::rateSamples());
    ColumnFit::fit(m_view, header, Model::EtaColumn, ColumnFit::durationSamples());
    QStringList states;
    for (TransferState state : {TransferState::Queued, TransferState::Running, TransferState::Paused,
                                TransferState::Done, TransferState::Failed, TransferState::Cancelled,
                                TransferState::Skipped})
        states << transferStateName(state);
    // A folder row's state when some of its files failed (TransferQueueModel's text); a longer reason
    // ("Failed: …") is cut, and said whole in the row's tooltip and the Log.
    states << QCoreApplication::translate("ferry::TransferQueueModel", "%n file(s) failed", nullptr, 999);
    ColumnFit::fit(m_view, header, Model::StateColumn, states);
}

QTabBar *TransfersPanel::buildTabs()
{
    // All / Active / Failed / Done, as FileZilla's queue tabs.
    m_tabs = new QTabBar;
    m_tabs->setDrawBase(false);
    m_tabs->setExpanding(false);
    m_tabs->addTab(tr("All"));
    m_tabs->addTab(tr("Active"));
    m_tabs->addTab(tr("Failed"));
    m_tabs->addTab(tr("Done"));
    connect(m_tabs, &QTabBar::currentChanged, this, [this](int tab) {
        m_filter->setShow(TransferFilterModel::Show(tab));
        updateActions();
    });
    return m_tabs;
}

void TransfersPanel::pauseSelected()
{
    for (qint64 id : targetItemIds(canPause))
        m_queue->pause(id);
}

void TransfersPanel::resumeSelected()
{
    for (qint64 id : targetItemIds(canResume))
        m_queue->resume(id);
}

void TransfersPanel::retrySelected()
{
    for (qint64 id : targetItemIds(canRetry))
        m_queue->retry(id);
}

void TransfersPanel::cancelSelected()
{
    for (qint64 id : targetItemIds(canCancel))
        m_queue->cancel(id);
}

void TransfersPanel::updateActions()
{
    bool anyFinished = false;
    for (int row = 0; row < m_queue->count() && !anyFinished; ++row)
        anyFinished = m_queue->at(row).isFinished();
    m_pause->setEnabled(!targetItemIds(canPause).isEmpty());
    m_resume->setEnabled(!targetItemIds(canResume).isEmpty());
    m_retry->setEnabled(!targetItemIds(canRetry).isEmpty());
    m_cancel->setEnabled(!targetItemIds(canCancel).isEmpty());
    m_clearFinished->setEnabled(anyFinished);
}

} // namespace ferry::gui
