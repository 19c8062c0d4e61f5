#pragma once
// What the window remembers between runs (QSettings): geometry, splitter positions, column widths of the
// three lists, and the last local folder. All the keys are here.

#include <QString>

class QHeaderView;
class QMainWindow;
class QSplitter;

namespace ferry::gui {

struct WindowLayoutParts {
    QMainWindow *window = nullptr;
    QSplitter *panesSplitter = nullptr;       // local | remote
    QSplitter *transfersSplitter = nullptr;   // panes / transfers
    QHeaderView *localHeader = nullptr;
    QHeaderView *remoteHeader = nullptr;
    QHeaderView *transfersHeader = nullptr;
};

namespace WindowLayout {
void save(const WindowLayoutParts &parts, const QString &localFolder);
// Restores what was saved; returns the last local folder (empty if none).
QString restore(const WindowLayoutParts &parts);
// Keeps the window on its screen: a restored geometry that does not fit gets the default size, bounded by
// the screen (restored false: the default size in any case).
void fitOntoScreen(QMainWindow *window, bool restored);
} // namespace WindowLayout

} // namespace ferry::gui
