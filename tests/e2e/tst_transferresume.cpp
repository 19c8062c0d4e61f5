// Interrupted transfers against a real ferryd: pause and resume both ways (the bytes before the pause are
// not sent again), cancel, a queue destroyed mid-transfer and restored from its state file, a remote file
// that changed between attempts (resume_mismatch), and a server that goes away mid-transfer.

#include "TransferTestHelpers.h"
#include "UsersFile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

using namespace ferry;
using namespace ferry::test;

namespace {
constexpr qint64 BigSize = 64 * 1024 * 1024 + 3;
// Long enough that progress is seen several times before it ends, on a fast day.
constexpr qint64 HugeSize = 256 * 1024 * 1024 + 5;
}

class TestTransferResume : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_temp;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<ClientSession> m_session;
    QString m_local;

    QString dataDir() const { return m_temp->filePath(QStringLiteral("server")); }
    QString home() const { return UsersFile::homePath(dataDir(), TestUser); }

    // Starts one transfer of a `size` bytes file, up (local -> "/") or down ("/" -> m_local); returns the job.
    qint64 startBig(TransferQueue &queue, bool upload, const QString &name = QStringLiteral("big.bin"),
                    qint64 size = BigSize)
    {
        if (upload) {
            writeRandomFile(m_local + u'/' + name, size, 11);
            return queue.upload({m_local + u'/' + name}, QStringLiteral("/"), ConflictPolicy::Fail);
        }
        writeRandomFile(home() + u'/' + name, size, 11);
        return queue.download({u'/' + name}, m_local, ConflictPolicy::Fail);
    }
    QString targetOf(bool upload, const QString &name = QStringLiteral("big.bin")) const
    {
        return (upload ? home() : m_local) + u'/' + name;
    }
    QString partOf(bool upload, const QString &name = QStringLiteral("big.bin")) const
    {
        return (upload ? home() : m_local) + QStringLiteral("/.ferry-part-") + name;
    }

