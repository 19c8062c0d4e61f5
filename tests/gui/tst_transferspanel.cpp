// The transfers panel tells the truth about a folder upload, against a real ferryd: the folder row sums up
// its files ("Done" only when they all are), the totals show a speed while files move, every row says
// source → destination, failures say why in the row, the tabs filter, and the Log tab records what ended.

#include "TestSettings.h"
#include "TransferTestHelpers.h"

#include "ActivityLog.h"
#include "ConnectionController.h"
#include "MainWindow.h"
#include "ScriptedDialogs.h"
#include "TransferFilterModel.h"
#include "TransferQueueModel.h"
#include "TransfersPanel.h"

#include <QTabBar>
#include <QTableView>

using namespace ferry;
using namespace ferry::gui;
using namespace ferry::test;

class TestTransfersPanel : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_settingsDir;
    std::unique_ptr<QTemporaryDir> m_temp;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<ScriptedDialogs> m_dialogs;
    std::unique_ptr<MainWindow> m_window;

    QString display(int row, int column) const
    {
        const TransferQueueModel *model = m_window->transfersPanel()->model();
        return model->index(row, column).data().toString();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        isolateSettings(m_settingsDir.path(), QStringLiteral("tst_transferspanel"));
    }

    void init()
    {
        m_temp = std::make_unique<QTemporaryDir>();
        m_server = std::make_unique<TestServer>(m_temp->filePath(QStringLiteral("server")));
        QVERIFY(m_server->addUser(TestUser, TestPassword));
        QVERIFY(m_server->start());
        m_dialogs = std::make_unique<ScriptedDialogs>();
        m_window = std::make_unique<MainWindow>(m_dialogs.get(), m_temp->filePath(QStringLiteral("queue.json")));
        ConnectionParams params;
        params.host = QStringLiteral("127.0.0.1");
        params.port = m_server->port();
        params.user = TestUser;
        params.password = TestPassword;
        m_window->connectTo(params);
        QTRY_COMPARE(m_window->connection()->phase(), ConnectionController::Phase::Online);
    }

    void cleanup()
    {
        m_window.reset();
        m_dialogs.reset();
        m_server.reset();
        m_temp.reset();
    }

    void folderRowAndTotalsFollowTheFilesInside()
    {
        const QString folder = m_temp->filePath(QStringLiteral("local/Photos"));
        for (int i = 0; i < 20; ++i)
            QVERIFY(writeRandomFile(folder + QStringLiteral("/small-%1.jpg").arg(i), 20 * 1024, i));
        // Big enough that the upload outlasts the 200 ms a rate needs with room to spare: 96 MiB took ~0.2 s on a
        // fast run here and then ended before any rate was measured (failed once this way in a local run).
        QVERIFY(writeRandomFile(folder + QStringLiteral("/big.mov"), 256 * 1024 * 1024, 99));
        TransferQueue *queue = m_window->queue();
        QString folderState;
        QString folderProgress;
        onFirstProgress(*queue, 32 * 1024 * 1024, [&](const TransferItem &) {
            const int folderRow = queue->rowOf(queue->at(0).id);
            QCOMPARE(queue->at(folderRow).state, TransferState::Done);   // listed: the folder item itself ended
            folderState = display(folderRow, TransferQueueModel::StateColumn);
            folderProgress = display(folderRow, TransferQueueModel::ProgressColumn);
        });
        // The total speed at any report while the big file moves: a rate needs 200 ms of measurement, so the
        // first report alone (which came sooner on a fast run) cannot tell.
        double fastestRate = 0;
        connect(queue, &TransferQueue::itemChanged, this, [&](int row) {
            if (queue->at(row).state == TransferState::Running)
                fastestRate = qMax(fastestRate, queue->totals().rate);
        });
        const qint64 job = m_window->upload({folder}, QStringLiteral("/"));
        QVERIFY(waitForJob(*queue, job));
        disconnect(queue, &TransferQueue::itemChanged, this, nullptr);
        QCOMPARE(folderState, QStringLiteral("Running"));   // not "Done" while its big file still moves
        QVERIFY2(folderProgress != QStringLiteral("100 %"), qPrintable(folderProgress));
        QVERIFY2(fastestRate > 0, "a speed during the folder upload");
        QCOMPARE(display(0, TransferQueueModel::StateColumn), QStringLiteral("Done"));
        QCOMPARE(display(0, TransferQueueModel::ProgressColumn), QStringLiteral("100 %"));
        QCOMPARE(display(0, TransferQueueModel::RouteColumn),
                 QStringLiteral("%1 \u2192 /Photos").arg(folder));
        const QStringList log = m_window->log()->lines();
        QVERIFY2(std::any_of(log.cbegin(), log.cend(), [](const QString &line) {
                     return line.contains(QStringLiteral("big.mov \u2192 /Photos/big.mov: Done"));
                 }), qPrintable(log.join(u'\n')));
    }

    void failuresSayWhyInTheRowAndTheTabsFilter()
    {
        const QString local = m_temp->filePath(QStringLiteral("local"));
        QVERIFY(writeFile(local + QStringLiteral("/fine.txt"), "fine"));
        QVERIFY(writeFile(m_server->home(TestUser) + QStringLiteral("/taken.txt"), "theirs"));
        QVERIFY(writeFile(local + QStringLiteral("/taken.txt"), "ours"));
        TransferQueue *queue = m_window->queue();
        const qint64 job = queue->upload({local + QStringLiteral("/fine.txt"), local + QStringLiteral("/taken.txt")},
                                         QStringLiteral("/"), ConflictPolicy::Fail);
        QVERIFY(waitForJob(*queue, job));
        QCOMPARE(display(1, TransferQueueModel::StateColumn), QStringLiteral("Failed: %1").arg(queue->at(1).error.message));

        TransfersPanel *panel = m_window->transfersPanel();
        QCOMPARE(panel->filter()->rowCount(), 2);
        panel->tabs()->setCurrentIndex(2);   // Failed
        QCOMPARE(panel->filter()->rowCount(), 1);
        QCOMPARE(panel->filter()->index(0, TransferQueueModel::NameColumn).data().toString(), QStringLiteral("taken.txt"));
        panel->tabs()->setCurrentIndex(3);   // Done
        QCOMPARE(panel->filter()->rowCount(), 1);
        panel->tabs()->setCurrentIndex(1);   // Active
        QCOMPARE(panel->filter()->rowCount(), 0);
        // Retry with nothing selected acts on what it can act on: the failed one.
        panel->tabs()->setCurrentIndex(0);
        QVERIFY(panel->retryAction()->isEnabled());
    }

    // A skipped file says why in the Log: the conditional answer's reason, or that skipping was chosen.
    void theLogSaysWhyAFileWasSkipped()
    {
        const QString local = m_temp->filePath(QStringLiteral("local"));
        QVERIFY(writeFile(local + QStringLiteral("/same.txt"), "same bytes"));
        QVERIFY(writeFile(m_server->home(TestUser) + QStringLiteral("/same.txt"), "SAME BYTES"));
        QVERIFY(writeFile(local + QStringLiteral("/other.txt"), "ours"));
        QVERIFY(writeFile(m_server->home(TestUser) + QStringLiteral("/other.txt"), "theirs"));
        TransferQueue *queue = m_window->queue();
        const qint64 identical = queue->upload({local + QStringLiteral("/same.txt")}, QStringLiteral("/"),
                                               ConflictPolicy::OverwriteIfSizeDiffers);
        QVERIFY(waitForJob(*queue, identical));
        const qint64 skipped = queue->upload({local + QStringLiteral("/other.txt")}, QStringLiteral("/"), ConflictPolicy::Skip);
        QVERIFY(waitForJob(*queue, skipped));
        const QStringList log = m_window->log()->lines();
        const auto logged = [&log](const QString &start, const QString &reason) {
            return std::any_of(log.cbegin(), log.cend(), [&](const QString &line) {
                return line.contains(start) && line.contains(reason);
            });
        };
        QVERIFY2(logged(QStringLiteral("same.txt → /same.txt: Skipped"), QStringLiteral("has the same size")),
                 qPrintable(log.join(u'\n')));
        QVERIFY2(logged(QStringLiteral("other.txt → /other.txt: Skipped"), QStringLiteral("skipping it was chosen")),
                 qPrintable(log.join(u'\n')));
        QCOMPARE(readFile(m_server->home(TestUser) + QStringLiteral("/other.txt")), QByteArray("theirs"));
        QCOMPARE(readFile(m_server->home(TestUser) + QStringLiteral("/same.txt")), QByteArray("SAME BYTES"));
        // The row says it too.
        const int row = queue->rowOf(queue->jobItems(skipped).first().id);
        QVERIFY2(display(row, TransferQueueModel::StateColumn).contains(QStringLiteral("skipping it was chosen")),
                 qPrintable(display(row, TransferQueueModel::StateColumn)));
    }

    void activeTransfersComeFirst()
    {
        const QString local = m_temp->filePath(QStringLiteral("local"));
        QStringList finished;
        for (int i = 0; i < 40; ++i) {
            finished.append(local + QStringLiteral("/done-%1.txt").arg(i));
            QVERIFY(writeFile(finished.last(), "x"));
        }
        QVERIFY(writeRandomFile(local + QStringLiteral("/big.bin"), 96 * 1024 * 1024, 5));
        TransferQueue *queue = m_window->queue();
        const qint64 first = queue->upload(finished, QStringLiteral("/"), ConflictPolicy::Fail);
        QVERIFY(waitForJob(*queue, first));

        m_window->resize(900, 600);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        TransfersPanel *panel = m_window->transfersPanel();
        const auto rowName = [panel](int row) {
            return panel->filter()->index(row, TransferQueueModel::NameColumn).data().toString();
        };
        const auto rowState = [panel](int row) {
            return TransferState(panel->filter()
                                         ->index(row, TransferQueueModel::StateColumn)
                                         .data(TransferQueueModel::UnderlyingDataRole)
                                         .toInt());
        };
        QString topName;
        TransferState topState = TransferState::Done;
        bool topVisible = false;
        onFirstProgress(*queue, 16 * 1024 * 1024, [&](const TransferItem &) {
            topName = rowName(0);
            topState = rowState(0);
            // The list shows its top, where the running row is, although it was queued last of 41.
            topVisible = panel->view()->rowAt(0) == 0;
        });
        const qint64 big = queue->upload({local + QStringLiteral("/big.bin")}, QStringLiteral("/"), ConflictPolicy::Fail);
        QVERIFY(waitForJob(*queue, big));
        QCOMPARE(topName, QStringLiteral("big.bin"));
        QCOMPARE(topState, TransferState::Running);
        QVERIFY(topVisible);
        // Finished, it goes back to its place in queue order, after the ones finished before it.
        QTRY_COMPARE(rowName(40), QStringLiteral("big.bin"));
        QCOMPARE(rowName(0), QStringLiteral("done-0.txt"));
    }
};

QTEST_MAIN(TestTransfersPanel)
#include "tst_transferspanel.moc"
