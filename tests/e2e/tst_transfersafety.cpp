// The transfer queue never does something with a user's data they did not ask for, against a real ferryd:
// restored items run only on the account they were queued on; a resume that meets a target which appeared
// meanwhile asks instead of replacing it; cancel removes what arrived, on the server too; a busy target is
// tried again.

#include "RawClient.h"
#include "TransferTestHelpers.h"
#include "UsersFile.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>

using namespace ferry;
using namespace ferry::test;

namespace {

const QString OtherUser = QStringLiteral("bob");
const QString OtherPassword = QStringLiteral("builder");
constexpr qint64 BigSize = 64 * 1024 * 1024 + 7;

class RecordingResolver : public ConflictResolver {
public:
    ConflictPolicy answer = ConflictPolicy::Skip;
    QList<Conflict> asked;

    void resolve(const Conflict &conflict, std::function<void(ConflictPolicy, bool)> decide) override
    {
        asked.append(conflict);
        QTimer::singleShot(0, [decide, policy = answer] { decide(policy, false); });
    }
};

QStringList visibleFiles(const QString &folder)
{
    return QDir(folder).entryList(QDir::Files | QDir::Hidden, QDir::Name);
}

} // namespace

class TestTransferSafety : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_temp;
    std::unique_ptr<TestServer> m_server;
    QString m_local;

    QString home(const QString &user = TestUser) const { return m_server->home(user); }
    QString stateFile() const { return m_temp->filePath(QStringLiteral("queue.json")); }

    qint64 quotaUsed(ClientSession &session)
    {
        qint64 used = -1;
        session.quota([&used](const Result<QuotaInfo> &quota) { used = quota ? quota->used : -2; });
        [&] { QTRY_VERIFY(used != -1); }();
        return used;
    }

    // Whether this ferryd deletes a put's part file on cancel with discard (WIRE.md; the server issue adds it).
    bool serverDiscards()
    {
        RawClient raw;
        if (!raw.login(m_server->port(), TestUser, TestPassword))
            return false;
        raw.send(QJsonObject{{QStringLiteral("op"), QStringLiteral("put")}, {QStringLiteral("id"), 1},
                             {QStringLiteral("path"), QStringLiteral("/probe.bin")}, {QStringLiteral("size"), 10},
                             {QStringLiteral("mode"), QStringLiteral("new")}});
        raw.next();
        raw.send(QJsonObject{{QStringLiteral("op"), QStringLiteral("data")}, {QStringLiteral("id"), 1}}, "01234", true);
        raw.send(QJsonObject{{QStringLiteral("op"), QStringLiteral("cancel")}, {QStringLiteral("id"), 2},
                             {QStringLiteral("target"), 1}, {QStringLiteral("discard"), true}});
        raw.untilFinal(2);
        return !QFileInfo::exists(home() + QStringLiteral("/.ferry-part-probe.bin"));
    }

