// Renders the screenshots in docs/screenshots from the real windows, against a running `ferryd --demo`.
// Built only with -DFERRY_SCREENSHOT_TOOL=ON; run by capture.sh under Xvfb:
//
//   ferry-screenshots SCENE OUT.png HOST PORT USER PASSWORD LOCAL_FOLDER
//
// SCENE: main (browsing the demo home), browse (".." rows and renaming in place), transfers (uploads in progress), conflict (the conflict dialog),
// connect (the connect dialog with saved, recent and nearby servers). The language follows LANG.

#include "Translations.h"
#include "ClientSession.h"
#include "ConnectionController.h"
#include "Icons.h"
#include "KnownServers.h"
#include "LocalPane.h"
#include "MainWindow.h"
#include "PaneView.h"
#include "RemoteModel.h"
#include "RemotePane.h"
#include "SiteStore.h"
#include "TransferQueue.h"
#include "TransfersPanel.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDir>
#include <QFileInfo>
#include <QFileSystemModel>
#include <QIcon>
#include <QScreen>
#include <QSettings>
#include <QTableView>
#include <QTemporaryDir>
#include <QTimer>

using namespace ferry;
using namespace ferry::gui;

namespace {

void grabScreenTo(const QString &path)
{
    const QPixmap shot = QGuiApplication::primaryScreen()->grabWindow(0);
    if (!shot.save(path))
        qFatal("cannot save %s", qPrintable(path));
    qInfo("saved %s (%dx%d)", qPrintable(path), shot.width(), shot.height());
    QCoreApplication::exit(0);
}

// Calls `then` once `condition` holds (checked every 50 ms), or gives up after 60 s.
void when(std::function<bool()> condition, std::function<void()> then)
{
    auto *timer = new QTimer(qApp);
    auto *waited = new int(0);
    QObject::connect(timer, &QTimer::timeout, qApp, [=] {
        if (condition()) {
            timer->stop();
            timer->deleteLater();
            delete waited;
            then();
        } else if ((*waited += 50) > 60000) {
            qFatal("screenshot scene did not reach its state");
        }
    });
    timer->start(50);
}

QDialog *visibleDialog()
{
    for (QWidget *widget : QApplication::topLevelWidgets()) {
        if (auto *dialog = qobject_cast<QDialog *>(widget); dialog && dialog->isVisible())
            return dialog;
    }
    return nullptr;
}

void centerOver(QWidget *dialog, QWidget *window)
{
    dialog->adjustSize();
    dialog->move(window->geometry().center() - QPoint(dialog->width() / 2, dialog->height() / 2));
}

} // namespace

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    if (argc < 8)
        qFatal("usage: ferry-screenshots SCENE OUT.png HOST PORT USER PASSWORD LOCAL_FOLDER");
    QApplication::setOrganizationName(QStringLiteral("FerryScreenshots"));
    QApplication::setApplicationName(QStringLiteral("ferry"));
    QApplication::setApplicationDisplayName(QStringLiteral("Ferry"));
    QTemporaryDir settings;
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, settings.path());
    installTranslations(&app);
    QApplication::setWindowIcon(Icons::app());
    QIcon::setFallbackThemeName(QStringLiteral("Adwaita"));

    const QString scene = QString::fromLocal8Bit(argv[1]);
    const QString out = QString::fromLocal8Bit(argv[2]);
    ConnectionParams params;
    params.host = QString::fromLocal8Bit(argv[3]);
    params.port = quint16(QString::fromLocal8Bit(argv[4]).toUInt());
    params.user = QString::fromLocal8Bit(argv[5]);
    params.password = QString::fromLocal8Bit(argv[6]);
    const QString localFolder = QString::fromLocal8Bit(argv[7]);

    if (scene == QLatin1String("connect")) {
        SiteStore sites;
        sites.saveSite({QStringLiteral("Office NAS"), ConnectionParams{QStringLiteral("nas.office.lan"), 7420, QStringLiteral("alice"), {}}});
        sites.saveSite({QStringLiteral("Studio"), ConnectionParams{QStringLiteral("192.168.1.40"), 7420, QStringLiteral("carol"), {}}});
        sites.addRecent(ConnectionParams{QStringLiteral("files.example.org"), 7420, QStringLiteral("alice"), {}});
        sites.addRecent(params);
    }

    // Identity scenes meet the real questions: "trust" connects to a server never seen (first contact),
    // "changed" to one remembered with another key. Every other scene trusts the demo server silently.
    const bool identityScene = scene == QLatin1String("trust") || scene == QLatin1String("changed");
    if (scene == QLatin1String("changed")) {
        const ServerIdentity old = ServerIdentity::fromFingerprint(
            QStringLiteral("5d41402abc4b2a76b9719d911017c592ae2f9d5b6a7c3e8f1b2c4d6e8f0a1b3c"));
        KnownServers().remember(params.host, params.port, old);
    } else if (scene == QLatin1String("connect")) {
        // Connected once before: the dialog shows the identity remembered then, and Forget identity.
        ClientSession::setDefaultIdentityVerifier([](const IdentityCheck &check) {
            return KnownServers().remember(check.host, check.port, check.identity);
        });
    } else if (!identityScene) {
        ClientSession::setDefaultIdentityVerifier([](const IdentityCheck &) { return Status::success(); });
    }

    const QString queueFile = QDir(settings.path()).filePath(QStringLiteral("queue.json"));
    MainWindow window(nullptr, queueFile);
    window.move(0, 0);
    window.resize(QGuiApplication::primaryScreen()->size());
    window.show();
    window.localPane()->navigateTo(localFolder);
    RemotePane *remote = window.remotePane();

    window.connectTo(params);
    const auto online = [&] {
        return window.connection()->phase() == ConnectionController::Phase::Online && remote->model()->isLoaded({});
    };

    if (scene == QLatin1String("connect")) {
        when(online, [&window, out] {
            window.disconnectFromServer();
            // The dialog is modal: look at it once discovery had time to answer.
            QTimer::singleShot(3500, [&window, out] {
                QDialog *dialog = visibleDialog();
                if (!dialog)
                    qFatal("no connect dialog");
                centerOver(dialog, &window);
                QTimer::singleShot(300, [out] { grabScreenTo(out); });
            });
            QTimer::singleShot(200, &window, &MainWindow::showConnectDialog);
        });
        return QApplication::exec();
    }

    if (scene == QLatin1String("main")) {
        when(online, [&] {
            // Show a little of everything: an expanded folder and a selected file.
            const std::optional<QModelIndex> photos = remote->model()->findIndex(QStringLiteral("/Photos"));
            if (photos)
                remote->view()->expand(*photos);
            when([&] { return !photos || remote->model()->isLoaded(*photos); }, [&] {
                if (const auto readme = remote->model()->findIndex(QStringLiteral("/README.txt")))
                    remote->view()->setCurrentIndex(*readme);
                QTimer::singleShot(800, [&] { grabScreenTo(out); });
            });
        });
    } else if (scene == QLatin1String("transfers")) {
        when(online, [&] {
            const QDir videos(QDir(localFolder).filePath(QStringLiteral("Videos")));
            QStringList files;
            for (const QString &name : videos.entryList(QDir::Files, QDir::Size | QDir::Reversed))
                files.append(videos.filePath(name));   // small ones first: some are done when the picture is taken
            window.upload(files, QStringLiteral("/"));
            TransferQueue *queue = window.queue();
            // The largest file waits, paused, to show that state too; the picture is taken while a large
            // one is about half way (a moment later, so the throttled table has painted it).
            const QString last = QFileInfo(files.constLast()).fileName();
            when([queue, last] {
                bool pausedLast = false;
                bool halfWay = false;
                for (int row = 0; row < queue->count(); ++row) {
                    const TransferItem &item = queue->at(row);
                    if (item.name() == last && item.state != TransferState::Paused && !item.isFinished())
                        queue->pause(item.id);
                    pausedLast = pausedLast || (item.name() == last && item.state == TransferState::Paused);
                    halfWay = halfWay
                              || (item.state == TransferState::Running && item.size >= 100 * 1024 * 1024
                                  && item.done * 100 / item.size >= 35);
                }
                return pausedLast && halfWay;
            }, [&] { QTimer::singleShot(350, [&] { grabScreenTo(out); }); });
        });
    } else if (scene == QLatin1String("folder")) {
        // A folder upload half way: the folder row sums up its files; the totals count this batch.
        when(online, [&] {
            window.upload({QDir(localFolder).filePath(QStringLiteral("Videos"))}, QStringLiteral("/"));
            TransferQueue *queue = window.queue();
            when([queue] {
                for (int row = 0; row < queue->count(); ++row) {
                    const TransferItem &item = queue->at(row);
                    if (item.state == TransferState::Running && item.size >= 100 * 1024 * 1024
                        && item.done * 100 / item.size >= 30)
                        return true;
                }
                return false;
            }, [&] { QTimer::singleShot(350, [&] { grabScreenTo(out); }); });
        });
    } else if (scene == QLatin1String("browse")) {
        // Inside folders on both sides: the ".." rows, and F2 renaming a file in place.
        when(online, [&] {
            remote->navigateTo(QStringLiteral("/Photos"));
            window.localPane()->navigateTo(QDir(localFolder).filePath(QStringLiteral("Documents")));
            when([&] { return remote->model()->isLoaded(remote->view()->rootIndex()); }, [&] {
                QTimer::singleShot(600, [&] {
                    LocalPane *local = window.localPane();
                    const QModelIndex notes = local->model()->index(QDir(localFolder).filePath(QStringLiteral("Documents/notes.txt")));
                    local->view()->setFocus();
                    local->view()->setCurrentIndex(notes);
                    local->actions().rename->trigger();
                    QTimer::singleShot(500, [&] { grabScreenTo(out); });
                });
            });
        });
    } else if (identityScene) {
        // The question comes right after the TLS handshake, before any frame: a modal dialog.
        when([] { return visibleDialog() != nullptr; }, [&] {
            centerOver(visibleDialog(), &window);
            QTimer::singleShot(500, [&] { grabScreenTo(out); });
        });
    } else if (scene == QLatin1String("conflict")) {
        when(online, [&] {
            window.upload({QDir(localFolder).filePath(QStringLiteral("README.txt"))}, QStringLiteral("/"));
            when([] { return visibleDialog() != nullptr; }, [&] {
                centerOver(visibleDialog(), &window);
                QTimer::singleShot(500, [&] { grabScreenTo(out); });
            });
        });
    } else {
        qFatal("unknown scene %s", qPrintable(scene));
    }
    return QApplication::exec();
}
