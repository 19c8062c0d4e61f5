// SessionKeeper against a real ferryd process that is killed and started again on the same port: the
// reconnect happens with waits that double up to the cap, the transfer queue finishes what the drop
// interrupted, and what must not be retried is not (a first connection, a refused login, a changed server
// identity, anything after close(), anything after the give-up time).

#include "LoginSalts.h"
#include "SessionKeeper.h"
#include "TransferTestHelpers.h"
#include "UsersFile.h"

#include <QElapsedTimer>
#include <numeric>
#include <QTcpServer>
#include <QTemporaryDir>

using namespace ferry;
using namespace ferry::test;

namespace {
// Short waits so that a test sees several of them: 100, 200, 400, 400 … ms.
constexpr int FirstDelayMs = 100;
constexpr int MaxDelayMs = 400;
// Long enough that progress is seen several times before it ends, on a fast day.
constexpr qint64 HugeSize = 256 * 1024 * 1024 + 5;

SessionKeeper::Backoff quickBackoff(qint64 giveUpAfterMs = -1)
{
    SessionKeeper::Backoff backoff;
    backoff.firstDelayMs = FirstDelayMs;
    backoff.maxDelayMs = MaxDelayMs;
    backoff.giveUpAfterMs = giveUpAfterMs;
    return backoff;
}

QList<int> delaysOf(const QSignalSpy &retries)
{
    QList<int> delays;
    for (const QList<QVariant> &signal : retries)
        delays.append(signal.at(1).toInt());
    return delays;
}
} // namespace

class TestSessionKeeper : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_temp;
    std::unique_ptr<FerrydProcess> m_ferryd;
    std::unique_ptr<ClientSession> m_session;
    std::unique_ptr<SessionKeeper> m_keeper;
    quint16 m_port = 0;

    QString dataDir() const { return m_temp->filePath(QStringLiteral("server")); }
    QString home() const { return UsersFile::homePath(dataDir(), TestUser); }
    ConnectionParams account(const QString &password = TestPassword) const
    {
        return ConnectionParams{QStringLiteral("127.0.0.1"), m_port, TestUser, password};
    }
    bool openAndWaitOnline()
    {
        m_keeper->open(account());
        return QTest::qWaitFor([this] { return m_keeper->phase() == SessionKeeper::Phase::Online; }, 10000)
               && m_session->state() == ClientSession::State::Ready;
    }
    // Nothing may start while a few of the longest waits pass (no fixed sleep: a connect would end it).
    bool staysDisconnected()
    {
        QSignalSpy phases(m_keeper.get(), &SessionKeeper::phaseChanged);
        QSignalSpy sessionStates(m_session.get(), &ClientSession::stateChanged);
        return !sessionStates.wait(4 * MaxDelayMs) && phases.isEmpty()
               && m_keeper->phase() == SessionKeeper::Phase::Offline && m_keeper->msUntilRetry() == 0;
    }

