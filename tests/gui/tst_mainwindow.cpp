// The main window against a real ferryd: browsing by double-click, typed paths, Up and Back; new folder,
// rename and delete through the pane actions (answers through ScriptedDialogs); errors, refused logins and
// lost connections shown in plain words; automatic reconnect; the quota gauge; the remembered layout.

#include "TestSettings.h"
#include "TransferTestHelpers.h"

#include "ConnectionController.h"
#include "LocalPane.h"
#include "MainWindow.h"
#include "MessageBar.h"
#include "PaneView.h"
#include "PathBar.h"
#include "QuotaGauge.h"
#include "TransferQueue.h"
#include "RemoteFileOpener.h"
#include "RemoteModel.h"
#include "RemotePane.h"
#include "RenameDelegate.h"
#include "ScriptedDialogs.h"

#include <QAction>
#include <QFileSystemModel>
#include <QHeaderView>
#include <QLineEdit>
#include <QSettings>
#include <QTcpServer>

using namespace ferry;
using namespace ferry::gui;
using namespace ferry::test;

class TestMainWindow : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_settingsDir;
    std::unique_ptr<QTemporaryDir> m_temp;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<ScriptedDialogs> m_dialogs;
    std::unique_ptr<MainWindow> m_window;

    QString home() const { return m_server->home(TestUser); }
    RemotePane *remote() const { return m_window->remotePane(); }
    RemoteModel *model() const { return m_window->remotePane()->model(); }

    ConnectionParams params(quint16 port, const QString &password = TestPassword) const
    {
        ConnectionParams p;
        p.host = QStringLiteral("127.0.0.1");
        p.port = port;
        p.user = TestUser;
        p.password = password;
        return p;
    }

    void openWindow()
    {
        m_dialogs = std::make_unique<ScriptedDialogs>();
        m_window = std::make_unique<MainWindow>(m_dialogs.get(), m_temp->filePath(QStringLiteral("queue.json")));
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void connectAndList(quint16 port)
    {
        m_window->connectTo(params(port));
        QTRY_COMPARE(m_window->connection()->phase(), ConnectionController::Phase::Online);
        QTRY_VERIFY(model()->isLoaded(remote()->view()->rootIndex()));
    }

    void select(const QString &remotePath)
    {
        const std::optional<QModelIndex> index = model()->findIndex(remotePath);
        QVERIFY2(index.has_value(), qPrintable(remotePath));
        remote()->view()->setCurrentIndex(*index);
        remote()->view()->selectionModel()->select(*index, QItemSelectionModel::ClearAndSelect
                                                                   | QItemSelectionModel::Rows);
    }

    // F2 on the selected row, then types `name` over the selection (or over all of it) and presses Enter.
    static bool renameInPlace(FilePane *pane, const QString &name, QString *selected = nullptr, bool replaceAll = true)
    {
        pane->actions().rename->trigger();
        QLineEdit *editor = nullptr;
        const bool opened = QTest::qWaitFor([&] {
            const QList<QLineEdit *> editors = pane->view()->viewport()->findChildren<QLineEdit *>();
            for (QLineEdit *candidate : editors) {
                if (candidate->isVisible())
                    editor = candidate;
            }
            return editor != nullptr;
        });
        if (!opened)
            return false;
        if (selected)
            *selected = editor->selectedText();
        if (replaceAll)
            editor->selectAll();
        QTest::keyClicks(editor, name);
        QTest::keyClick(editor, Qt::Key_Return);
        return true;
    }

    void doubleClick(const QString &remotePath)
    {
        const std::optional<QModelIndex> index = model()->findIndex(remotePath);
        QVERIFY2(index.has_value(), qPrintable(remotePath));
        QTRY_VERIFY(!remote()->view()->visualRect(*index).isEmpty());   // laid out
        const QPoint center = remote()->view()->visualRect(*index).center();
        // For widgets QTest sends the double-click event alone; a real one follows a press and release.
        QTest::mouseClick(remote()->view()->viewport(), Qt::LeftButton, {}, center);
        QTest::mouseDClick(remote()->view()->viewport(), Qt::LeftButton, {}, center);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        isolateSettings(m_settingsDir.path(), QStringLiteral("tst_mainwindow"));
    }

    void init()
    {
        m_temp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_temp->isValid());
        m_server = std::make_unique<TestServer>(m_temp->filePath(QStringLiteral("server")));
        QVERIFY(m_server->addUser(TestUser, TestPassword, 1024 * 1024));
        QVERIFY(QDir(home()).mkpath(QStringLiteral("docs/sub")));
        QVERIFY(writeFile(home() + QStringLiteral("/docs/report.txt"), QByteArray(300 * 1024, 'r')));
        QVERIFY(m_server->start());   // after the files, so its quota ledger counts them
        openWindow();
    }

    void cleanup()
    {
        m_window.reset();
        m_dialogs.reset();
        m_server.reset();
        m_temp.reset();
    }

    void offlineWindowOffersToConnect()
    {
        QVERIFY(!remote()->view()->isVisible());   // the "Not connected" page instead of an empty list
        QCOMPARE(m_window->connection()->statusText(), QStringLiteral("Not connected"));
        QVERIFY(!m_window->quotaGauge()->isVisible());
    }

    void browsesByDoubleClickTypedPathUpAndBack()
    {
        connectAndList(m_server->port());
        QCOMPARE(remote()->currentPath(), QStringLiteral("/"));
        doubleClick(QStringLiteral("/docs"));
        QTRY_COMPARE(remote()->currentPath(), QStringLiteral("/docs"));
        QTRY_VERIFY(model()->isLoaded(remote()->view()->rootIndex()));
        QCOMPARE(model()->rowCount(remote()->view()->rootIndex()), 3);   // "..", and two entries
        QCOMPARE(remote()->pathBar()->edit()->text(), QStringLiteral("/docs"));

        QLineEdit *edit = remote()->pathBar()->edit();
        edit->setText(QStringLiteral("/docs/sub"));
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_COMPARE(remote()->currentPath(), QStringLiteral("/docs/sub"));

        remote()->actions().up->trigger();
        QTRY_COMPARE(remote()->currentPath(), QStringLiteral("/docs"));
        remote()->actions().back->trigger();
        QTRY_COMPARE(remote()->currentPath(), QStringLiteral("/docs/sub"));
    }

    void openingAFileNoApplicationTakesSaysSoAndLeavesNothing()
    {
        connectAndList(m_server->port());
        QStringList launched;
        m_window->opener()->setLauncher([&launched](const QUrl &url) {
            launched.append(url.toLocalFile());
            return false;   // no application for it
        });
        doubleClick(QStringLiteral("/docs"));
        QTRY_VERIFY(model()->findIndex(QStringLiteral("/docs/report.txt")).has_value());
        doubleClick(QStringLiteral("/docs/report.txt"));
        QTRY_COMPARE(launched.size(), 1);
        QTRY_COMPARE(m_window->messageBar()->text(),
                     QStringLiteral("No application is set up to open “report.txt”. Download it to keep a copy."));
        QCOMPARE(m_window->queue()->count(), 0);   // no unexplained Download row
        QVERIFY(!QFileInfo::exists(launched.first()));   // nor a copy in the temporary folder
        QVERIFY(m_window->opener()->temporaryFolders().isEmpty());
    }

    void typedPathThatIsNotThereSaysSoAndStays()
    {
        connectAndList(m_server->port());
        QLineEdit *edit = remote()->pathBar()->edit();
        edit->setText(QStringLiteral("/nowhere"));
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_VERIFY(!m_window->messageBar()->text().isEmpty());
        QVERIFY2(m_window->messageBar()->text().contains(QStringLiteral("no such file or folder")),
                 qPrintable(m_window->messageBar()->text()));
        QCOMPARE(m_window->messageBar()->level(), MessageBar::Level::Error);
        QCOMPARE(remote()->currentPath(), QStringLiteral("/"));
        QCOMPARE(edit->text(), QStringLiteral("/"));
    }

    void createsRenamesAndDeletesAFolderThroughTheActions()
    {
        connectAndList(m_server->port());
        m_dialogs->answerText(QStringLiteral("Reports"));
        remote()->actions().newFolder->trigger();
        QTRY_VERIFY(QFileInfo(home() + QStringLiteral("/Reports")).isDir());
        QTRY_VERIFY(model()->findIndex(QStringLiteral("/Reports")).has_value());
        QTRY_COMPARE(remote()->selectedPaths(), QStringList{QStringLiteral("/Reports")});   // the new one is selected

        QVERIFY(renameInPlace(remote(), QStringLiteral("Archive")));
        QTRY_VERIFY(QFileInfo(home() + QStringLiteral("/Archive")).isDir());
        QVERIFY(!QFileInfo::exists(home() + QStringLiteral("/Reports")));
        QTRY_VERIFY(model()->findIndex(QStringLiteral("/Archive")).has_value());
        QTRY_VERIFY(!model()->findIndex(QStringLiteral("/Reports")).has_value());

        select(QStringLiteral("/Archive"));
        m_dialogs->answerConfirm(false);   // changed their mind: nothing happens
        remote()->actions().remove->trigger();
        select(QStringLiteral("/Archive"));
        m_dialogs->answerConfirm(true);
        remote()->actions().remove->trigger();
        QTRY_VERIFY(!QFileInfo::exists(home() + QStringLiteral("/Archive")));
        QTRY_VERIFY(!model()->findIndex(QStringLiteral("/Archive")).has_value());

        QCOMPARE(m_dialogs->asked(), (QStringList{QStringLiteral("New folder"), QStringLiteral("Delete"),
                                                  QStringLiteral("Delete")}));
        QVERIFY(m_dialogs->unanswered().isEmpty());
        QVERIFY(m_window->messageBar()->text().isEmpty() || m_window->messageBar()->level() != MessageBar::Level::Error);
    }

    void f2EditsTheNameInPlaceWithoutItsExtension()
    {
        QVERIFY(writeFile(home() + QStringLiteral("/docs/holiday.2024.jpg"), "jpg"));
        connectAndList(m_server->port());
        remote()->navigateTo(QStringLiteral("/docs"));
        QTRY_VERIFY(model()->findIndex(QStringLiteral("/docs/holiday.2024.jpg")).has_value());
        select(QStringLiteral("/docs/holiday.2024.jpg"));
        QString selected;
        QVERIFY(renameInPlace(remote(), QStringLiteral("summer"), &selected, false));
        QCOMPARE(selected, QStringLiteral("holiday.2024"));   // typing keeps ".jpg"
        QTRY_VERIFY(QFileInfo::exists(home() + QStringLiteral("/docs/summer.jpg")));
        QVERIFY(!QFileInfo::exists(home() + QStringLiteral("/docs/holiday.2024.jpg")));
        // The renamed row stays selected under its new name (before: the refreshed listing selected nothing).
        QTRY_COMPARE(remote()->selectedPaths(), QStringList{QStringLiteral("/docs/summer.jpg")});
        QVERIFY(m_dialogs->asked().isEmpty());   // no dialog on the way
        QCOMPARE(RenameDelegate::selectedLength(QStringLiteral(".bashrc"), false), 7);
        QCOMPARE(RenameDelegate::selectedLength(QStringLiteral("v1.2"), true), 4);   // a folder: all of it

        // The local pane the same way; Escape leaves the name alone.
        QVERIFY(writeFile(m_temp->filePath(QStringLiteral("local/notes.txt")), "n"));
        LocalPane *local = m_window->localPane();
        local->navigateTo(m_temp->filePath(QStringLiteral("local")));
        QModelIndex notes;
        auto *files = qobject_cast<QFileSystemModel *>(local->view()->model());
        QVERIFY(files);
        QTRY_VERIFY((notes = files->index(m_temp->filePath(QStringLiteral("local/notes.txt")))).isValid());
        local->view()->setCurrentIndex(notes);
        local->view()->setFocus();
        local->view()->selectionModel()->select(notes, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
        QVERIFY(renameInPlace(local, QStringLiteral("ideas"), &selected, false));
        QCOMPARE(selected, QStringLiteral("notes"));
        QTRY_VERIFY(QFileInfo::exists(m_temp->filePath(QStringLiteral("local/ideas.txt"))));
        QTRY_COMPARE(local->selectedPaths(), QStringList{m_temp->filePath(QStringLiteral("local/ideas.txt"))});
    }

    void parentRowLeadsUpAndIsNeverSelectedForWork()
    {
        connectAndList(m_server->port());
        QCOMPARE(model()->isParentRow(model()->index(0, 0)), false);   // none in the home
        doubleClick(QStringLiteral("/docs"));
        QTRY_COMPARE(remote()->currentPath(), QStringLiteral("/docs"));
        QTRY_VERIFY(model()->isLoaded(remote()->view()->rootIndex()));
        const QModelIndex up = model()->index(0, 0, remote()->view()->rootIndex());
        QCOMPARE(up.data().toString(), QStringLiteral(".."));
        QVERIFY(model()->isParentRow(up));
        QVERIFY(!(model()->flags(up) & (Qt::ItemIsDragEnabled | Qt::ItemIsEditable | Qt::ItemIsDropEnabled)));
        // Sorting by size, descending, keeps it on top.
        remote()->view()->sortByColumn(RemoteModel::SizeColumn, Qt::DescendingOrder);
        QCOMPARE(model()->index(0, 0, remote()->view()->rootIndex()).data().toString(), QStringLiteral(".."));
        remote()->view()->sortByColumn(RemoteModel::NameColumn, Qt::AscendingOrder);
        // Select all: what would be deleted or downloaded leaves ".." out.
        remote()->view()->selectAll();
        QCOMPARE(remote()->selectedPaths().size(), model()->rowCount(remote()->view()->rootIndex()) - 1);
        QVERIFY(!remote()->selectedPaths().join(QLatin1Char('|')).contains(QStringLiteral("..")));
        // Activating it goes up; there /docs unfolded shows no ".." of its own (it would repeat /docs).
        QVERIFY(!remote()->view()->isRowHidden(0, remote()->view()->rootIndex()));
        emit remote()->view()->activated(model()->index(0, 0, remote()->view()->rootIndex()));
        QTRY_COMPARE(remote()->currentPath(), QStringLiteral("/"));
        const QModelIndex docs = *model()->findIndex(QStringLiteral("/docs"));
        remote()->view()->expand(docs);
        QVERIFY(remote()->view()->isExpanded(docs) && model()->isParentRow(model()->index(0, 0, docs)));
        QVERIFY(remote()->view()->isRowHidden(0, docs));

        // The local pane has one too, and it leads up as well.
        const QString inner = m_temp->filePath(QStringLiteral("local/inner"));
        QVERIFY(QDir().mkpath(inner));
        LocalPane *local = m_window->localPane();
        QVERIFY(local->navigateTo(inner));
        QModelIndex localUp;
        QTRY_VERIFY((localUp = local->model()->index(0, 0, local->view()->rootIndex())).isValid());
        QCOMPARE(localUp.data().toString(), QStringLiteral(".."));
        QVERIFY(local->view()->isParentRow(localUp));
        QVERIFY(!local->view()->isRowHidden(localUp.row(), local->view()->rootIndex()));
        local->view()->selectAll();
        QVERIFY(local->selectedPaths().isEmpty());
        emit local->view()->activated(localUp);
        QTRY_COMPARE(local->currentPath(), m_temp->filePath(QStringLiteral("local")));

        // At "/" there is nothing above: no ".." row, and it comes back one level down.
        QVERIFY(local->navigateTo(QStringLiteral("/")));
        const auto rowNames = [local] {
            QStringList names;
            const QModelIndex root = local->view()->rootIndex();
            for (int row = 0; row < local->model()->rowCount(root); ++row)
                names.append(local->model()->index(row, 0, root).data().toString());
            return names;
        };
        QTRY_VERIFY(rowNames().contains(QStringLiteral("tmp")));
        QVERIFY(!rowNames().contains(QStringLiteral("..")));
        QVERIFY(local->navigateTo(inner));
        QTRY_VERIFY(rowNames().contains(QStringLiteral("..")));
    }

    void deletingAFolderWithContentRemovesItAll()
    {
        connectAndList(m_server->port());
        select(QStringLiteral("/docs"));
        m_dialogs->answerConfirm(true);
        remote()->actions().remove->trigger();
        QTRY_VERIFY(!QFileInfo::exists(home() + QStringLiteral("/docs")));
        QTRY_COMPARE(model()->rowCount(), 0);
        QTRY_COMPARE(m_window->quotaGauge()->text(), QStringLiteral("0 B of 1.0 MiB"));   // usage went down
    }

    void renameOntoAnExistingNameExplainsWhy()
    {
        QVERIFY(QDir(home()).mkpath(QStringLiteral("music")));
        connectAndList(m_server->port());
        select(QStringLiteral("/music"));
        QVERIFY(renameInPlace(remote(), QStringLiteral("docs")));
        QTRY_VERIFY(!m_window->messageBar()->text().isEmpty());
        QCOMPARE(m_window->messageBar()->text(),
                 QStringLiteral("Cannot rename “/music” to “/docs”: already exists."));
        QVERIFY(QFileInfo(home() + QStringLiteral("/music")).isDir());
    }

    void aSlashInANameIsExplainedAndTheErrorGoesOnceSomethingWorks()
    {
        connectAndList(m_server->port());
        select(QStringLiteral("/docs"));
        QVERIFY(renameInPlace(remote(), QStringLiteral("a/b")));
        QTRY_VERIFY(m_window->messageBar()->text().contains(QStringLiteral("contain \"/\"")));
        QCOMPARE(m_window->messageBar()->level(), MessageBar::Level::Error);
        m_dialogs->answerText(QStringLiteral("Reports"));
        remote()->actions().newFolder->trigger();
        QTRY_VERIFY(QFileInfo(home() + QStringLiteral("/Reports")).isDir());
        QTRY_COMPARE(m_window->messageBar()->text(), QString());   // the old error would only mislead now
    }

    void invalidFolderNameIsRefusedBeforeAskingTheServer()
    {
        connectAndList(m_server->port());
        m_dialogs->answerText(QStringLiteral(".ferry-secret"));
        remote()->actions().newFolder->trigger();
        QTRY_VERIFY(m_window->messageBar()->text().contains(QStringLiteral("not a valid path")));
        QVERIFY(!QFileInfo::exists(home() + QStringLiteral("/.ferry-secret")));
    }

    // Refresh shows what another client did: the folder's new content and the usage in the gauge.
    void refreshShowsAnotherClientsChanges()
    {
        connectAndList(m_server->port());
        QTRY_COMPARE(m_window->quotaGauge()->text(), QStringLiteral("300 KiB of 1.0 MiB"));
        ClientSession other;
        QVERIFY(logIn(other, m_server->port()));
        bool removed = false;
        other.remove(QStringLiteral("/docs/report.txt"), false, [&removed](const Status &status) { removed = bool(status); });
        QTRY_VERIFY(removed);
        remote()->actions().refresh->trigger();
        QTRY_COMPARE(m_window->quotaGauge()->text(), QStringLiteral("0 B of 1.0 MiB"));
    }

    void quotaGaugeShowsUsageAndLimit()
    {
        connectAndList(m_server->port());
        QTRY_VERIFY(m_window->quotaGauge()->isVisible());
        QCOMPARE(m_window->quotaGauge()->text(), QStringLiteral("300 KiB of 1.0 MiB"));
        QCOMPARE(m_window->quotaGauge()->level(), QuotaGauge::Level::Normal);
        QuotaInfo nearlyFull;
        nearlyFull.used = 900;
        nearlyFull.limit = 1000;
        m_window->quotaGauge()->setQuota(nearlyFull);
        QCOMPARE(m_window->quotaGauge()->level(), QuotaGauge::Level::NearlyFull);
        nearlyFull.used = 990;
        m_window->quotaGauge()->setQuota(nearlyFull);
        QCOMPARE(m_window->quotaGauge()->level(), QuotaGauge::Level::Full);
    }

    void wrongPasswordIsSaidPlainly()
    {
        m_window->connectTo(params(m_server->port(), QStringLiteral("not the password")));
        QTRY_VERIFY(!m_window->messageBar()->text().isEmpty());
        QCOMPARE(m_window->messageBar()->text(),
                 QStringLiteral("Cannot log in as alice: wrong user name or password."));
        QCOMPARE(m_window->messageBar()->level(), MessageBar::Level::Error);
        QTRY_COMPARE(m_window->connection()->phase(), ConnectionController::Phase::Offline);
    }

    void unreachableServerIsSaidPlainly()
    {
        QTcpServer probe;   // a port nobody listens on any more
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        const quint16 closedPort = probe.serverPort();
        probe.close();
        m_window->connectTo(params(closedPort));
        QTRY_VERIFY(!m_window->messageBar()->text().isEmpty());
        QVERIFY2(m_window->messageBar()->text().startsWith(QStringLiteral("Cannot connect to 127.0.0.1:%1").arg(closedPort)),
                 qPrintable(m_window->messageBar()->text()));
        QCOMPARE(m_window->connection()->phase(), ConnectionController::Phase::Offline);
    }

    void droppedConnectionReconnectsByItself()
    {
        // A real ferryd process, so it can be killed and started again on the same port.
        const QString dataDir = m_temp->filePath(QStringLiteral("process"));
        TestServer accounts(dataDir);
        QVERIFY(accounts.addUser(TestUser, TestPassword));
        QVERIFY(QDir(accounts.home(TestUser)).mkpath(QStringLiteral("kept")));
        FerrydProcess ferryd(dataDir);
        QVERIFY(ferryd.start());
        const quint16 port = ferryd.port();
        connectAndList(port);
        QVERIFY(model()->findIndex(QStringLiteral("/kept")).has_value());

        ferryd.kill();
        QTRY_COMPARE(m_window->connection()->phase(), ConnectionController::Phase::WaitingToReconnect);
        QVERIFY2(m_window->connection()->statusText().startsWith(QStringLiteral("Connection lost. Reconnecting in")),
                 qPrintable(m_window->connection()->statusText()));
        QCOMPARE(m_window->messageBar()->level(), MessageBar::Level::Warning);
        QVERIFY(m_window->messageBar()->text().contains(QStringLiteral("Reconnecting")));
        QVERIFY(remote()->view()->isVisible());   // the list stays, greyed out
        QVERIFY(!remote()->view()->isEnabled());

        QVERIFY(ferryd.start({}, port));
        QTRY_COMPARE_WITH_TIMEOUT(m_window->connection()->phase(), ConnectionController::Phase::Online, 30000);
        QTRY_VERIFY(remote()->view()->isEnabled());
        QVERIFY(model()->findIndex(QStringLiteral("/kept")).has_value());
        QCOMPARE(m_window->messageBar()->level(), MessageBar::Level::Information);
    }

    void layoutAndLastLocalFolderAreRemembered()
    {
        const QString folder = m_temp->filePath(QStringLiteral("somewhere"));
        QVERIFY(QDir().mkpath(folder));
        QVERIFY(m_window->localPane()->navigateTo(folder));
        m_window->remotePane()->view()->header()->resizeSection(RemoteModel::SizeColumn, 123);
        m_window->close();
        m_window.reset();
        openWindow();
        QCOMPARE(m_window->localPane()->currentPath(), folder);
        QCOMPARE(m_window->remotePane()->view()->header()->sectionSize(RemoteModel::SizeColumn), 123);
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
