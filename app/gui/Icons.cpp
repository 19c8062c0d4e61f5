#include "Icons.h"

#include <QApplication>
#include <QFile>
#include <QStyle>

// Resources of a static library must be registered by name, outside any namespace.
static void ferryInitResources()
{
    Q_INIT_RESOURCE(ferry);
}

namespace ferry::gui::Icons {

namespace {

QIcon own(const QString &name)
{
    static const bool registered = [] {
        ferryInitResources();
        return true;
    }();
    Q_UNUSED(registered);
    QIcon icon;
    for (int size : {16, 22, 24, 32, 48, 64, 128, 256}) {
        const QString path = QStringLiteral(":/icons/%1/%2.png").arg(size).arg(name);
        if (QFile::exists(path))
            icon.addFile(path, QSize(size, size));
    }
    return icon;
}

QIcon pick(const char *themeName, const QString &ownName, QStyle::StandardPixmap standard)
{
    const QIcon mine = own(ownName);
    if (!mine.isNull())
        return mine;
    const QIcon themed = QIcon::fromTheme(QLatin1String(themeName));
    if (!themed.isNull())
        return themed;
    return QApplication::style()->standardIcon(standard);
}

} // namespace

QIcon app()
{
    return own(QStringLiteral("ferry"));
}

QIcon open() { return pick("document-open", QStringLiteral("open"), QStyle::SP_DialogOpenButton); }
QIcon upload() { return pick("go-up-skip", QStringLiteral("upload"), QStyle::SP_ArrowUp); }
QIcon download() { return pick("go-down-skip", QStringLiteral("download"), QStyle::SP_ArrowDown); }
QIcon rename() { return pick("edit-rename", QStringLiteral("rename"), QStyle::SP_FileDialogDetailedView); }
QIcon remove() { return pick("edit-delete", QStringLiteral("delete"), QStyle::SP_TrashIcon); }
QIcon newFolder() { return pick("folder-new", QStringLiteral("folder-new"), QStyle::SP_FileDialogNewFolder); }
QIcon refresh() { return pick("view-refresh", QStringLiteral("refresh"), QStyle::SP_BrowserReload); }
QIcon copy() { return pick("edit-copy", QStringLiteral("copy"), QStyle::SP_FileIcon); }
QIcon back() { return pick("go-previous", QStringLiteral("back"), QStyle::SP_ArrowBack); }
QIcon up() { return pick("go-up", QStringLiteral("up"), QStyle::SP_FileDialogToParent); }
QIcon connect() { return pick("network-connect", QStringLiteral("connect"), QStyle::SP_DriveNetIcon); }
QIcon disconnect() { return pick("network-disconnect", QStringLiteral("disconnect"), QStyle::SP_DialogCloseButton); }
QIcon pause() { return pick("media-playback-pause", QStringLiteral("pause"), QStyle::SP_MediaPause); }
QIcon resume() { return pick("media-playback-start", QStringLiteral("resume"), QStyle::SP_MediaPlay); }
QIcon cancel() { return pick("process-stop", QStringLiteral("cancel"), QStyle::SP_MediaStop); }
QIcon retry() { return pick("view-refresh", QStringLiteral("retry"), QStyle::SP_BrowserReload); }
QIcon clear() { return pick("edit-clear-list", QStringLiteral("clear"), QStyle::SP_DialogResetButton); }

} // namespace ferry::gui::Icons