private slots:
    void init()
    {
        m_temp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_temp->isValid());
        TestServer accounts(dataDir());   // writes the users file; the server is the process below
        QVERIFY(accounts.addUser(TestUser, TestPassword));
        trustAnyServer();
        QFile::remove(LoginSalts::defaultPath());   // each test's own config folder (tests/CMakeLists.txt)
        m_ferryd = std::make_unique<FerrydProcess>(dataDir());
        QVERIFY(m_ferryd->start());
        m_port = m_ferryd->port();
        m_session = std::make_unique<ClientSession>();
        m_keeper = std::make_unique<SessionKeeper>(m_session.get());
        m_keeper->setBackoff(quickBackoff());
    }

    void cleanup()
    {
        m_keeper.reset();
        m_session.reset();
        m_ferryd.reset();
        m_temp.reset();
    }

    void dropIsReconnectedWithGrowingWaits()
    {
        QSignalSpy online(m_keeper.get(), &SessionKeeper::online);
        QVERIFY(openAndWaitOnline());
        QCOMPARE(online.count(), 1);
        QCOMPARE(online.first().first().toBool(), false);
        QVERIFY(m_keeper->hasBeenOnline());

        QSignalSpy retries(m_keeper.get(), &SessionKeeper::retryScheduled);
        m_ferryd->kill();
        // The drop, then three refused attempts: the wait doubles and stops growing at the cap.
        QTRY_VERIFY_WITH_TIMEOUT(retries.count() >= 5, 10000);
        QCOMPARE(delaysOf(retries).mid(0, 5), (QList<int>{100, 200, 400, 400, 400}));
        const Error lost = retries.first().first().value<Error>();
        QCOMPARE(lost.code, ErrorCode::ConnectionLost);
        QVERIFY(m_keeper->failedAttempts() >= 4);
        QVERIFY(m_keeper->phase() == SessionKeeper::Phase::WaitingToReconnect
                || m_keeper->phase() == SessionKeeper::Phase::Connecting);

        QVERIFY(m_ferryd->start({}, m_port));
        QVERIFY(online.wait(10000));
        QCOMPARE(online.last().first().toBool(), true);   // a reconnect, to the same account
        QCOMPARE(m_keeper->phase(), SessionKeeper::Phase::Online);
        QCOMPARE(m_keeper->failedAttempts(), 0);
        QCOMPARE(m_session->user(), TestUser);

        // The next drop starts again from the first wait.
        retries.clear();
        m_ferryd->kill();
        QVERIFY(retries.wait(10000));
        QCOMPARE(delaysOf(retries).first(), FirstDelayMs);
    }

    void queueResumesAfterTheReconnect_data()
    {
        QTest::addColumn<bool>("upload");
        QTest::newRow("upload") << true;
        QTest::newRow("download") << false;
    }
    void queueResumesAfterTheReconnect()
    {
        QFETCH(bool, upload);
        QVERIFY(openAndWaitOnline());
        const QString local = m_temp->filePath(QStringLiteral("local"));
        QVERIFY(QDir().mkpath(local));
        const QString source = (upload ? local : home()) + QStringLiteral("/big.bin");
        const QString target = (upload ? home() : local) + QStringLiteral("/big.bin");
        const QString part = (upload ? home() : local) + QStringLiteral("/.ferry-part-big.bin");
        writeRandomFile(source, HugeSize, 23);

        TransferQueue queue(m_session.get());
        const qint64 job = upload ? queue.upload({source}, QStringLiteral("/"), ConflictPolicy::Fail)
                                  : queue.download({QStringLiteral("/big.bin")}, local, ConflictPolicy::Fail);
        bool cut = false;
        // Once the receiving side holds a few MiB in its part file, the server goes away.
        QMetaObject::Connection watch = connect(&queue, &TransferQueue::itemChanged, this, [&](int row) {
            if (cut || queue.at(row).state != TransferState::Running || QFileInfo(part).size() < 4 * 1024 * 1024)
                return;
            cut = true;
            m_ferryd->kill();
        });
        QTRY_VERIFY_WITH_TIMEOUT(cut, 30000);
        disconnect(watch);
        QTRY_COMPARE_WITH_TIMEOUT(m_keeper->phase(), SessionKeeper::Phase::WaitingToReconnect, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(queue.jobItems(job).first().state, TransferState::Queued, 10000);

        QSignalSpy online(m_keeper.get(), &SessionKeeper::online);
        QVERIFY(m_ferryd->start({}, m_port));
        // Nobody logs in by hand here: the keeper reconnects and the queue picks its item up again.
        QVERIFY(waitForJob(queue, job));
        QCOMPARE(online.count(), 1);
        QCOMPARE(online.first().first().toBool(), true);
        const TransferItem done = queue.jobItems(job).first();
        QVERIFY2(done.state == TransferState::Done, qPrintable(done.error.message));
        QVERIFY2(done.resumedFrom > 0, "the bytes moved before the drop were sent again");
        QCOMPARE(Sha256::hexOfFile(target), Sha256::hexOfFile(source));
        QVERIFY(!QFileInfo::exists(part));
    }

    void refusedLoginIsNotRetried()
    {
        QSignalSpy failed(m_keeper.get(), &SessionKeeper::failed);
        QSignalSpy retries(m_keeper.get(), &SessionKeeper::retryScheduled);
        m_keeper->open(account(QStringLiteral("not the password")));
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.first().at(1).value<SessionKeeper::Failure>(), SessionKeeper::Failure::LoginRefused);
        QCOMPARE(failed.first().first().value<Error>().code, ErrorCode::AuthFailed);
        QVERIFY(staysDisconnected());
        QVERIFY(retries.isEmpty());
    }

    void refusedLoginOnReconnectIsNotRetried()
    {
        QVERIFY(openAndWaitOnline());
        QSignalSpy retries(m_keeper.get(), &SessionKeeper::retryScheduled);
        QSignalSpy failed(m_keeper.get(), &SessionKeeper::failed);
        m_ferryd->kill();
        QVERIFY(retries.wait(10000));
        // Meanwhile the admin changed the password: the reconnect's login is refused, and that is final.
        QCOMPARE(runFerrydAdmin(dataDir(), {QStringLiteral("user"), QStringLiteral("passwd"), TestUser},
                                QStringLiteral("a new password")),
                 0);
        QVERIFY(m_ferryd->start({}, m_port));
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.first().at(1).value<SessionKeeper::Failure>(), SessionKeeper::Failure::LoginRefused);
        QVERIFY(!m_keeper->hasBeenOnline());
        const int retriesBefore = int(retries.count());
        QVERIFY(staysDisconnected());
        QCOMPARE(retries.count(), retriesBefore);
    }

    void firstConnectionThatFailsIsNotRetried()
    {
        QTcpServer probe;   // a port nobody listens on any more
        QVERIFY(probe.listen(QHostAddress::LocalHost));
        m_port = probe.serverPort();
        probe.close();
        QSignalSpy failed(m_keeper.get(), &SessionKeeper::failed);
        m_keeper->open(account());
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.first().at(1).value<SessionKeeper::Failure>(), SessionKeeper::Failure::ConnectFailed);
        QVERIFY(staysDisconnected());
    }

    void changedIdentityOnReconnectIsNotRetried()
    {
        // Trust the identity of the first contact only, as a known-servers store does.
        QString trusted;
        m_session->setIdentityVerifier([&trusted](const IdentityCheck &check) -> Status {
            if (trusted.isEmpty())
                trusted = check.identity.code();
            if (check.identity.code() == trusted)
                return {};
            return Error::make(ErrorCode::IdentityChanged, QStringLiteral("identity changed"));
        });
        QVERIFY(openAndWaitOnline());
        QSignalSpy retries(m_keeper.get(), &SessionKeeper::retryScheduled);
        QSignalSpy failed(m_keeper.get(), &SessionKeeper::failed);
        m_ferryd->kill();
        QVERIFY(retries.wait(10000));
        // Another key in the data folder: the server that comes back is not the one trusted.
        QVERIFY(QDir(dataDir() + QStringLiteral("/tls")).removeRecursively());
        QVERIFY(m_ferryd->start({}, m_port));
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.first().first().value<Error>().code, ErrorCode::IdentityChanged);
        QCOMPARE(failed.first().at(1).value<SessionKeeper::Failure>(), SessionKeeper::Failure::ConnectFailed);
        QVERIFY(staysDisconnected());
    }

    void closeStopsReconnecting()
    {
        QVERIFY(openAndWaitOnline());
        QSignalSpy retries(m_keeper.get(), &SessionKeeper::retryScheduled);
        m_ferryd->kill();
        QVERIFY(retries.wait(10000));
        m_keeper->close();
        QCOMPARE(m_keeper->phase(), SessionKeeper::Phase::Offline);
        QCOMPARE(m_keeper->msUntilRetry(), 0);
        QVERIFY(m_ferryd->start({}, m_port));
        QVERIFY(staysDisconnected());

        // Asked for by someone, it connects again (the account is still known).
        m_keeper->reconnectNow();
        QCOMPARE(m_keeper->phase(), SessionKeeper::Phase::Connecting);
        QTRY_COMPARE_WITH_TIMEOUT(m_keeper->phase(), SessionKeeper::Phase::Online, 10000);
    }

    void givesUpAfterTheLimit()
    {
        m_keeper->setBackoff(quickBackoff(1000));
        QVERIFY(openAndWaitOnline());
        QSignalSpy retries(m_keeper.get(), &SessionKeeper::retryScheduled);
        QSignalSpy failed(m_keeper.get(), &SessionKeeper::failed);
        QElapsedTimer sinceDrop;
        sinceDrop.start();
        m_ferryd->kill();
        QVERIFY(failed.wait(10000));
        QVERIFY2(sinceDrop.elapsed() >= 1000, qPrintable(QString::number(sinceDrop.elapsed())));
        QCOMPARE(failed.first().at(1).value<SessionKeeper::Failure>(), SessionKeeper::Failure::GaveUp);
        // 100 + 200 + 400, then the last wait cut short so that an attempt starts right at the limit.
        const QList<int> delays = delaysOf(retries);
        QVERIFY2(delays.size() >= 4, qPrintable(QString::number(delays.size())));
        QCOMPARE(delays.mid(0, 3), (QList<int>{100, 200, 400}));
        QVERIFY(delays.at(3) < 400);
        QVERIFY(std::accumulate(delays.cbegin(), delays.cend(), 0) <= 1000);
        QCOMPARE(m_keeper->phase(), SessionKeeper::Phase::Offline);
        QVERIFY(m_ferryd->start({}, m_port));
        QVERIFY(staysDisconnected());
    }

    // The salt and iteration count of the account's login are remembered for the next login (which derives
    // its salted password while connecting, tst_scram); one that is wrong or absurd still logs in, and what
    // the server named replaces it.
    void loginRemembersTheServersSalt_data()
    {
        QTest::addColumn<QByteArray>("plantedSalt");
        QTest::addColumn<int>("plantedIterations");
        QTest::newRow("none") << QByteArray() << 0;
        QTest::newRow("the server's") << QByteArray() << -1;
        QTest::newRow("another salt") << QByteArray("an old salt") << ScramCredentials::DefaultIterations;
        QTest::newRow("absurd iterations") << QByteArray("an old salt") << 2000000000;
    }
    void loginRemembersTheServersSalt()
    {
        QFETCH(QByteArray, plantedSalt);
        QFETCH(int, plantedIterations);
        const std::optional<UserAccount> stored = UsersFile(dataDir()).find(TestUser);
        QVERIFY(stored);
        const ScramSalt servers{stored->credentials.salt, stored->credentials.iterations};
        QVERIFY(servers.isValid());
        LoginSalts salts;
        if (plantedIterations == -1) {
            QVERIFY(salts.remember(account(), servers));
        } else if (plantedIterations != 0) {
            QVERIFY(salts.remember(account(), ScramSalt{plantedSalt, plantedIterations}));
            QVERIFY(!(salts.find(account()) == servers));
        }
        QVERIFY(openAndWaitOnline());
        QCOMPARE(m_session->lastLoginSalt(), servers);
        QCOMPARE(salts.find(account()), servers);
        // Per user and server: another port knows nothing of it.
        ConnectionParams elsewhere = account();
        elsewhere.port = quint16(m_port + 1);
        QVERIFY(!salts.find(elsewhere).isValid());
    }

    void noReconnectWhenTheLimitIsZero()
    {
        m_keeper->setBackoff(quickBackoff(0));
        QVERIFY(openAndWaitOnline());
        QSignalSpy retries(m_keeper.get(), &SessionKeeper::retryScheduled);
        QSignalSpy failed(m_keeper.get(), &SessionKeeper::failed);
        m_ferryd->kill();
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.first().at(1).value<SessionKeeper::Failure>(), SessionKeeper::Failure::GaveUp);
        QVERIFY(retries.isEmpty());
    }
};

QTEST_MAIN(TestSessionKeeper)
#include "tst_sessionkeeper.moc"
