#include "WindowLayout.h"

#include <QHeaderView>
#include <QMainWindow>
#include <QSettings>
#include <QSplitter>

namespace ferry::gui::WindowLayout {

namespace {
const QString GeometryKey = QStringLiteral("window/geometry");
const QString StateKey = QStringLiteral("window/state");
const QString PanesSplitterKey = QStringLiteral("window/panesSplitter");
const QString TransfersSplitterKey = QStringLiteral("window/transfersSplitter");
const QString LocalColumnsKey = QStringLiteral("columns/local");
const QString RemoteColumnsKey = QStringLiteral("columns/remote");
const QString TransfersColumnsKey = QStringLiteral("columns/transfers");
const QString LocalFolderKey = QStringLiteral("local/lastFolder");
} // namespace

void save(const WindowLayoutParts &parts, const QString &localFolder)
{
    QSettings settings;
    settings.setValue(GeometryKey, parts.window->saveGeometry());
    settings.setValue(StateKey, parts.window->saveState());
    settings.setValue(PanesSplitterKey, parts.panesSplitter->saveState());
    settings.setValue(TransfersSplitterKey, parts.transfersSplitter->saveState());
    settings.setValue(LocalColumnsKey, parts.localHeader->saveState());
    settings.setValue(RemoteColumnsKey, parts.remoteHeader->saveState());
    settings.setValue(TransfersColumnsKey, parts.transfersHeader->saveState());
    settings.setValue(LocalFolderKey, localFolder);
}

QString restore(const WindowLayoutParts &parts)
{
    QSettings settings;
    if (!parts.window->restoreGeometry(settings.value(GeometryKey).toByteArray()))
        parts.window->resize(1180, 760);
    parts.window->restoreState(settings.value(StateKey).toByteArray());
    parts.panesSplitter->restoreState(settings.value(PanesSplitterKey).toByteArray());
    parts.transfersSplitter->restoreState(settings.value(TransfersSplitterKey).toByteArray());
    parts.localHeader->restoreState(settings.value(LocalColumnsKey).toByteArray());
    parts.remoteHeader->restoreState(settings.value(RemoteColumnsKey).toByteArray());
    parts.transfersHeader->restoreState(settings.value(TransfersColumnsKey).toByteArray());
    return settings.value(LocalFolderKey).toString();
}

} // namespace ferry::gui::WindowLayout
