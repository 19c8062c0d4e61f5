// The transfer queue against a real ferryd (in-process): round trips with matching SHA-256, folder trees,
// pipelined small files, conflict policies and per-file quota refusals.

#include "TransferTestHelpers.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>

using namespace ferry;
using namespace ferry::test;

namespace {

// Answers every conflict the same way, at once or a little later (as a dialog would).
class ScriptedResolver : public ConflictResolver {
public:
    ConflictPolicy answer = ConflictPolicy::Skip;
    bool applyToAll = false;
    QList<Conflict> asked;

    void resolve(const Conflict &conflict, std::function<void(ConflictPolicy, bool)> decide) override
    {
        asked.append(conflict);
        QTimer::singleShot(5, [decide, policy = answer, all = applyToAll] { decide(policy, all); });
    }
};

} // namespace

class TestTransferQueue : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_temp;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<ClientSession> m_session;
    QString m_local;   // local files of the test

    QString home() const { return m_server->home(TestUser); }

private slots:
    void init()
    {
        m_temp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_temp->isValid());
        m_local = m_temp->filePath(QStringLiteral("local"));
        QVERIFY(QDir().mkpath(m_local));
        m_server = std::make_unique<TestServer>(m_temp->filePath(QStringLiteral("server")));
        QVERIFY(m_server->addUser(TestUser, TestPassword));
        QVERIFY(m_server->addUser(QStringLiteral("bob"), QStringLiteral("builder"), 1024 * 1024));
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

    void roundTripKeepsBytesHashAndMtime_data()
    {
        QTest::addColumn<qint64>("size");
        QTest::newRow("empty") << qint64(0);
        QTest::newRow("one byte") << qint64(1);
        QTest::newRow("4 MiB + 1") << qint64(4 * 1024 * 1024 + 1);
        QTest::newRow("100 MiB") << qint64(100 * 1024 * 1024);
    }
    void roundTripKeepsBytesHashAndMtime()
    {
        QFETCH(qint64, size);
        const QString source = m_local + QStringLiteral("/file.bin");
        QVERIFY(writeRandomFile(source, size, 7));
        const qint64 mtime = QDateTime(QDate(2021, 5, 1), QTime(12, 30, 15, 250), Qt::UTC).toMSecsSinceEpoch();
        QVERIFY(setModified(source, mtime));
        const QByteArray sourceHash = Sha256::hexOfFile(source);

        TransferQueue queue(m_session.get());
        QElapsedTimer clock;
        clock.start();
        const qint64 up = queue.upload({source}, QStringLiteral("/"), ConflictPolicy::Fail);
        QVERIFY(waitForJob(queue, up));
        const qint64 upMs = clock.restart();
        QCOMPARE(queue.jobItems(up).first().state, TransferState::Done);
        QCOMPARE(queue.jobItems(up).first().done, size);
        // What the server holds, read directly from its disk.
        QCOMPARE(QFileInfo(home() + QStringLiteral("/file.bin")).size(), size);
        QCOMPARE(Sha256::hexOfFile(home() + QStringLiteral("/file.bin")), sourceHash);
        QCOMPARE(modifiedMs(home() + QStringLiteral("/file.bin")), mtime);

        const QString target = m_temp->filePath(QStringLiteral("back"));
        const qint64 down = queue.download({QStringLiteral("/file.bin")}, target, ConflictPolicy::Fail);
        QVERIFY(waitForJob(queue, down));
        const qint64 downMs = clock.elapsed();
        if (size >= 100 * 1024 * 1024) {
            qInfo("%lld MiB: upload %.0f MB/s, download %.0f MB/s", size >> 20, size / 1000.0 / qMax<qint64>(1, upMs),
                  size / 1000.0 / qMax<qint64>(1, downMs));
        }
        const TransferItem item = queue.jobItems(down).first();
        QVERIFY2(item.state == TransferState::Done, qPrintable(item.error.message));
        QCOMPARE(item.size, size);
        QCOMPARE(Sha256::hexOfFile(target + QStringLiteral("/file.bin")), sourceHash);
        QCOMPARE(modifiedMs(target + QStringLiteral("/file.bin")), mtime);
        QCOMPARE(treeOf(target).size(), 1);   // no part file left beside it
        QCOMPARE(treeOf(home()).size(), 1);
    }

    void folderRoundTripKeepsTreeEmptyFoldersAndChineseNames()
    {
        const QString root = m_local + QStringLiteral("/照片");
        QVERIFY(writeFile(root + QStringLiteral("/2024/海边.jpg"), randomBytes(300 * 1024, 2)));
        QVERIFY(writeRandomFile(root + QStringLiteral("/2023/大文件.bin"), 3 * 1024 * 1024 + 5, 3));
        QVERIFY(writeFile(root + QStringLiteral("/说明.txt"), QByteArray("你好")));
        QVERIFY(writeFile(root + QStringLiteral("/.hidden"), QByteArray()));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/2024/空")));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/空文件夹/深/更深")));
        const QStringList expected = treeOf(root);

        TransferQueue queue(m_session.get());
        QSignalSpy finished(&queue, &TransferQueue::jobFinished);
        const qint64 up = queue.upload({root}, QStringLiteral("/"), ConflictPolicy::Fail);
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().at(0).toLongLong(), up);
        QCOMPARE(finished.first().at(1).toInt(), 0);
        QVERIFY2(jobSettled(queue, up), "jobFinished came before every item ended");
        QCOMPARE(treeOf(home() + QStringLiteral("/照片")), expected);
        const QList<TransferItem> items = queue.jobItems(up);
        QCOMPARE(std::count_if(items.cbegin(), items.cend(), [](const TransferItem &item) { return !item.isDir; }), 4);

        const QString back = m_temp->filePath(QStringLiteral("back"));
        const qint64 down = queue.download({QStringLiteral("/照片")}, back, ConflictPolicy::Fail);
        QVERIFY(waitForJob(queue, down));
        QVERIFY2(failures(queue, down).isEmpty(), qPrintable(failures(queue, down).join(u'\n')));
        QCOMPARE(treeOf(back + QStringLiteral("/照片")), expected);
        QVERIFY(queue.isIdle());
    }

    void manySmallFilesArePipelined()
    {
        constexpr int Files = 500;
        const QString folder = m_local + QStringLiteral("/many");
        for (int i = 0; i < Files; ++i)
            QVERIFY(writeFile(folder + QStringLiteral("/f%1.dat").arg(i, 4, 10, QLatin1Char('0')), randomBytes(4096, quint32(i))));

        TransferQueue queue(m_session.get());
        int mostInFlight = 0;
        int inFlight = 0;
        connect(&queue, &TransferQueue::itemChanged, this, [&](int) { mostInFlight = qMax(mostInFlight, inFlight = queue.totals().filesActive); });
        QElapsedTimer clock;
        clock.start();
        const qint64 job = queue.upload({folder}, QStringLiteral("/"), ConflictPolicy::Fail);
        QVERIFY(waitForJob(queue, job));
        const qint64 elapsed = qMax<qint64>(1, clock.elapsed());
        qInfo("%d files of 4 KiB in %lld ms: %.0f files/s", Files, elapsed, Files * 1000.0 / double(elapsed));
        QVERIFY2(failures(queue, job).isEmpty(), qPrintable(failures(queue, job).join(u'\n')));
        QCOMPARE(queue.totals().filesDone, Files);
        QVERIFY2(mostInFlight > 8, qPrintable(QStringLiteral("at most %1 files were in flight").arg(mostInFlight)));
        QCOMPARE(treeOf(home() + QStringLiteral("/many")), treeOf(folder));
    }

    // Small uploads keep up to 1 024 in flight (they hold no file open while they wait, and ferryd bounds what
    // it holds); small downloads are held in memory until their commit, so at most 512 run.
    void smallUploadsHaveAWiderWindowThanDownloads()
    {
        constexpr int Files = 1500;
        const QString folder = m_local + QStringLiteral("/tiny");
        for (int i = 0; i < Files; ++i)
            QVERIFY(writeFile(folder + QStringLiteral("/t%1").arg(i, 4, 10, QLatin1Char('0')), QByteArray(1, char('a' + i % 26))));

        TransferQueue queue(m_session.get());
        int mostInFlight = 0;
        connect(&queue, &TransferQueue::itemChanged, this,
                [&](int) { mostInFlight = qMax(mostInFlight, queue.totals().filesActive); });
        const qint64 up = queue.upload({folder}, QStringLiteral("/"), ConflictPolicy::Fail);
        QVERIFY(waitForJob(queue, up));
        QVERIFY2(failures(queue, up).isEmpty(), qPrintable(failures(queue, up).join(u'\n')));
        QVERIFY2(mostInFlight > 256 && mostInFlight <= 1024, qPrintable(QStringLiteral("up: %1 in flight").arg(mostInFlight)));

        mostInFlight = 0;
        const QString back = m_local + QStringLiteral("/back");
        QVERIFY(QDir().mkpath(back));
        const qint64 down = queue.download({QStringLiteral("/tiny")}, back, ConflictPolicy::Fail);
        QVERIFY(waitForJob(queue, down));
        QVERIFY2(failures(queue, down).isEmpty(), qPrintable(failures(queue, down).join(u'\n')));
        QVERIFY2(mostInFlight > 256 && mostInFlight <= 512,
                 qPrintable(QStringLiteral("down: %1 in flight").arg(mostInFlight)));
        QCOMPARE(treeOf(back + QStringLiteral("/tiny")), treeOf(folder));
    }

    // Small downloads (up to 1 MiB) running at once are expected to hold at most 64 MiB: a folder of 1 MiB files
    // keeps ~64 in flight, not the 512 of tiny ones.
    void smallDownloadsInFlightHoldAtMost64MiB()
    {
        constexpr int Files = 96;
        const QString remote = home() + QStringLiteral("/mebibytes");
        for (int i = 0; i < Files; ++i)
            QVERIFY(writeFile(remote + QStringLiteral("/m%1").arg(i, 3, 10, QLatin1Char('0')),
                              randomBytes(1024 * 1024, quint32(i))));

        TransferQueue queue(m_session.get());
        int mostInFlight = 0;
        connect(&queue, &TransferQueue::itemChanged, this,
                [&](int) { mostInFlight = qMax(mostInFlight, queue.totals().filesActive); });
        const QString back = m_local + QStringLiteral("/back");
        QVERIFY(QDir().mkpath(back));
        const qint64 down = queue.download({QStringLiteral("/mebibytes")}, back, ConflictPolicy::Fail);
        QVERIFY(waitForJob(queue, down));
        QVERIFY2(failures(queue, down).isEmpty(), qPrintable(failures(queue, down).join(u'\n')));
        QCOMPARE(queue.totals().filesDone, Files);
        QVERIFY2(mostInFlight > 8 && mostInFlight <= 64 + 1,   // and the folder's own item
                 qPrintable(QStringLiteral("%1 in flight").arg(mostInFlight)));
        QCOMPARE(treeOf(back + QStringLiteral("/mebibytes")), treeOf(remote));
    }

    void aWideWindowOpensWhileItsFirstFilesGo()
    {
        // Starting a window of 1 024 small uploads in one pass kept the event loop (a GUI's too) busy for tens
        // of milliseconds with the first file still unsent. A zero timer runs between event-loop passes: the
        // number of running items may not jump by more than one pass's worth between two of its ticks.
        constexpr int Files = 1500;
        const QString folder = m_local + QStringLiteral("/many");
        for (int i = 0; i < Files; ++i)
            QVERIFY(writeFile(folder + QStringLiteral("/m%1").arg(i, 4, 10, QLatin1Char('0')), QByteArray(1, 'm')));

        TransferQueue queue(m_session.get());
        int lastActive = 0;
        int largestJump = 0;
        int mostActive = 0;
        QTimer tick;
        tick.setInterval(0);
        connect(&tick, &QTimer::timeout, this, [&] {
            const int active = queue.totals().filesActive;
            largestJump = qMax(largestJump, active - lastActive);
            mostActive = qMax(mostActive, active);
            lastActive = active;
        });
        tick.start();
        const qint64 up = queue.upload({folder}, QStringLiteral("/"), ConflictPolicy::Fail);
        QVERIFY(waitForJob(queue, up));
        tick.stop();
        QVERIFY2(failures(queue, up).isEmpty(), qPrintable(failures(queue, up).join(u'\n')));
        QVERIFY2(mostActive > 256, qPrintable(QStringLiteral("%1 in flight").arg(mostActive)));
        QVERIFY2(largestJump <= 64, qPrintable(QStringLiteral("%1 started in one pass").arg(largestJump)));
    }

    // A big folder is looked at a batch at a time: its first files are on their way (the server busy with them)
    // before the rest have been looked at, and the queue still lists its folders first, then its files by name.
    void aBigFoldersFirstFilesLeaveBeforeTheRestIsLookedAt()
    {
        constexpr int Files = 1000;
        const QString folder = m_local + QStringLiteral("/big");
        for (int i = Files - 1; i >= 0; --i)
            QVERIFY(writeFile(folder + QStringLiteral("/b%1").arg(i, 4, 10, QLatin1Char('0')), QByteArray(1, 'b')));
        QVERIFY(QDir().mkpath(folder + QStringLiteral("/zsub")));
        QVERIFY(writeFile(folder + QStringLiteral("/zsub/inner"), "i"));

        TransferQueue queue(m_session.get());
        int listedWhenTheFirstFileRan = -1;
        connect(&queue, &TransferQueue::itemChanged, this, [&](int row) {
            if (listedWhenTheFirstFileRan < 0 && !queue.at(row).isDir && queue.at(row).state == TransferState::Running)
                listedWhenTheFirstFileRan = queue.count();
        });
        const qint64 up = queue.upload({folder}, QStringLiteral("/"), ConflictPolicy::Fail);
        QVERIFY(waitForJob(queue, up));
        QVERIFY2(failures(queue, up).isEmpty(), qPrintable(failures(queue, up).join(u'\n')));
        QCOMPARE(treeOf(home() + QStringLiteral("/big")), treeOf(folder));
        QVERIFY2(listedWhenTheFirstFileRan > 0 && listedWhenTheFirstFileRan < Files / 2,
                 qPrintable(QStringLiteral("%1 items listed before the first file ran").arg(listedWhenTheFirstFileRan)));

        QStringList order;
        for (int row = 0; row < queue.count(); ++row) {
            if (queue.at(row).localPath.startsWith(folder + u'/') && !queue.at(row).localPath.startsWith(folder + QStringLiteral("/zsub/")))
                order.append(queue.at(row).localPath.mid(folder.size() + 1));
        }
        QCOMPARE(order.size(), Files + 1);
        QCOMPARE(order.first(), QStringLiteral("zsub"));   // the folder before the files
        QCOMPARE(order.at(1), QStringLiteral("b0000"));
        QCOMPARE(order.last(), QStringLiteral("b0999"));
        QVERIFY(std::is_sorted(order.begin() + 1, order.end()));
    }

    void uploadConflictPolicies_data()
    {
        QTest::addColumn<ConflictPolicy>("policy");
        QTest::addColumn<TransferState>("state");
        QTest::addColumn<QByteArray>("expectedTarget");
        QTest::addColumn<QByteArray>("expectedRenamed");   // "a (1).txt", empty: must not exist
        QTest::newRow("fail") << ConflictPolicy::Fail << TransferState::Failed << QByteArray("old") << QByteArray();
        QTest::newRow("overwrite") << ConflictPolicy::Overwrite << TransferState::Done << QByteArray("new!") << QByteArray();
        QTest::newRow("resume without part file replaces")
            << ConflictPolicy::Resume << TransferState::Done << QByteArray("new!") << QByteArray();
        QTest::newRow("rename") << ConflictPolicy::Rename << TransferState::Done << QByteArray("old") << QByteArray("new!");
        QTest::newRow("skip") << ConflictPolicy::Skip << TransferState::Skipped << QByteArray("old") << QByteArray();
        QTest::newRow("ask without resolver fails") << ConflictPolicy::Ask << TransferState::Failed << QByteArray("old") << QByteArray();
    }
    void uploadConflictPolicies()
    {
        QFETCH(ConflictPolicy, policy);
        QFETCH(TransferState, state);
        QFETCH(QByteArray, expectedTarget);
        QFETCH(QByteArray, expectedRenamed);
        QVERIFY(writeFile(home() + QStringLiteral("/a.txt"), "old"));
        QVERIFY(writeFile(m_local + QStringLiteral("/a.txt"), "new!"));

        TransferQueue queue(m_session.get());
        const qint64 job = queue.upload({m_local + QStringLiteral("/a.txt")}, QStringLiteral("/"), policy);
        QVERIFY(waitForJob(queue, job));
        const TransferItem item = queue.jobItems(job).first();
        QCOMPARE(item.state, state);
        if (state == TransferState::Failed) {
            QCOMPARE(item.error.code, QStringLiteral("exists"));
            QVERIFY2(item.error.message.contains(QStringLiteral("/a.txt")), qPrintable(item.error.message));
        }
        QCOMPARE(readFile(home() + QStringLiteral("/a.txt")), expectedTarget);
        QCOMPARE(QFileInfo::exists(home() + QStringLiteral("/a (1).txt")), !expectedRenamed.isEmpty());
        if (!expectedRenamed.isEmpty()) {
            QCOMPARE(readFile(home() + QStringLiteral("/a (1).txt")), expectedRenamed);
            QCOMPARE(item.remotePath, QStringLiteral("/a (1).txt"));
        }
    }

    void renameFindsTheNextFreeName()
    {
        QVERIFY(writeFile(home() + QStringLiteral("/a.txt"), "0"));
        QVERIFY(writeFile(home() + QStringLiteral("/a (1).txt"), "1"));
        QVERIFY(writeFile(m_local + QStringLiteral("/a.txt"), "2"));
        TransferQueue queue(m_session.get());
        const qint64 job = queue.upload({m_local + QStringLiteral("/a.txt")}, QStringLiteral("/"), ConflictPolicy::Rename);
        QVERIFY(waitForJob(queue, job));
        QCOMPARE(readFile(home() + QStringLiteral("/a (2).txt")), QByteArray("2"));
        QCOMPARE(readFile(home() + QStringLiteral("/a (1).txt")), QByteArray("1"));
    }

    void downloadConflictPolicies_data()
    {
        QTest::addColumn<ConflictPolicy>("policy");
        QTest::addColumn<TransferState>("state");
        QTest::addColumn<QByteArray>("expectedTarget");
        QTest::addColumn<QByteArray>("expectedRenamed");
        QTest::newRow("fail") << ConflictPolicy::Fail << TransferState::Failed << QByteArray("mine") << QByteArray();
        QTest::newRow("overwrite") << ConflictPolicy::Overwrite << TransferState::Done << QByteArray("theirs") << QByteArray();
        QTest::newRow("rename") << ConflictPolicy::Rename << TransferState::Done << QByteArray("mine") << QByteArray("theirs");
        QTest::newRow("skip") << ConflictPolicy::Skip << TransferState::Skipped << QByteArray("mine") << QByteArray();
    }
    void downloadConflictPolicies()
    {
        QFETCH(ConflictPolicy, policy);
        QFETCH(TransferState, state);
        QFETCH(QByteArray, expectedTarget);
        QFETCH(QByteArray, expectedRenamed);
        QVERIFY(writeFile(home() + QStringLiteral("/a.txt"), "theirs"));
        QVERIFY(writeFile(m_local + QStringLiteral("/a.txt"), "mine"));

        TransferQueue queue(m_session.get());
        const qint64 job = queue.download({QStringLiteral("/a.txt")}, m_local, policy);
        QVERIFY(waitForJob(queue, job));
        const TransferItem item = queue.jobItems(job).first();
        QCOMPARE(item.state, state);
        if (state == TransferState::Failed) {
            QCOMPARE(item.error.code, QStringLiteral("exists"));
            QVERIFY2(item.error.message.contains(m_local + QStringLiteral("/a.txt")), qPrintable(item.error.message));
        }
        QCOMPARE(readFile(m_local + QStringLiteral("/a.txt")), expectedTarget);
        QCOMPARE(QFileInfo::exists(m_local + QStringLiteral("/a (1).txt")), !expectedRenamed.isEmpty());
        if (!expectedRenamed.isEmpty())
            QCOMPARE(readFile(m_local + QStringLiteral("/a (1).txt")), expectedRenamed);
    }

    void askConsultsResolverAndApplyToAllCoversTheJob_data()
    {
        QTest::addColumn<ConflictPolicy>("answer");
        QTest::addColumn<bool>("applyToAll");
        QTest::addColumn<int>("questions");
        QTest::addColumn<QByteArray>("expectedContent");   // of each target afterwards
        QTest::addColumn<int>("renamedCopies");
        QTest::newRow("overwrite for all: asked once") << ConflictPolicy::Overwrite << true << 1 << QByteArray("new") << 0;
        QTest::newRow("skip each: asked for every file") << ConflictPolicy::Skip << false << 3 << QByteArray("old") << 0;
        QTest::newRow("rename for all: keeps both") << ConflictPolicy::Rename << true << 1 << QByteArray("old") << 3;
    }
    void askConsultsResolverAndApplyToAllCoversTheJob()
    {
        QFETCH(ConflictPolicy, answer);
        QFETCH(bool, applyToAll);
        QFETCH(int, questions);
        QFETCH(QByteArray, expectedContent);
        QFETCH(int, renamedCopies);
        QStringList sources;
        for (const QString &name : {QStringLiteral("x.txt"), QStringLiteral("y.txt"), QStringLiteral("z.txt")}) {
            QVERIFY(writeFile(home() + QStringLiteral("/dir/") + name, "old"));
            QVERIFY(writeFile(m_local + QStringLiteral("/dir/") + name, "new"));
        }
        QVERIFY(writeFile(m_local + QStringLiteral("/dir/fresh.txt"), "fresh"));   // no conflict: not asked

        ScriptedResolver resolver;
        resolver.answer = answer;
        resolver.applyToAll = applyToAll;
        TransferQueue queue(m_session.get());
        queue.setConflictResolver(&resolver);
        const qint64 job = queue.upload({m_local + QStringLiteral("/dir")}, QStringLiteral("/"), ConflictPolicy::Ask);
        QVERIFY(waitForJob(queue, job));
        QCOMPARE(resolver.asked.size(), questions);
        QCOMPARE(resolver.asked.first().existingSize, 3);
        QCOMPARE(resolver.asked.first().item.jobId, job);
        for (const QString &name : {QStringLiteral("x"), QStringLiteral("y"), QStringLiteral("z")}) {
            QCOMPARE(readFile(home() + QStringLiteral("/dir/%1.txt").arg(name)), expectedContent);
            QCOMPARE(QFileInfo::exists(home() + QStringLiteral("/dir/%1 (1).txt").arg(name)), renamedCopies > 0);
        }
        QCOMPARE(readFile(home() + QStringLiteral("/dir/fresh.txt")), QByteArray("fresh"));
    }

    void quotaExceededFailsThatFileWhileOthersContinue()
    {
        ClientSession bob;
        QVERIFY(logIn(bob, m_server->port(), QStringLiteral("bob"), QStringLiteral("builder")));
        const QString folder = m_local + QStringLiteral("/mixed");
        QVERIFY(writeFile(folder + QStringLiteral("/a-small.txt"), randomBytes(100 * 1024, 1)));
        QVERIFY(writeRandomFile(folder + QStringLiteral("/b-huge.bin"), 2 * 1024 * 1024, 2));
        QVERIFY(writeFile(folder + QStringLiteral("/c-small.txt"), randomBytes(200 * 1024, 3)));

        TransferQueue queue(&bob);
        QSignalSpy finished(&queue, &TransferQueue::jobFinished);
        const qint64 job = queue.upload({folder}, QStringLiteral("/"), ConflictPolicy::Fail);
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().at(0).toLongLong(), job);
        QCOMPARE(finished.first().at(1).toInt(), 1);
        const TransferItem *huge = itemNamed(queue, QStringLiteral("b-huge.bin"));
        QVERIFY(huge);
        QCOMPARE(huge->state, TransferState::Failed);
        QCOMPARE(huge->error.code, QStringLiteral("quota_exceeded"));
        QVERIFY(!huge->error.message.isEmpty());
        QCOMPARE(itemNamed(queue, QStringLiteral("a-small.txt"))->state, TransferState::Done);
        QCOMPARE(itemNamed(queue, QStringLiteral("c-small.txt"))->state, TransferState::Done);
        const QString bobHome = m_server->home(QStringLiteral("bob"));
        QVERIFY(!QFileInfo::exists(bobHome + QStringLiteral("/mixed/b-huge.bin")));
        QCOMPARE(treeOf(bobHome + QStringLiteral("/mixed")).size(), 2);   // no part file of the refused one
    }

    void missingLocalPathIsAFailedItemOfItsJob()
    {
        TransferQueue queue(m_session.get());
        QSignalSpy finished(&queue, &TransferQueue::jobFinished);
        QVERIFY(writeFile(m_local + QStringLiteral("/real.txt"), "x"));
        const qint64 job = queue.upload({m_local + QStringLiteral("/nope.txt"), m_local + QStringLiteral("/real.txt")},
                                        QStringLiteral("/"), ConflictPolicy::Fail);
        QVERIFY(finished.wait(10000));
        QCOMPARE(finished.first().at(1).toInt(), 1);
        QCOMPARE(itemNamed(queue, QStringLiteral("nope.txt"))->error.code, QStringLiteral("not_found"));
        QCOMPARE(readFile(home() + QStringLiteral("/real.txt")), QByteArray("x"));
        Q_UNUSED(job);
    }
};

QTEST_MAIN(TestTransferQueue)
#include "tst_transferqueue.moc"
