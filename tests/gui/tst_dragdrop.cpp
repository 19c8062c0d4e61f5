// Drag and drop against a real ferryd: files and folders dropped on the remote pane (as a file manager
// sends them, text/uri-list) are uploaded into the folder shown or the folder row dropped on; remote rows
// dropped on the local pane are downloaded; dragging out to another application hands over downloaded
// local files; each pane refuses what it cannot take; the Upload / Download actions do the same.

#include "TestSettings.h"
#include "TransferTestHelpers.h"

#include "ConnectionController.h"
#include "LocalPane.h"
#include "MainWindow.h"
#include "PaneView.h"
#include "RemoteMimeData.h"
#include "RemoteModel.h"
#include "RemotePane.h"
#include "ScriptedDialogs.h"

#include <QAction>
#include <QDragEnterEvent>
#include <QFileSystemModel>
#include <QMimeData>
#include <QSettings>

using namespace ferry;
using namespace ferry::gui;
using namespace ferry::test;

class TestDragDrop : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_settingsDir;
    std::unique_ptr<QTemporaryDir> m_temp;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<ScriptedDialogs> m_dialogs;
    std::unique_ptr<MainWindow> m_window;
    QString m_local;

    QString home() const { return m_server->home(TestUser); }
    RemotePane *remote() const { return m_window->remotePane(); }
    RemoteModel *model() const { return m_window->remotePane()->model(); }

    // A point of the viewport below the last row: "the folder shown".
    static QPoint emptyArea(PaneView *view) { return QPoint(10, view->viewport()->height() - 5); }

    static bool drop(PaneView *view, QMimeData *data, const QPoint &pos,
                     Qt::DropActions actions = Qt::CopyAction | Qt::MoveAction)
    {
        QDragEnterEvent enter(pos, actions, data, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(view->viewport(), &enter);
        if (!enter.isAccepted())
            return false;
        QDropEvent dropEvent(pos, actions, data, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(view->viewport(), &dropEvent);
        // Always a copy: a file manager that saw "move" would delete what was only queued.
        return dropEvent.isAccepted() && dropEvent.dropAction() == Qt::CopyAction;
    }

    QPoint centerOf(PaneView *view, const QModelIndex &index)
    {
        [&] { QTRY_VERIFY(!view->visualRect(index).isEmpty()); }();
        return view->visualRect(index).center();
    }

    bool jobsDone() const
    {
        const TransferTotals totals = m_window->queue()->totals();
        return m_window->queue()->isIdle() && totals.filesTotal > 0 && totals.filesFailed == 0;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        isolateSettings(m_settingsDir.path(), QStringLiteral("tst_dragdrop"));
    }

    void init()
    {
        m_temp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_temp->isValid());
        m_local = m_temp->filePath(QStringLiteral("local"));
        QVERIFY(QDir().mkpath(m_local));
        m_server = std::make_unique<TestServer>(m_temp->filePath(QStringLiteral("server")));
        QVERIFY(m_server->addUser(TestUser, TestPassword));
        QVERIFY(QDir(home()).mkpath(QStringLiteral("inbox")));
        QVERIFY(writeFile(home() + QStringLiteral("/report.pdf"), randomBytes(700 * 1024, 3)));
        QVERIFY(writeFile(home() + QStringLiteral("/album/one.jpg"), randomBytes(1000, 4)));
        QVERIFY(writeFile(home() + QStringLiteral("/album/two.jpg"), randomBytes(2000, 5)));
        QVERIFY(m_server->start());

        m_dialogs = std::make_unique<ScriptedDialogs>();
        m_window = std::make_unique<MainWindow>(m_dialogs.get(), m_temp->filePath(QStringLiteral("queue.json")));
        m_window->resize(1000, 700);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QVERIFY(m_window->localPane()->navigateTo(m_local));
        ConnectionParams params;
        params.host = QStringLiteral("127.0.0.1");
        params.port = m_server->port();
        params.user = TestUser;
        params.password = TestPassword;
        m_window->connectTo(params);
        QTRY_COMPARE(m_window->connection()->phase(), ConnectionController::Phase::Online);
        QTRY_VERIFY(model()->isLoaded({}));
    }

    void cleanup()
    {
        m_window.reset();
        m_dialogs.reset();
        m_server.reset();
        m_temp.reset();
    }

    void filesAndFoldersDroppedOnTheRemotePaneAreUploadedThere()
    {
        const QByteArray notes = randomBytes(123456, 9);
        QVERIFY(writeFile(m_local + QStringLiteral("/notes.txt"), notes));
        QVERIFY(writeFile(m_local + QStringLiteral("/trip/day1/map.png"), randomBytes(5000, 10)));
        QVERIFY(writeFile(m_local + QStringLiteral("/trip/readme.md"), QByteArray("# trip")));

        auto *data = new QMimeData;   // as a file manager sends it
        data->setUrls({QUrl::fromLocalFile(m_local + QStringLiteral("/notes.txt")),
                       QUrl::fromLocalFile(m_local + QStringLiteral("/trip"))});
        std::unique_ptr<QMimeData> owner(data);
        QVERIFY(drop(remote()->view(), data, emptyArea(remote()->view())));

        QTRY_VERIFY_WITH_TIMEOUT(jobsDone(), 30000);
        QCOMPARE(readFile(home() + QStringLiteral("/notes.txt")), notes);
        QCOMPARE(readFile(home() + QStringLiteral("/trip/day1/map.png")), randomBytes(5000, 10));
        QCOMPARE(readFile(home() + QStringLiteral("/trip/readme.md")), QByteArray("# trip"));
        // The pane shows what arrived without a manual refresh.
        QTRY_VERIFY(model()->findIndex(QStringLiteral("/notes.txt")).has_value());
        QTRY_VERIFY(model()->findIndex(QStringLiteral("/trip")).has_value());
    }

    void dropOnAFolderRowUploadsIntoThatFolder()
    {
        QVERIFY(writeFile(m_local + QStringLiteral("/letter.odt"), randomBytes(4096, 11)));
        const QModelIndex inbox = *model()->findIndex(QStringLiteral("/inbox"));
        std::unique_ptr<QMimeData> data(new QMimeData);
        data->setUrls({QUrl::fromLocalFile(m_local + QStringLiteral("/letter.odt"))});
        QVERIFY(drop(remote()->view(), data.get(), centerOf(remote()->view(), inbox)));
        QTRY_VERIFY_WITH_TIMEOUT(jobsDone(), 30000);
        QCOMPARE(readFile(home() + QStringLiteral("/inbox/letter.odt")), randomBytes(4096, 11));
        QVERIFY(!QFileInfo::exists(home() + QStringLiteral("/letter.odt")));
    }

    void dropOnAFileRowUploadsIntoTheFolderShown()
    {
        QVERIFY(writeFile(m_local + QStringLiteral("/extra.bin"), randomBytes(100, 12)));
        const QModelIndex report = *model()->findIndex(QStringLiteral("/report.pdf"));
        std::unique_ptr<QMimeData> data(new QMimeData);
        data->setUrls({QUrl::fromLocalFile(m_local + QStringLiteral("/extra.bin"))});
        QVERIFY(drop(remote()->view(), data.get(), centerOf(remote()->view(), report)));
        QTRY_VERIFY_WITH_TIMEOUT(jobsDone(), 30000);
        QCOMPARE(readFile(home() + QStringLiteral("/extra.bin")), randomBytes(100, 12));
    }

    void remoteRowsDroppedOnTheLocalPaneAreDownloaded()
    {
        std::unique_ptr<QMimeData> data(model()->mimeData(
                {*model()->findIndex(QStringLiteral("/report.pdf")), *model()->findIndex(QStringLiteral("/album"))}));
        QVERIFY(drop(m_window->localPane()->view(), data.get(), emptyArea(m_window->localPane()->view())));
        QTRY_VERIFY_WITH_TIMEOUT(jobsDone(), 30000);
        QCOMPARE(readFile(m_local + QStringLiteral("/report.pdf")), randomBytes(700 * 1024, 3));
        QCOMPARE(readFile(m_local + QStringLiteral("/album/one.jpg")), randomBytes(1000, 4));
        QCOMPARE(readFile(m_local + QStringLiteral("/album/two.jpg")), randomBytes(2000, 5));
    }

    void remoteRowDroppedOnALocalFolderGoesIntoIt()
    {
        QVERIFY(QDir(m_local).mkpath(QStringLiteral("downloads")));
        QFileSystemModel *localModel = m_window->localPane()->model();
        QModelIndex downloads;
        QTRY_VERIFY((downloads = localModel->index(m_local + QStringLiteral("/downloads"))).isValid()
                    && localModel->rowCount(m_window->localPane()->view()->rootIndex()) == 2);   // with ".." 
        std::unique_ptr<QMimeData> data(model()->mimeData({*model()->findIndex(QStringLiteral("/report.pdf"))}));
        QVERIFY(drop(m_window->localPane()->view(), data.get(), centerOf(m_window->localPane()->view(), downloads)));
        QTRY_VERIFY_WITH_TIMEOUT(jobsDone(), 30000);
        QCOMPARE(readFile(m_local + QStringLiteral("/downloads/report.pdf")), randomBytes(700 * 1024, 3));
    }

    void eachPaneRefusesWhatItCannotTake()
    {
        // The local pane takes only remote rows (no local moves behind the user's back)…
        std::unique_ptr<QMimeData> localFiles(new QMimeData);
        localFiles->setUrls({QUrl::fromLocalFile(m_local)});
        QVERIFY(!drop(m_window->localPane()->view(), localFiles.get(), emptyArea(m_window->localPane()->view())));
        // …the remote pane takes only local files, not its own rows, and nothing offered only as a move.
        std::unique_ptr<QMimeData> remoteRows(model()->mimeData({*model()->findIndex(QStringLiteral("/report.pdf"))}));
        QVERIFY(!drop(remote()->view(), remoteRows.get(), emptyArea(remote()->view())));
        QVERIFY(!drop(remote()->view(), localFiles.get(), emptyArea(remote()->view()), Qt::MoveAction));
        QCOMPARE(m_window->queue()->count(), 0);
    }

    void draggingOutToAnotherApplicationHandsOverDownloadedFiles()
    {
        std::unique_ptr<QMimeData> data(model()->mimeData({*model()->findIndex(QStringLiteral("/report.pdf"))}));
        QCOMPARE(m_window->queue()->count(), 0);   // nothing downloaded for merely starting a drag
        const QList<QUrl> urls = data->urls();     // what a file manager asks for on drop
        QCOMPARE(urls.size(), 1);
        QVERIFY(urls.first().isLocalFile());
        QCOMPARE(QFileInfo(urls.first().toLocalFile()).fileName(), QStringLiteral("report.pdf"));
        QCOMPARE(readFile(urls.first().toLocalFile()), randomBytes(700 * 1024, 3));
        QDir(QFileInfo(urls.first().toLocalFile()).absolutePath()).removeRecursively();
    }

    void uploadAndDownloadActionsUseTheOtherPanesFolder()
    {
        QVERIFY(writeFile(m_local + QStringLiteral("/photo.raw"), randomBytes(3000, 13)));
        // Remote: show /inbox, so uploads go there.
        remote()->navigateTo(QStringLiteral("/inbox"));
        QTRY_COMPARE(remote()->currentPath(), QStringLiteral("/inbox"));
        LocalPane *local = m_window->localPane();
        QModelIndex photo;
        QTRY_VERIFY((photo = local->model()->index(m_local + QStringLiteral("/photo.raw"))).isValid()
                    && local->model()->rowCount(local->view()->rootIndex()) == 2);   // with ".." 
        local->view()->selectionModel()->select(photo, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QVERIFY(local->actions().transfer->isEnabled());
        local->actions().transfer->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(jobsDone(), 30000);
        QCOMPARE(readFile(home() + QStringLiteral("/inbox/photo.raw")), randomBytes(3000, 13));

        QTRY_VERIFY(model()->findIndex(QStringLiteral("/inbox/photo.raw")).has_value());
        const QModelIndex uploaded = *model()->findIndex(QStringLiteral("/inbox/photo.raw"));
        QVERIFY(QFile::rename(m_local + QStringLiteral("/photo.raw"), m_local + QStringLiteral("/original.raw")));
        remote()->view()->selectionModel()->select(uploaded, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        remote()->actions().transfer->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo::exists(m_local + QStringLiteral("/photo.raw")) && jobsDone(), 30000);
        QCOMPARE(readFile(m_local + QStringLiteral("/photo.raw")), randomBytes(3000, 13));
    }
};

QTEST_MAIN(TestDragDrop)
#include "tst_dragdrop.moc"
