// TransferQueueModel over a real TransferQueue, checked by QAbstractItemModelTester through inserts (also
// in the middle, when a folder's content is listed while later jobs wait), changes and removals.

#include "ClientSession.h"
#include "SizeText.h"
#include "TestServer.h"
#include "TransferQueue.h"
#include "TransferQueueModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;
using namespace ferry::test;

class TestTransferQueueModel : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_temp;
    // Never connected: items stay queued, so the tests drive every state change themselves.
    std::unique_ptr<ClientSession> m_offline;
    std::unique_ptr<TransferQueue> m_queue;
    std::unique_ptr<TransferQueueModel> m_model;
    std::unique_ptr<QAbstractItemModelTester> m_tester;

    QString localFile(const QString &name, qint64 size)
    {
        const QString path = m_temp->filePath(name);
        writeFile(path, QByteArray(size, 'x'));
        return path;
    }
    QVariant cell(int row, int column, int role = Qt::DisplayRole) const
    {
        return m_model->data(m_model->index(row, column), role);
    }

private slots:
    void init()
    {
        m_temp = std::make_unique<QTemporaryDir>();
        m_offline = std::make_unique<ClientSession>();
        m_queue = std::make_unique<TransferQueue>(m_offline.get());
        m_model = std::make_unique<TransferQueueModel>(m_queue.get());
        m_tester = std::make_unique<QAbstractItemModelTester>(m_model.get(),
                                                              QAbstractItemModelTester::FailureReportingMode::QtTest);
    }
    void cleanup()
    {
        m_tester.reset();
        m_model.reset();
        m_queue.reset();
        m_offline.reset();
        m_temp.reset();
    }

    void rowsShowTheQueuedItems()
    {
        m_queue->upload({localFile(QStringLiteral("a.txt"), 1536), localFile(QStringLiteral("b.bin"), 10)}, QStringLiteral("/in"),
                        ConflictPolicy::Fail);
        QCOMPARE(m_model->rowCount(), 2);
        QCOMPARE(m_model->columnCount(), int(TransferQueueModel::ColumnCount));
        QCOMPARE(cell(0, TransferQueueModel::NameColumn).toString(), QStringLiteral("a.txt"));
        QCOMPARE(cell(0, TransferQueueModel::DirectionColumn).toString(), QStringLiteral("Upload"));
        QCOMPARE(cell(0, TransferQueueModel::SizeColumn).toString(), formatSize(1536));
        QCOMPARE(cell(0, TransferQueueModel::SizeColumn, TransferQueueModel::UnderlyingDataRole).toLongLong(), 1536);
        QCOMPARE(cell(0, TransferQueueModel::ProgressColumn).toString(), QStringLiteral("0 %"));
        QCOMPARE(cell(0, TransferQueueModel::StateColumn).toString(), transferStateName(TransferState::Queued));
        QCOMPARE(cell(0, TransferQueueModel::StateColumn, TransferQueueModel::UnderlyingDataRole).toInt(),
                 int(TransferState::Queued));
        QCOMPARE(cell(0, 0, TransferQueueModel::ProgressRole).toDouble(), 0.0);
        QCOMPARE(cell(1, 0, TransferQueueModel::ItemIdRole).toLongLong(), m_queue->at(1).id);
        QVERIFY(cell(0, TransferQueueModel::RateColumn).toString().isEmpty());   // only while running
        for (int column = 0; column < TransferQueueModel::ColumnCount; ++column)
            QVERIFY(!m_model->headerData(column, Qt::Horizontal).toString().isEmpty());
    }

    void aFailedItemExplainsItselfInTheRowAndTheToolTip()
    {
        m_queue->upload({m_temp->filePath(QStringLiteral("missing.txt"))}, QStringLiteral("/"), ConflictPolicy::Fail);
        QCOMPARE(cell(0, TransferQueueModel::StateColumn).toString(),
                 QStringLiteral("Failed: %1").arg(m_queue->at(0).error.message));
        QVERIFY(cell(0, TransferQueueModel::StateColumn).toString().contains(QStringLiteral("does not exist")));
        QVERIFY(cell(0, TransferQueueModel::NameColumn, Qt::ToolTipRole).toString().contains(QStringLiteral("does not exist")));
    }

    void changesAreCoalescedIntoOneDataChangedPerRun()
    {
        QStringList files;
        for (int i = 0; i < 5; ++i)
            files.append(localFile(QStringLiteral("f%1").arg(i), 1));
        m_queue->upload(files, QStringLiteral("/"), ConflictPolicy::Fail);
        QSignalSpy changed(m_model.get(), &QAbstractItemModel::dataChanged);
        for (int round = 0; round < 3; ++round) {   // 15 item changes in a burst
            m_queue->pauseAll();
            m_queue->resumeAll();
        }
        m_queue->pauseAll();
        QVERIFY(changed.wait(1000));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 0);
        QCOMPARE(changed.first().at(1).toModelIndex().row(), 4);
        QCOMPARE(changed.first().at(1).toModelIndex().column(), TransferQueueModel::ColumnCount - 1);
        QCOMPARE(cell(3, TransferQueueModel::StateColumn).toString(), transferStateName(TransferState::Paused));
    }

    void clearFinishedRemovesOnlyFinishedRows()
    {
        QStringList files;
        for (int i = 0; i < 5; ++i)
            files.append(localFile(QStringLiteral("f%1").arg(i), 1));
        m_queue->upload(files, QStringLiteral("/"), ConflictPolicy::Fail);
        QSignalSpy removed(m_model.get(), &QAbstractItemModel::rowsRemoved);
        m_queue->cancel(m_queue->at(0).id);
        m_queue->cancel(m_queue->at(2).id);
        m_queue->cancel(m_queue->at(3).id);
        m_queue->clearFinished();
        QCOMPARE(removed.count(), 2);   // rows 2..3, then row 0
        QCOMPARE(m_model->rowCount(), 2);
        QCOMPARE(cell(0, TransferQueueModel::NameColumn).toString(), QStringLiteral("f1"));
        QCOMPARE(cell(1, TransferQueueModel::NameColumn).toString(), QStringLiteral("f4"));
    }

    void folderContentIsInsertedAmongItsJobsRows()
    {
        TestServer server;
        QVERIFY(server.addUser(QStringLiteral("alice"), QStringLiteral("wonderland")));
        QVERIFY(server.start());
        ClientSession session;
        QSignalSpy loggedIn(&session, &ClientSession::loggedIn);
        connect(&session, &ClientSession::connected, this,
                [&session] { session.login(QStringLiteral("alice"), QStringLiteral("wonderland")); });
        session.connectToServer(QStringLiteral("127.0.0.1"), server.port());
        QVERIFY(loggedIn.wait(10000));

        TransferQueue queue(&session);
        TransferQueueModel model(&queue);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        localFile(QStringLiteral("folder/one.txt"), 3);
        localFile(QStringLiteral("folder/two.txt"), 4);
        const qint64 folderJob = queue.upload({m_temp->filePath(QStringLiteral("folder"))}, QStringLiteral("/"), ConflictPolicy::Fail);
        queue.upload({localFile(QStringLiteral("later.txt"), 5)}, QStringLiteral("/"), ConflictPolicy::Fail);
        QSignalSpy idle(&queue, &TransferQueue::idle);
        QVERIFY(idle.wait(10000));
        QCOMPARE(model.rowCount(), 4);
        const auto name = [&model](int row) { return model.data(model.index(row, TransferQueueModel::NameColumn)).toString(); };
        QCOMPARE(name(0), QStringLiteral("folder"));
        QCOMPARE(name(1), QStringLiteral("one.txt"));
        QCOMPARE(name(2), QStringLiteral("two.txt"));
        QCOMPARE(name(3), QStringLiteral("later.txt"));
        QCOMPARE(queue.at(2).jobId, folderJob);
        QTRY_COMPARE(model.data(model.index(3, 0), TransferQueueModel::ProgressRole).toDouble(), 1.0);
        QCOMPARE(model.data(model.index(3, TransferQueueModel::StateColumn)).toString(), transferStateName(TransferState::Done));
    }

    void modelEmptiesWhenTheQueueIsDestroyed()
    {
        m_queue->upload({localFile(QStringLiteral("a"), 1)}, QStringLiteral("/"), ConflictPolicy::Fail);
        QSignalSpy reset(m_model.get(), &QAbstractItemModel::modelReset);
        m_queue.reset();
        QCOMPARE(reset.count(), 1);
        QCOMPARE(m_model->rowCount(), 0);
    }
};

QTEST_MAIN(TestTransferQueueModel)
#include "tst_transferqueuemodel.moc"