private slots:
    void init()
    {
        m_temp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_temp->isValid());
        m_local = m_temp->filePath(QStringLiteral("local"));
        QVERIFY(QDir().mkpath(m_local));
        m_server = std::make_unique<TestServer>(m_temp->filePath(QStringLiteral("server")));
        QVERIFY(m_server->addUser(TestUser, TestPassword));
        QVERIFY(m_server->addUser(OtherUser, OtherPassword));
        QVERIFY(m_server->start());
    }

    void cleanup()
    {
        m_server.reset();
        m_temp.reset();
    }

    void restoredItemsRunOnlyOnTheAccountTheyWereQueuedOn()
    {
        // Issue 11 #1: queued as alice, restored while logged in as bob, they ran in bob's home.
        QVERIFY(writeFile(m_local + QStringLiteral("/a.txt"), "alice's"));
        QVERIFY(writeFile(m_local + QStringLiteral("/b.txt"), "bob's"));
        {
            ClientSession alice;
            QVERIFY(logIn(alice, m_server->port()));
            TransferQueue queue(&alice);
            queue.setStateFile(stateFile());
            queue.setAutoStart(false);
            queue.upload({m_local + QStringLiteral("/a.txt")}, QStringLiteral("/"));
            QCOMPARE(queue.at(0).user, TestUser);
            QCOMPARE(queue.at(0).server, QStringLiteral("127.0.0.1:%1").arg(m_server->port()));
        }   // quits with the item queued
        const QJsonObject saved = QJsonDocument::fromJson(readFile(stateFile())).object()
                                          .value(QStringLiteral("items")).toArray().first().toObject();
        QCOMPARE(saved.value(QStringLiteral("user")).toString(), TestUser);
        QCOMPARE(saved.value(QStringLiteral("server")).toString(), QStringLiteral("127.0.0.1:%1").arg(m_server->port()));
        QVERIFY(saved.contains(QStringLiteral("identity")));

        ClientSession session;
        QVERIFY(logIn(session, m_server->port(), OtherUser, OtherPassword));
        TransferQueue queue(&session);
        queue.setStateFile(stateFile());
        QVERIFY(queue.restore());
        QCOMPARE(queue.count(), 1);
        // Bob's own upload runs (so the queue did schedule), alice's waits.
        const qint64 bobsJob = queue.upload({m_local + QStringLiteral("/b.txt")}, QStringLiteral("/"));
        QVERIFY(waitForJob(queue, bobsJob));
        QCOMPARE(queue.jobItems(bobsJob).first().state, TransferState::Done);
        QCOMPARE(queue.at(0).state, TransferState::Queued);
        QCOMPARE(visibleFiles(home(OtherUser)), QStringList{QStringLiteral("b.txt")});
        QVERIFY(visibleFiles(home()).isEmpty());

        // Logged in as alice, the same queue runs it in alice's home.
        QSignalSpy disconnected(&session, &ClientSession::disconnected);
        session.disconnectFromServer();
        QTRY_COMPARE(disconnected.count(), 1);
        QVERIFY(logIn(session, m_server->port()));
        QVERIFY(waitForJob(queue, queue.at(0).jobId));
        QCOMPARE(queue.at(0).state, TransferState::Done);
        QCOMPARE(readFile(home() + QStringLiteral("/a.txt")), QByteArray("alice's"));
        QCOMPARE(visibleFiles(home(OtherUser)), QStringList{QStringLiteral("b.txt")});
    }

    void resumeAsksWhenAnotherFileAppearedAtTheTarget()
    {
        // Issue 11 #3: pause, another client puts a file at the path, resume -> it was replaced unasked.
        ClientSession session;
        QVERIFY(logIn(session, m_server->port()));
        TransferQueue queue(&session);
        RecordingResolver resolver;
        resolver.answer = ConflictPolicy::Skip;
        queue.setConflictResolver(&resolver);
        QVERIFY(writeRandomFile(m_local + QStringLiteral("/big.bin"), BigSize, 3));
        const qint64 job = queue.upload({m_local + QStringLiteral("/big.bin")}, QStringLiteral("/"));
        onFirstProgress(queue, 1, [&queue](const TransferItem &item) { queue.pause(item.id); });
        QTRY_COMPARE_WITH_TIMEOUT(queue.jobItems(job).first().state, TransferState::Paused, 30000);
        QVERIFY(resolver.asked.isEmpty());   // nothing was there when it started

        // Another client stores its own file under that name meanwhile.
        ClientSession other;
        QVERIFY(logIn(other, m_server->port()));
        TransferQueue otherQueue(&other);
        QVERIFY(writeFile(m_temp->filePath(QStringLiteral("big.bin")), "someone else's file"));
        const qint64 otherJob = otherQueue.upload({m_temp->filePath(QStringLiteral("big.bin"))}, QStringLiteral("/"));
        QVERIFY(waitForJob(otherQueue, otherJob));
        QCOMPARE(otherQueue.jobItems(otherJob).first().state, TransferState::Done);

        queue.resume(queue.jobItems(job).first().id);
        QVERIFY(waitForJob(queue, job));
        QCOMPARE(resolver.asked.size(), 1);
        QCOMPARE(resolver.asked.first().existingSize, qint64(19));
        QVERIFY(resolver.asked.first().canResume);
        QCOMPARE(queue.jobItems(job).first().state, TransferState::Skipped);
        QCOMPARE(readFile(home() + QStringLiteral("/big.bin")), QByteArray("someone else's file"));
    }

    void resumeContinuesWhenTheTargetIsStillAbsent()
    {
        ClientSession session;
        QVERIFY(logIn(session, m_server->port()));
        TransferQueue queue(&session);
        RecordingResolver resolver;
        queue.setConflictResolver(&resolver);
        QVERIFY(writeRandomFile(m_local + QStringLiteral("/big.bin"), BigSize, 4));
        const qint64 job = queue.upload({m_local + QStringLiteral("/big.bin")}, QStringLiteral("/"));
        onFirstProgress(queue, 1, [&queue](const TransferItem &item) { queue.pause(item.id); });
        QTRY_COMPARE_WITH_TIMEOUT(queue.jobItems(job).first().state, TransferState::Paused, 30000);
        const qint64 pausedAt = queue.jobItems(job).first().done;
        queue.resume(queue.jobItems(job).first().id);
        QVERIFY(waitForJob(queue, job));
        QVERIFY(resolver.asked.isEmpty());
        QCOMPARE(queue.jobItems(job).first().state, TransferState::Done);
        QVERIFY(queue.jobItems(job).first().resumedFrom >= pausedAt);
        QCOMPARE(Sha256::hexOfFile(home() + QStringLiteral("/big.bin")),
                 Sha256::hexOfFile(m_local + QStringLiteral("/big.bin")));
    }

    void busyTargetIsTriedAgainUntilItIsFree()
    {
        // Another session writes the target (the killed previous run, typically): the item waits and retries
        // instead of failing at once — in the engine, so the desktop client has it as well as ferry-cli.
        RawClient holder;
        QVERIFY(holder.login(m_server->port(), TestUser, TestPassword));
        holder.send(QJsonObject{{QStringLiteral("op"), QStringLiteral("put")}, {QStringLiteral("id"), 1},
                                {QStringLiteral("path"), QStringLiteral("/b.bin")}, {QStringLiteral("size"), 10},
                                {QStringLiteral("mode"), QStringLiteral("new")}});
        QCOMPARE(holder.next()->op(), QStringLiteral("ok"));

        ClientSession session;
        QVERIFY(logIn(session, m_server->port()));
        TransferQueue queue(&session);
        QVERIFY(writeFile(m_local + QStringLiteral("/b.bin"), "ours"));
        int starts = 0;
        bool failedOnce = false;
        connect(&queue, &TransferQueue::itemChanged, this, [&](int row) {
            starts += queue.at(row).state == TransferState::Running;
            failedOnce |= queue.at(row).state == TransferState::Failed;
        });
        const qint64 job = queue.upload({m_local + QStringLiteral("/b.bin")}, QStringLiteral("/"), ConflictPolicy::Overwrite);
        QTRY_VERIFY_WITH_TIMEOUT(starts >= 3, 10000);   // refused as busy, and tried again
        QVERIFY(!failedOnce);
        holder.socket().abort();   // the other writer goes away
        QVERIFY(waitForJob(queue, job));
        QCOMPARE(queue.jobItems(job).first().state, TransferState::Done);
        QVERIFY(!failedOnce);
        QCOMPARE(readFile(home() + QStringLiteral("/b.bin")), QByteArray("ours"));
    }

    void cancelDiscardsWhatArrivedOnTheServer_data()
    {
        QTest::addColumn<bool>("whileRunning");
        QTest::newRow("running") << true;
        QTest::newRow("paused") << false;
    }
    void cancelDiscardsWhatArrivedOnTheServer()
    {
        // Issue 11 #4: the server kept the part file (and its quota) after cancel; a new upload began at 0.
        QFETCH(bool, whileRunning);
        ClientSession session;
        QVERIFY(logIn(session, m_server->port()));
        TransferQueue queue(&session);
        QVERIFY(writeRandomFile(m_local + QStringLiteral("/big.bin"), BigSize, 5));
        const qint64 job = queue.upload({m_local + QStringLiteral("/big.bin")}, QStringLiteral("/"));
        onFirstProgress(queue, 1, [&queue, whileRunning](const TransferItem &item) {
            if (whileRunning)
                queue.cancel(item.id);
            else
                queue.pause(item.id);
        });
        QTRY_VERIFY_WITH_TIMEOUT(queue.jobItems(job).first().state != TransferState::Running
                                         && queue.jobItems(job).first().state != TransferState::Queued, 30000);
        QVERIFY(pingRoundTrip(session));
        if (!whileRunning) {
            // ferryd writes what arrived on its disk queue: the ping's answer can come before the write.
            QTRY_VERIFY(QFileInfo(home() + QStringLiteral("/.ferry-part-big.bin")).size() > 0);
            queue.cancel(queue.jobItems(job).first().id);
        }
        QCOMPARE(queue.jobItems(job).first().state, TransferState::Cancelled);
        QCOMPARE(queue.jobItems(job).first().done, 0);
        QVERIFY(!queue.jobItems(job).first().started);   // a retry starts over and settles its conflict again
        if (!serverDiscards())
            QSKIP("this ferryd keeps part files after cancel with discard (the server side is the core issue's)");
        QTRY_VERIFY(visibleFiles(home()).isEmpty());   // no part file, no target
        QTRY_COMPARE(quotaUsed(session), qint64(0));
    }
};

QTEST_GUILESS_MAIN(TestTransferSafety)
#include "tst_transfersafety.moc"
