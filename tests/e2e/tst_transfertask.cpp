// TransferTask against a real ferryd: a task works on the queue's item itself, so once stopped it must leave
// that item alone, because the queue may already run a new task on it. Signals its runner sends after the
// stop (a late `accepted`, `progress` or `finished`) change nothing and are not passed on.

#include "DownloadRunner.h"
#include "TransferTask.h"
#include "TransferTestHelpers.h"
#include "UploadRunner.h"

using namespace ferry;
using namespace ferry::test;

namespace {
// More than one data frame: the runner waits for the server's ok before it sends or receives the bytes.
constexpr qint64 FileSize = 8 * 1024 * 1024 + 7;

// Sends what a runner that ignored its stop would send: every field of the item would change.
void sendLateSignals(TransferTask *task)
{
    if (auto *upload = task->findChild<UploadRunner *>()) {
        emit upload->accepted(3, 5);
        emit upload->progress(4);
        emit upload->finished(Status::success());
    }
    if (auto *download = task->findChild<DownloadRunner *>()) {
        emit download->accepted(3, 5, 1000);
        emit download->progress(4);
        emit download->finished(Status::success());
    }
}
} // namespace

class TestTransferTask : public QObject {
    Q_OBJECT
private:
    LoggedInFixture m_fixture;

    // An item for one file of FileSize bytes, up (local -> "/late.bin") or down ("/late.bin" -> local).
    std::shared_ptr<TransferItem> fileItem(bool upload)
    {
        auto item = std::make_shared<TransferItem>();
        item->id = 1;
        item->direction = upload ? TransferDirection::Upload : TransferDirection::Download;
        item->localPath = m_fixture.local + QStringLiteral("/late.bin");
        item->remotePath = QStringLiteral("/late.bin");
        item->size = FileSize;
        item->conflict = ConflictPolicy::Overwrite;
        writeRandomFile(upload ? item->localPath : remoteFile(*item), FileSize, 5);
        return item;
    }
    QString remoteFile(const TransferItem &item) const { return m_fixture.server->home(TestUser) + item.remotePath; }

    std::unique_ptr<TransferTask> newTask(const std::shared_ptr<TransferItem> &item)
    {
        return std::unique_ptr<TransferTask>(TransferTask::create(m_fixture.session.get(), nullptr, item));
    }
    // Starts `task` and waits until its runner's request was accepted (the item changed).
    static bool startAccepted(TransferTask *task)
    {
        QSignalSpy changed(task, &TransferTask::changed);
        task->start();
        return changed.wait(10000);
    }

private slots:
    void init() { QVERIFY(m_fixture.setUp()); }
    void cleanup() { m_fixture.tearDown(); }

    void lateRunnerSignalsAfterStopChangeNothing_data()
    {
        QTest::addColumn<bool>("upload");
        QTest::newRow("upload") << true;
        QTest::newRow("download") << false;
    }
    void lateRunnerSignalsAfterStopChangeNothing()
    {
        QFETCH(bool, upload);
        const std::shared_ptr<TransferItem> item = fileItem(upload);
        const std::unique_ptr<TransferTask> task = newTask(item);
        QVERIFY(startAccepted(task.get()));
        QVERIFY(item->started);

        task->stop(TransferTask::StopReason::Pause);
        const QJsonObject stopped = item->toJson();
        QSignalSpy changed(task.get(), &TransferTask::changed);
        QSignalSpy progressed(task.get(), &TransferTask::progressed);
        QSignalSpy finished(task.get(), &TransferTask::finished);
        sendLateSignals(task.get());

        QCOMPARE(item->toJson(), stopped);
        QCOMPARE(changed.count(), 0);
        QCOMPARE(progressed.count(), 0);
        QCOMPARE(finished.count(), 0);
    }

    // What the guard is for: the queue pauses and resumes an item, and the new task runs on the very item the
    // stopped one still points at.
    void newTaskOnTheSameItemIsNotDisturbedByTheStoppedOne()
    {
        const std::shared_ptr<TransferItem> item = fileItem(false);
        const std::unique_ptr<TransferTask> first = newTask(item);
        // Paused at its first bytes, from its own signal, as a click in a view would.
        connect(first.get(), &TransferTask::progressed, this,
                [&first] { first->stop(TransferTask::StopReason::Pause); });
        first->start();
        QTRY_VERIFY(first->isStopped());
        const qint64 arrived = item->done;
        QVERIFY(arrived > 0 && arrived < FileSize);

        const std::unique_ptr<TransferTask> second = newTask(item);
        QSignalSpy finished(second.get(), &TransferTask::finished);
        QVERIFY(startAccepted(second.get()));
        QCOMPARE(item->resumedFrom, arrived);   // from the part file the first one left
        const QJsonObject running = item->toJson();
        sendLateSignals(first.get());
        QCOMPARE(item->toJson(), running);

        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(qvariant_cast<TransferState>(finished.first().at(0)), TransferState::Done);
        QCOMPARE(item->done, FileSize);
        QCOMPARE(Sha256::hexOfFile(item->localPath), Sha256::hexOfFile(remoteFile(*item)));
    }
};

QTEST_GUILESS_MAIN(TestTransferTask)
#include "tst_transfertask.moc"
