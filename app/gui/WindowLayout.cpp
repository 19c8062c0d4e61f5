#include "WindowLayout.h"

#include <QHeaderView>
#include <QGuiApplication>
#include <QMainWindow>
#include <QScreen>
#include <QSettings>
#include <QSplitter>

namespace ferry::gui::WindowLayout {

namespace {
const QString GeometryKey = QStringLiteral("window/geometry");
const QString StateKey = QStringLiteral("window/state");
const QString PanesSplitterKey = QStringLiteral("window/panesSplitter");
const QString TransfersSplitterKey = QStringLiteral("window/transfersSplitter");
// "columns2": widths saved before the columns were fitted to their content (fixed widths, a Modified column
// squeezed in a narrow window) are not restored.
const QString OldColumnsGroup = QStringLiteral("columns");
const QString LocalColumnsKey = QStringLiteral("columns2/local");
const QString RemoteColumnsKey = QStringLiteral("columns2/remote");
// "columns3": the transfers' source → destination column no longer stretches; a saved header would bring its
// old resize mode back.
const QString OldTransfersColumnsKey = QStringLiteral("columns2/transfers");
const QString TransfersColumnsKey = QStringLiteral("columns3/transfers");
const QString LocalFolderKey = QStringLiteral("local/lastFolder");
} // namespace

void fitOntoScreen(QMainWindow *window, bool restored)
{
    // A geometry saved at another scale or on a bigger screen may not fit this one: the server pane and
    // the transfers would be off screen. Then the default size, bounded by the screen, centred on it.
    const QScreen *screen = window->screen() ? window->screen() : QGuiApplication::primaryScreen();
    const QRect available = screen ? screen->availableGeometry() : QRect(0, 0, 1180, 760);
    const QRect frame = window->frameGeometry();
    if (restored && available.contains(frame))
        return;
    if (restored && frame.width() <= available.width() && frame.height() <= available.height()) {
        window->move(available.center() - frame.center() + frame.topLeft());
        return;
    }
    const QSize size = QSize(1180, 760).boundedTo(available.size() * 0.95);
    window->resize(size);
    window->move(available.center() - QPoint(size.width() / 2, size.height() / 2));
}

void save(const WindowLayoutParts &parts, const QString &localFolder)
{
    QSettings settings;
    settings.setValue(GeometryKey, parts.window->saveGeometry());
    settings.setValue(StateKey, parts.window->saveState());
    settings.setValue(PanesSplitterKey, parts.panesSplitter->saveState());
    settings.setValue(TransfersSplitterKey, parts.transfersSplitter->saveState());
    settings.remove(OldColumnsGroup);
    settings.remove(OldTransfersColumnsKey);
    settings.setValue(LocalColumnsKey, parts.localHeader->saveState());
    settings.setValue(RemoteColumnsKey, parts.remoteHeader->saveState());
    settings.setValue(TransfersColumnsKey, parts.transfersHeader->saveState());
    settings.setValue(LocalFolderKey, localFolder);
}

QString restore(const WindowLayoutParts &parts)
{
    QSettings settings;
    const bool restored = parts.window->restoreGeometry(settings.value(GeometryKey).toByteArray());
    fitOntoScreen(parts.window, restored);
    parts.window->restoreState(settings.value(StateKey).toByteArray());
    parts.panesSplitter->restoreState(settings.value(PanesSplitterKey).toByteArray());
    parts.transfersSplitter->restoreState(settings.value(TransfersSplitterKey).toByteArray());
    parts.localHeader->restoreState(settings.value(LocalColumnsKey).toByteArray());
    parts.remoteHeader->restoreState(settings.value(RemoteColumnsKey).toByteArray());
    parts.transfersHeader->restoreState(settings.value(TransfersColumnsKey).toByteArray());
    return settings.value(LocalFolderKey).toString();
}

} // namespace ferry::gui::WindowLayout
