#pragma once
// The actions both panes offer, with the same icons, shortcuts and context-menu order:
// Open, Upload/Download, Rename (F2), Delete (Del), New folder, Refresh (F5), Copy path, Back, Up.
// Shortcuts are bound to the pane (Qt::WidgetWithChildrenShortcut), so F2 renames in the pane with focus.

#include <QCoreApplication>
#include <QList>

class QAction;
class QIcon;
class QString;
class QWidget;

namespace ferry::gui {

struct PaneActions {
    Q_DECLARE_TR_FUNCTIONS(ferry::gui::PaneActions)

public:
    QAction *open = nullptr;
    QAction *transfer = nullptr;   // upload in the local pane, download in the remote one
    QAction *rename = nullptr;
    QAction *remove = nullptr;
    QAction *newFolder = nullptr;
    QAction *refresh = nullptr;
    QAction *copyPath = nullptr;
    QAction *back = nullptr;
    QAction *up = nullptr;

    // Actions owned by `pane`; the context menu goes on `view`.
    static PaneActions create(QWidget *pane, QWidget *view, const QString &transferText, const QIcon &transferIcon);
    // Enables what makes sense for `selected` rows (and whether one of them is a folder).
    void updateForSelection(int selected, bool connected = true) const;
};

} // namespace ferry::gui