private slots:
    void init()
    {
        m_temp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_temp->isValid());
        m_local = m_temp->filePath(QStringLiteral("local"));
        QVERIFY(QDir().mkpath(m_local));
        m_server = std::make_unique<TestServer>(dataDir());
        QVERIFY(m_server->addUser(TestUser, TestPassword));
        QVERIFY(m_server->start());
        m_session = std::make_unique<ClientSession>();
        QVERIFY(logIn(*m_session, m_server->port()));
    }

    void cleanup()
    {
        m_session.reset();
        m_server.reset();
        m_temp.reset();
    }

    void pauseAndResumeDoesNotSendThePrefixAgain_data()
    {
        QTest::addColumn<bool>("upload");
        QTest::newRow("upload") << true;
        QTest::newRow("download") << false;
    }
    void pauseAndResumeDoesNotSendThePrefixAgain()
    {
        QFETCH(bool, upload);
        TransferQueue queue(m_session.get());
        const qint64 job = startBig(queue, upload);
        qint64 pausedAt = -1;
        onFirstProgress(queue, 1, [&](const TransferItem &item) {
            pausedAt = item.done;
            queue.pause(item.id);
        });
        QTRY_VERIFY_WITH_TIMEOUT(pausedAt > 0, 30000);
        const TransferItem paused = queue.jobItems(job).first();
        QCOMPARE(paused.state, TransferState::Paused);
        QVERIFY(pausedAt < BigSize);
        QVERIFY(pingRoundTrip(*m_session));   // the server has handled the cancel
        // Exactly the bytes sent (or received) before the pause are in the part file (an upload's reach it from
        // ferryd's disk pool, which may still be writing when the ping is answered).
        QTRY_COMPARE(QFileInfo(partOf(upload)).size(), pausedAt);
        QVERIFY(!QFileInfo::exists(targetOf(upload)));

        queue.resume(paused.id);
        QVERIFY(waitForJob(queue, job));
        const TransferItem done = queue.jobItems(job).first();
        QVERIFY2(done.state == TransferState::Done, qPrintable(done.error.message));
        QCOMPARE(done.resumedFrom, pausedAt);
        QCOMPARE(Sha256::hexOfFile(targetOf(upload)), Sha256::hexOfFile(targetOf(!upload)));
        QVERIFY(!QFileInfo::exists(partOf(upload)));
    }

    void cancelStopsAndLeavesNoTarget_data()
    {
        QTest::addColumn<bool>("upload");
        QTest::newRow("upload") << true;
        QTest::newRow("download removes the local part file") << false;
    }
    void cancelStopsAndLeavesNoTarget()
    {
        QFETCH(bool, upload);
        TransferQueue queue(m_session.get());
        const qint64 job = startBig(queue, upload);
        bool cancelled = false;
        onFirstProgress(queue, 1, [&](const TransferItem &item) {
            queue.cancel(item.id);
            cancelled = true;
        });
        QVERIFY(waitForJob(queue, job));
        QVERIFY(cancelled);
        QCOMPARE(queue.jobItems(job).first().state, TransferState::Cancelled);
        QVERIFY(pingRoundTrip(*m_session));
        QVERIFY(!QFileInfo::exists(targetOf(upload)));
        if (!upload)
            QVERIFY(!QFileInfo::exists(partOf(upload)));
        // (An upload's part file on the server: tst_transfersafety.)
        QVERIFY(queue.isIdle());
    }

    void restoredQueueResumesWhatADestroyedQueueLeft_data()
    {
        QTest::addColumn<bool>("upload");
        QTest::newRow("upload") << true;
        QTest::newRow("download") << false;
    }
    void restoredQueueResumesWhatADestroyedQueueLeft()
    {
        QFETCH(bool, upload);
        const QString stateFile = m_temp->filePath(QStringLiteral("queue.json"));
        QPointer<TransferQueue> first = new TransferQueue(m_session.get());
        first->setStateFile(stateFile);
        startBig(*first, upload);
        qint64 stoppedAt = -1;
        onFirstProgress(*first, 1, [&](const TransferItem &item) {
            stoppedAt = item.done;
            first->deleteLater();   // as if the application quit mid-transfer
        });
        QTRY_VERIFY_WITH_TIMEOUT(!first, 30000);
        QVERIFY(stoppedAt > 0);

        const QJsonArray saved = QJsonDocument::fromJson(readFile(stateFile)).object().value(QStringLiteral("items")).toArray();
        QCOMPARE(saved.size(), 1);
        QCOMPARE(saved.first().toObject().value(QStringLiteral("started")).toBool(), true);

        TransferQueue second(m_session.get());
        second.setStateFile(stateFile);
        QVERIFY(second.restore());
        QCOMPARE(second.count(), 1);
        const qint64 job = second.at(0).jobId;
        QVERIFY(waitForJob(second, job));
        const TransferItem done = second.at(0);
        QVERIFY2(done.state == TransferState::Done, qPrintable(done.error.message));
        QVERIFY2(done.resumedFrom >= stoppedAt && done.resumedFrom < BigSize,
                 qPrintable(QStringLiteral("resumed from %1, stopped at %2").arg(done.resumedFrom).arg(stoppedAt)));
        QCOMPARE(Sha256::hexOfFile(targetOf(upload)), Sha256::hexOfFile(targetOf(!upload)));
        // Finished jobs leave the state file (saves are throttled to one a second).
        QTRY_COMPARE_WITH_TIMEOUT(
            QJsonDocument::fromJson(readFile(stateFile)).object().value(QStringLiteral("items")).toArray().size(), 0, 5000);
    }

    // A queued download whose local folder is gone when it starts (removed meanwhile, or a queue restored
    // after a restart) makes the folder again: the part file's open finds it missing.
    void downloadMakesItsMissingFolder()
    {
        QVERIFY(writeRandomFile(home() + QStringLiteral("/a.bin"), 5000, 3));
        const QString folder = m_local + QStringLiteral("/gone/deeper");
        TransferQueue queue(m_session.get());
        const qint64 job = queue.download({QStringLiteral("/a.bin")}, folder, ConflictPolicy::Fail);
        QVERIFY(waitForJob(queue, job));
        const TransferItem done = queue.jobItems(job).first();
        QVERIFY2(done.state == TransferState::Done, qPrintable(done.error.message));
        QCOMPARE(Sha256::hexOfFile(folder + QStringLiteral("/a.bin")), Sha256::hexOfFile(home() + QStringLiteral("/a.bin")));
    }

    void downloadStartsOverWhenTheRemoteFileChanged()
    {
        TransferQueue queue(m_session.get());
        const qint64 job = startBig(queue, false);
        qint64 pausedAt = -1;
        onFirstProgress(queue, 1, [&](const TransferItem &item) {
            pausedAt = item.done;
            queue.pause(item.id);
        });
        QTRY_VERIFY_WITH_TIMEOUT(pausedAt > 0, 30000);
        QVERIFY(QFileInfo(partOf(false)).size() > 0);

        // Same size, other bytes, other mtime: the part file's prefix no longer matches.
        QVERIFY(writeRandomFile(home() + QStringLiteral("/big.bin"), BigSize, 99));
        QVERIFY(setModified(home() + QStringLiteral("/big.bin"), 1600000000000));
        queue.resume(queue.jobItems(job).first().id);
        QVERIFY(waitForJob(queue, job));
        const TransferItem done = queue.jobItems(job).first();
        QVERIFY2(done.state == TransferState::Done, qPrintable(done.error.message));
        QCOMPARE(done.resumedFrom, 0);
        QCOMPARE(Sha256::hexOfFile(m_local + QStringLiteral("/big.bin")), Sha256::hexOfFile(home() + QStringLiteral("/big.bin")));
        QCOMPARE(modifiedMs(m_local + QStringLiteral("/big.bin")), 1600000000000);
    }

    void uploadStartsOverWhenTheLocalFileChanged()
    {
        TransferQueue queue(m_session.get());
        const qint64 job = startBig(queue, true);
        qint64 pausedAt = -1;
        onFirstProgress(queue, 1, [&](const TransferItem &item) {
            pausedAt = item.done;
            queue.pause(item.id);
        });
        QTRY_VERIFY_WITH_TIMEOUT(pausedAt > 0, 30000);
        QVERIFY(pingRoundTrip(*m_session));
        QTRY_COMPARE(QFileInfo(partOf(true)).size(), pausedAt);   // written by ferryd's disk pool

        // Same size, other bytes: what the server kept is no longer a prefix of the local file.
        QVERIFY(writeRandomFile(m_local + QStringLiteral("/big.bin"), BigSize, 77));
        queue.resume(queue.jobItems(job).first().id);
        QVERIFY(waitForJob(queue, job));
        const TransferItem done = queue.jobItems(job).first();
        QVERIFY2(done.state == TransferState::Done, qPrintable(done.error.message));
        QCOMPARE(done.resumedFrom, 0);
        QCOMPARE(Sha256::hexOfFile(home() + QStringLiteral("/big.bin")), Sha256::hexOfFile(m_local + QStringLiteral("/big.bin")));
    }

    void itemsCompleteAfterTheServerComesBack_data()
    {
        QTest::addColumn<bool>("upload");
        QTest::addColumn<bool>("killProcess");   // SIGKILL a real ferryd, or stop the in-process server
        QTest::newRow("upload, server stopped") << true << false;
        QTest::newRow("download, server stopped") << false << false;
        QTest::newRow("upload, ferryd killed") << true << true;
        QTest::newRow("download, ferryd killed") << false << true;
    }
    void itemsCompleteAfterTheServerComesBack()
    {
        QFETCH(bool, upload);
        QFETCH(bool, killProcess);
        m_session.reset();
        m_server->stop();
        std::unique_ptr<FerrydProcess> ferryd;
        quint16 port = 0;
        if (killProcess) {
            ferryd = std::make_unique<FerrydProcess>(dataDir());
            QVERIFY(ferryd->start());
            port = ferryd->port();
        } else {
            QVERIFY(m_server->start());
            port = m_server->port();
        }
        ClientSession session;
        QVERIFY(logIn(session, port));

        TransferQueue queue(&session);
        const qint64 job = startBig(queue, upload, QStringLiteral("big.bin"), HugeSize);
        qint64 cutAt = -1;
        // Once the receiving side holds a few MiB in its part file (progress shows ~10 times a second).
        QMetaObject::Connection watch = connect(&queue, &TransferQueue::itemChanged, this, [&](int row) {
            const TransferItem item = queue.at(row);
            if (cutAt >= 0 || item.state != TransferState::Running || QFileInfo(partOf(upload)).size() < 4 * 1024 * 1024)
                return;
            cutAt = item.done;
            if (ferryd)
                ferryd->kill();
            else
                m_server->stop();
        });
        QTRY_VERIFY_WITH_TIMEOUT(cutAt > 0, 30000);
        disconnect(watch);
        QTRY_COMPARE_WITH_TIMEOUT(session.state(), ClientSession::State::Disconnected, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(queue.jobItems(job).first().state, TransferState::Queued, 10000);

        // Back where it was: queued items belong to the server they were queued on (host:port and user).
        if (ferryd) {
            QVERIFY(ferryd->start({}, port));
        } else {
            m_server = std::make_unique<TestServer>(dataDir());
            ServerConfig samePort;
            samePort.port = port;
            QVERIFY(m_server->start(samePort));
        }
        QVERIFY(logIn(session, port));
        QVERIFY(waitForJob(queue, job));
        const TransferItem done = queue.jobItems(job).first();
        QVERIFY2(done.state == TransferState::Done, qPrintable(done.error.message));
        QVERIFY2(done.resumedFrom > 0, "the bytes moved before the server went away were sent again");
        QCOMPARE(Sha256::hexOfFile(targetOf(upload)), Sha256::hexOfFile(targetOf(!upload)));
        QVERIFY(!QFileInfo::exists(partOf(upload)));
    }
};

QTEST_MAIN(TestTransferResume)
#include "tst_transferresume.moc"
