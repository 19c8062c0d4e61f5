// Transfers through the window against a real ferryd: conflict answers (through the dialog seam, and the
// dialog's own buttons), "apply to all", pause and resume from the transfers panel, the status bar totals,
// and a queue that survives the window being destroyed mid-transfer and resumes without re-sending.

#include "TestSettings.h"
#include "TransferTestHelpers.h"

#include "ConflictDialog.h"
#include "ConnectionController.h"
#include "LocalPane.h"
#include "ClientContext.h"
#include "MainWindow.h"
#include "MessageBar.h"
#include "RemoteModel.h"
#include "RemotePane.h"
#include "ScriptedDialogs.h"
#include "TransferQueueModel.h"
#include "TransferStatus.h"
#include "TransfersPanel.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QCheckBox>
#include <QPushButton>
#include <QSettings>
#include <QTableView>

using namespace ferry;
using namespace ferry::gui;
using namespace ferry::test;

namespace {
constexpr qint64 BigFileBytes = 200 * 1024 * 1024;
}

class TestTransfers : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_settingsDir;
    std::unique_ptr<QTemporaryDir> m_temp;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<ScriptedDialogs> m_dialogs;
    std::unique_ptr<MainWindow> m_window;
    QString m_local;

    QString home() const { return m_server->home(TestUser); }
    QString stateFile() const { return m_temp->filePath(QStringLiteral("queue.json")); }

    void openWindow()
    {
        m_dialogs = std::make_unique<ScriptedDialogs>();
        m_window = std::make_unique<MainWindow>(m_dialogs.get(), stateFile());
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void connectWindow()
    {
        ConnectionParams params;
        params.host = QStringLiteral("127.0.0.1");
        params.port = m_server->port();
        params.user = TestUser;
        params.password = TestPassword;
        m_window->connectTo(params);
        QTRY_COMPARE(m_window->connection()->phase(), ConnectionController::Phase::Online);
    }

    // A server of its own whose account holds `quota` bytes, the window connected to it.
    bool restartWithQuota(qint64 quota)
    {
        m_server.reset();
        m_server = std::make_unique<TestServer>(m_temp->filePath(QStringLiteral("small")));
        if (!m_server->addUser(TestUser, TestPassword, quota) || !m_server->start())
            return false;
        connectWindow();
        return m_window->connection()->phase() == ConnectionController::Phase::Online;
    }

    // A large file that costs no time to make: sparse, all zeros.
    bool makeBigFile(const QString &path)
    {
        QFile file(path);
        return file.open(QIODevice::WriteOnly) && file.resize(BigFileBytes);
    }

    static ConflictResolver::Conflict sampleConflict(bool canResume)
    {
        ConflictResolver::Conflict conflict;
        conflict.item.direction = TransferDirection::Upload;
        conflict.item.localPath = QStringLiteral("/tmp/report.pdf");
        conflict.item.remotePath = QStringLiteral("/docs/report.pdf");
        conflict.item.size = 2048;
        conflict.existingSize = 1024;
        conflict.canResume = canResume;
        return conflict;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        isolateSettings(m_settingsDir.path(), QStringLiteral("tst_transfers"));
    }

    void init()
    {
        m_temp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_temp->isValid());
        m_local = m_temp->filePath(QStringLiteral("local"));
        QVERIFY(QDir().mkpath(m_local));
        m_server = std::make_unique<TestServer>(m_temp->filePath(QStringLiteral("server")));
        QVERIFY(m_server->addUser(TestUser, TestPassword));
        QVERIFY(m_server->start());
        openWindow();
    }

    void cleanup()
    {
        m_window.reset();
        m_dialogs.reset();
        m_server.reset();
        m_temp.reset();
    }

    void conflictAnswerDecidesWhatHappens_data()
    {
        QTest::addColumn<ConflictPolicy>("answer");
        QTest::addColumn<QByteArray>("expectedTarget");
        QTest::addColumn<bool>("keptCopy");
        QTest::newRow("overwrite") << ConflictPolicy::Overwrite << QByteArray("new content") << false;
        QTest::newRow("keep both") << ConflictPolicy::Rename << QByteArray("old") << true;
        QTest::newRow("skip") << ConflictPolicy::Skip << QByteArray("old") << false;
    }
    void conflictAnswerDecidesWhatHappens()
    {
        QFETCH(ConflictPolicy, answer);
        QFETCH(QByteArray, expectedTarget);
        QFETCH(bool, keptCopy);
        QVERIFY(writeFile(home() + QStringLiteral("/plan.txt"), QByteArray("old")));
        QVERIFY(writeFile(m_local + QStringLiteral("/plan.txt"), QByteArray("new content")));
        connectWindow();
        m_dialogs->answerConflict(answer);
        const qint64 job = m_window->upload({m_local + QStringLiteral("/plan.txt")}, QStringLiteral("/"));
        QVERIFY(waitForJob(*m_window->queue(), job));
        QCOMPARE(m_dialogs->asked(), QStringList{QStringLiteral("conflict: plan.txt")});
        const ConflictResolver::Conflict asked = m_dialogs->conflictsAsked().first();
        QCOMPARE(asked.existingSize, qint64(3));
        QCOMPARE(asked.item.size, qint64(11));
        QCOMPARE(readFile(home() + QStringLiteral("/plan.txt")), expectedTarget);
        QCOMPARE(readFile(home() + QStringLiteral("/plan (1).txt")), keptCopy ? QByteArray("new content") : QByteArray());
    }

    void applyToAllAnswersTheRestOfTheJobWithoutAsking()
    {
        for (const QString &name : {QStringLiteral("a.txt"), QStringLiteral("b.txt"), QStringLiteral("c.txt")}) {
            QVERIFY(writeFile(home() + QStringLiteral("/set/") + name, QByteArray("old")));
            QVERIFY(writeFile(m_local + QStringLiteral("/set/") + name, QByteArray("new")));
        }
        connectWindow();
        m_dialogs->answerConflict(ConflictPolicy::Overwrite, true);
        const qint64 job = m_window->upload({m_local + QStringLiteral("/set")}, QStringLiteral("/"));
        QVERIFY(waitForJob(*m_window->queue(), job));
        QCOMPARE(m_dialogs->asked().size(), 1);
        QVERIFY(m_dialogs->unanswered().isEmpty());
        for (const QString &name : {QStringLiteral("a.txt"), QStringLiteral("b.txt"), QStringLiteral("c.txt")})
            QCOMPARE(readFile(home() + QStringLiteral("/set/") + name), QByteArray("new"));
    }

    void overwriteIfNewerForAllIsComparedFileByFile()
    {
        const qint64 older = QDateTime(QDate(2020, 1, 1), QTime(9, 0), Qt::UTC).toMSecsSinceEpoch();
        const qint64 newer = QDateTime(QDate(2024, 1, 1), QTime(9, 0), Qt::UTC).toMSecsSinceEpoch();
        for (const QString &name : {QStringLiteral("a.txt"), QStringLiteral("b.txt")}) {
            QVERIFY(writeFile(home() + QStringLiteral("/set/") + name, QByteArray("old")));
            QVERIFY(writeFile(m_local + QStringLiteral("/set/") + name, QByteArray("new")));
        }
        QVERIFY(setModified(m_local + QStringLiteral("/set/a.txt"), newer));   // a: ours is newer
        QVERIFY(setModified(home() + QStringLiteral("/set/a.txt"), older));
        QVERIFY(setModified(m_local + QStringLiteral("/set/b.txt"), older));   // b: the server's is newer
        QVERIFY(setModified(home() + QStringLiteral("/set/b.txt"), newer));
        connectWindow();
        m_dialogs->answerConflict(ConflictPolicy::OverwriteIfNewer, true);
        const qint64 job = m_window->upload({m_local + QStringLiteral("/set")}, QStringLiteral("/"));
        QVERIFY(waitForJob(*m_window->queue(), job));
        QCOMPARE(m_dialogs->asked().size(), 1);
        QCOMPARE(readFile(home() + QStringLiteral("/set/a.txt")), QByteArray("new"));
        QCOMPARE(readFile(home() + QStringLiteral("/set/b.txt")), QByteArray("old"));
    }

    void conflictDialogButtonsGiveTheirAnswer_data()
    {
        QTest::addColumn<ConflictPolicy>("policy");
        QTest::addColumn<bool>("applyToAll");
        QTest::newRow("overwrite") << ConflictPolicy::Overwrite << false;
        QTest::newRow("resume, for all") << ConflictPolicy::Resume << true;
        QTest::newRow("keep both") << ConflictPolicy::Rename << false;
        QTest::newRow("skip, for all") << ConflictPolicy::Skip << true;
        QTest::newRow("overwrite if newer, for all") << ConflictPolicy::OverwriteIfNewer << true;
        QTest::newRow("overwrite if size differs") << ConflictPolicy::OverwriteIfSizeDiffers << false;
    }
    void conflictDialogButtonsGiveTheirAnswer()
    {
        QFETCH(ConflictPolicy, policy);
        QFETCH(bool, applyToAll);
        ConflictDialog dialog(sampleConflict(true));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        if (applyToAll)
            dialog.findChild<QCheckBox *>()->click();
        QSignalSpy finished(&dialog, &QDialog::finished);
        dialog.button(policy)->click();
        QCOMPARE(finished.count(), 1);
        QCOMPARE(dialog.choice(), policy);
        QCOMPARE(dialog.applyToAll(), applyToAll);
        QCOMPARE(dialog.result(), int(policy == ConflictPolicy::Skip ? QDialog::Rejected : QDialog::Accepted));
    }

    void conflictDialogOffersResumeOnlyWhenPossible()
    {
        ConflictDialog without(sampleConflict(false));
        QVERIFY(without.button(ConflictPolicy::Resume)->isHidden());
        QVERIFY(without.button(ConflictPolicy::Rename)->isDefault());
        ConflictDialog with(sampleConflict(true));
        QVERIFY(!with.button(ConflictPolicy::Resume)->isHidden());
        // Resume would replace the existing file (maybe another client's since the pause): not on Enter.
        QVERIFY(!with.button(ConflictPolicy::Resume)->isDefault());
        QVERIFY(with.button(ConflictPolicy::Rename)->isDefault());
        // Closing it is the safe answer.
        with.show();
        with.reject();
        QCOMPARE(with.choice(), ConflictPolicy::Skip);
    }

    void pauseAndResumeFromThePanelKeepWhatArrived()
    {
        QVERIFY(makeBigFile(m_local + QStringLiteral("/big.iso")));
        connectWindow();
        TransferQueue *queue = m_window->queue();
        TransfersPanel *panel = m_window->transfersPanel();
        QAbstractItemModelTester tester(panel->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        // Pause at the first sign of progress, from inside the signal: whatever the machine's speed.
        bool paused = false;
        connect(queue, &TransferQueue::itemChanged, this, [&](int row) {
            const TransferItem &item = queue->at(row);
            if (!paused && item.state == TransferState::Running && item.done > 0) {
                paused = true;
                panel->view()->selectRow(row);
                panel->pauseAction()->trigger();
            }
        });
        const qint64 job = m_window->upload({m_local + QStringLiteral("/big.iso")}, QStringLiteral("/"));
        QTRY_VERIFY_WITH_TIMEOUT(paused, 30000);
        QTRY_COMPARE(queue->at(0).state, TransferState::Paused);
        const qint64 doneWhenPaused = queue->at(0).done;
        QVERIFY(doneWhenPaused > 0 && doneWhenPaused < BigFileBytes);
        QVERIFY(!QFileInfo::exists(home() + QStringLiteral("/big.iso")));   // nothing half-written appears
        QTRY_VERIFY(panel->resumeAction()->isEnabled());   // the panel follows the model's throttled updates
        QVERIFY(!panel->pauseAction()->isEnabled());
        QTRY_VERIFY(m_window->transferStatus()->text().startsWith(QStringLiteral("0 of 1 file")));

        panel->resumeAction()->trigger();
        QVERIFY(waitForJob(*queue, job));
        QCOMPARE(queue->at(0).state, TransferState::Done);
        QVERIFY2(queue->at(0).resumedFrom > 0, "resumed from the part file, not from zero");
        QCOMPARE(QFileInfo(home() + QStringLiteral("/big.iso")).size(), BigFileBytes);
        QTRY_VERIFY(m_window->transferStatus()->text().startsWith(QStringLiteral("1 of 1 file")));
        QCOMPARE(m_window->transferStatus()->percent(), 100);
    }

    // A cancelled file is counted as cancelled, not left as "0 of 1 file · 0 B of 0 B" with no word of why.
    void cancelledFileIsCountedInTheStatusBar()
    {
        QVERIFY(makeBigFile(m_local + QStringLiteral("/big.iso")));
        connectWindow();
        TransferQueue *queue = m_window->queue();
        TransfersPanel *panel = m_window->transfersPanel();
        bool cancelled = false;
        onFirstProgress(*queue, 1, [&](const TransferItem &item) {
            cancelled = true;
            panel->view()->selectRow(queue->rowOf(item.id));
            panel->cancelAction()->trigger();
        });
        m_window->upload({m_local + QStringLiteral("/big.iso")}, QStringLiteral("/"));
        QTRY_VERIFY_WITH_TIMEOUT(cancelled, 30000);
        QTRY_COMPARE(queue->at(0).state, TransferState::Cancelled);
        // The tests run untranslated: the English plural "file(s)" is the source text.
        QTRY_VERIFY2(m_window->transferStatus()->text().endsWith(QStringLiteral(" · 1 cancelled")),
                     qPrintable(m_window->transferStatus()->text()));
        QVERIFY(m_window->transferStatus()->text().startsWith(QStringLiteral("0 of 1 file")));
        QVERIFY(!m_window->transferStatus()->text().contains(QStringLiteral(" B of ")));   // no "0 B of 0 B"
    }

    void queueSurvivesTheWindowAndResumesAfterReconnecting()
    {
        QVERIFY(makeBigFile(m_local + QStringLiteral("/movie.mkv")));
        connectWindow();
        // Gone mid-transfer, as when the app is closed: once the server holds part of the file (what was
        // only in socket buffers is lost with the connection), and not from inside the queue's own signal.
        const QString partFile = home() + QStringLiteral("/.ferry-part-movie.mkv");
        bool closing = false;
        connect(m_window->queue(), &TransferQueue::itemChanged, this, [&] {
            if (!closing && QFileInfo(partFile).size() > 0) {
                closing = true;
                QMetaObject::invokeMethod(this, [this] { m_window.reset(); }, Qt::QueuedConnection);
            }
        });
        m_window->upload({m_local + QStringLiteral("/movie.mkv")}, QStringLiteral("/"));
        QTRY_VERIFY_WITH_TIMEOUT(closing && !m_window, 30000);
        QVERIFY(!QFileInfo::exists(home() + QStringLiteral("/movie.mkv")));
        const qint64 arrived = QFileInfo(partFile).size();
        QVERIFY(arrived > 0);

        openWindow();
        TransferQueue *queue = m_window->queue();
        QCOMPARE(queue->count(), 1);
        QCOMPARE(queue->at(0).name(), QStringLiteral("movie.mkv"));
        QVERIFY(!queue->at(0).isFinished());
        QCOMPARE(m_window->transfersPanel()->model()->rowCount(), 1);
        connectWindow();
        QTRY_VERIFY_WITH_TIMEOUT(queue->at(0).isFinished(), 60000);
        QCOMPARE(queue->at(0).state, TransferState::Done);
        QVERIFY2(queue->at(0).resumedFrom > 0, "continued from what had arrived");
        QVERIFY(queue->at(0).resumedFrom >= arrived);
        QCOMPARE(QFileInfo(home() + QStringLiteral("/movie.mkv")).size(), BigFileBytes);
        QVERIFY(m_dialogs->asked().isEmpty());   // a restart continues without asking about its own part file
    }

    void aShortfallIsCheckedWithTheServerBeforeAsking()
    {
        QVERIFY(restartWithQuota(10000));
        QVERIFY(writeFile(m_local + QStringLiteral("/first.bin"), randomBytes(6000, 1)));
        QVERIFY(writeFile(m_local + QStringLiteral("/second.bin"), randomBytes(6000, 2)));
        QTRY_VERIFY(m_window->client()->quota().has_value());
        QVERIFY(waitForJob(*m_window->queue(), m_window->upload({m_local + QStringLiteral("/first.bin")}, QStringLiteral("/"))));
        QTRY_COMPARE(m_window->client()->quota()->used, 6000);

        // Another client frees the space; this window does not hear of it.
        ClientSession other;
        QVERIFY(logIn(other, m_server->port()));
        bool removed = false;
        other.remove(QStringLiteral("/first.bin"), false, [&removed](const Status &status) { removed = status.ok(); });
        QTRY_VERIFY(removed);
        QCOMPARE(m_window->client()->quota()->used, 6000);

        // The second file fits now: no question, it is sent.
        m_window->upload({m_local + QStringLiteral("/second.bin")}, QStringLiteral("/"));
        QTRY_COMPARE(m_window->queue()->count(), 2);
        QVERIFY(waitForJob(*m_window->queue(), m_window->queue()->at(1).jobId));
        QCOMPARE(m_window->queue()->at(1).state, TransferState::Done);
        QVERIFY(m_dialogs->asked().isEmpty());
    }

    void failedTransferIsExplainedInTheMessageBar()
    {
        QVERIFY(restartWithQuota(1000));
        QVERIFY(writeFile(m_local + QStringLiteral("/huge.bin"), randomBytes(5000, 1)));
        QTRY_VERIFY(m_window->client()->quota().has_value());
        // Asked first (the size is known before anything is sent); declining sends nothing.
        m_dialogs->answerConfirm(false);
        QCOMPARE(m_window->upload({m_local + QStringLiteral("/huge.bin")}, QStringLiteral("/")), 0);
        QTRY_COMPARE(m_dialogs->asked(), QStringList{QStringLiteral("Not enough space")});
        QCOMPARE(m_window->queue()->count(), 0);
        m_dialogs->answerConfirm(true);
        QCOMPARE(m_window->upload({m_local + QStringLiteral("/huge.bin")}, QStringLiteral("/")), 0);   // asks first
        QTRY_COMPARE(m_window->queue()->count(), 1);
        QVERIFY(waitForJob(*m_window->queue(), m_window->queue()->at(0).jobId));
        QTRY_VERIFY(!m_window->messageBar()->text().isEmpty());
        QVERIFY2(m_window->messageBar()->text().startsWith(
                         QStringLiteral("Cannot upload “huge.bin”: not enough space left in your quota")),
                 qPrintable(m_window->messageBar()->text()));
        QCOMPARE(m_window->messageBar()->level(), MessageBar::Level::Error);
        QTRY_VERIFY(m_window->transfersPanel()->retryAction()->isEnabled());
    }
};

QTEST_MAIN(TestTransfers)
#include "tst_transfers.moc"
