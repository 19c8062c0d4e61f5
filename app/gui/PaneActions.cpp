#include "PaneActions.h"

#include "Icons.h"

#include <QAction>
#include <QApplication>
#include <QKeySequence>
#include <QWidget>

namespace ferry::gui {

namespace {

QAction *makeAction(QWidget *pane, const QIcon &icon, const QString &text, const QList<QKeySequence> &keys)
{
    auto *action = new QAction(icon, text, pane);
    action->setShortcuts(keys);
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    if (!keys.isEmpty())
        action->setToolTip(QStringLiteral("%1 (%2)").arg(text, keys.first().toString(QKeySequence::NativeText)));
    pane->addAction(action);
    return action;
}

QAction *separator(QWidget *owner)
{
    auto *action = new QAction(owner);
    action->setSeparator(true);
    return action;
}

} // namespace

PaneActions PaneActions::create(QWidget *pane, QWidget *view, const QString &transferText, const QIcon &transferIcon)
{
    PaneActions a;
    a.open = makeAction(pane, Icons::open(), tr("&Open"), {});
    a.transfer = makeAction(pane, transferIcon, transferText, {});
    a.rename = makeAction(pane, Icons::rename(), tr("Re&name…"), {QKeySequence(Qt::Key_F2)});
    a.remove = makeAction(pane, Icons::remove(), tr("&Delete…"), {QKeySequence::Delete});
    a.newFolder = makeAction(pane, Icons::newFolder(), tr("New &folder…"),
                             {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_N)});
    a.refresh = makeAction(pane, Icons::refresh(), tr("Re&fresh"), {QKeySequence(Qt::Key_F5)});
    a.copyPath = makeAction(pane, Icons::copy(), tr("&Copy path"), {QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C)});
    a.back = makeAction(pane, Icons::back(), tr("Back"), {QKeySequence(Qt::ALT | Qt::Key_Left)});
    a.up = makeAction(pane, Icons::up(), tr("Up one folder"),
                      {QKeySequence(Qt::ALT | Qt::Key_Up), QKeySequence(Qt::Key_Backspace)});
    view->addActions({a.open, a.transfer, separator(view), a.rename, a.remove, a.newFolder, separator(view),
                      a.copyPath, a.refresh});
    return a;
}

void PaneActions::updateForSelection(int selected, bool connected) const
{
    open->setEnabled(selected == 1);
    transfer->setEnabled(selected > 0 && connected);
    rename->setEnabled(selected == 1);
    remove->setEnabled(selected > 0);
    copyPath->setEnabled(true);
}

} // namespace ferry::gui
