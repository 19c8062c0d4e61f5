// The window keeps a user's transfers safe, against a real ferryd: restored transfers say which account
// they wait for and run only there; a second window keeps a queue file of its own; Ctrl+K while connected
// never drops the live session without asking, nor do Quit and Disconnect while transfers are unfinished.

#include "TestSettings.h"
#include "TransferTestHelpers.h"

#include "ClientContext.h"
#include "ConnectionController.h"
#include "MainWindow.h"
#include "MessageBar.h"
#include "ScriptedDialogs.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QPushButton>

using namespace ferry;
using namespace ferry::gui;
using namespace ferry::test;

namespace {
const QString OtherUser = QStringLiteral("bob");
const QString OtherPassword = QStringLiteral("builder");
}

class TestQueueSafety : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_settingsDir;
    std::unique_ptr<QTemporaryDir> m_temp;
    std::unique_ptr<TestServer> m_server;
    QString m_local;

    QString queueFile() const { return m_temp->filePath(QStringLiteral("queue.json")); }
    QString account(const QString &user = TestUser) const
    {
        return QStringLiteral("%1@127.0.0.1:%2").arg(user).arg(m_server->port());
    }
    ConnectionParams params(const QString &user = TestUser, const QString &password = TestPassword) const
    {
        ConnectionParams p;
        p.host = QStringLiteral("127.0.0.1");
        p.port = m_server->port();
        p.user = user;
        p.password = password;
        return p;
    }
    static void goOnline(MainWindow &window, const ConnectionParams &params)
    {
        window.connectTo(params);
        QTRY_COMPARE(window.connection()->phase(), ConnectionController::Phase::Online);
    }
    int savedItems(const QString &path) const
    {
        return QJsonDocument::fromJson(readFile(path)).object().value(QStringLiteral("items")).toArray().size();
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        isolateSettings(m_settingsDir.path(), QStringLiteral("tst_queuesafety"));
    }

    void init()
    {
        m_temp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_temp->isValid());
        m_local = m_temp->filePath(QStringLiteral("local"));
        QVERIFY(QDir().mkpath(m_local));
        QVERIFY(writeFile(m_local + QStringLiteral("/one.txt"), "1"));
        QVERIFY(writeFile(m_local + QStringLiteral("/two.txt"), "22"));
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

    void restoredTransfersSayWhoTheyWaitForAndRunOnlyThere()
    {
        {
            ScriptedDialogs dialogs;
            MainWindow window(&dialogs, queueFile());
            goOnline(window, params());
            window.queue()->setAutoStart(false);
            window.upload({m_local + QStringLiteral("/one.txt"), m_local + QStringLiteral("/two.txt")}, QStringLiteral("/"));
            QCOMPARE(window.queue()->count(), 2);
        }   // quit with both waiting

        ScriptedDialogs dialogs;
        MainWindow window(&dialogs, queueFile());
        window.show();
        QCOMPARE(window.queue()->count(), 2);
        const QString waiting = QStringLiteral("2 transfer(s) wait for %1.").arg(account());
        QCOMPARE(window.messageBar()->text(), waiting);

        // Logged in as bob: alice's transfers stay queued and nothing lands in bob's home.
        goOnline(window, params(OtherUser, OtherPassword));
        QVERIFY(pingRoundTrip(*window.session()));
        QCOMPARE(window.queue()->at(0).state, TransferState::Queued);
        QCOMPARE(window.queue()->at(1).state, TransferState::Queued);
        QVERIFY(QDir(m_server->home(OtherUser)).isEmpty());
        QCOMPARE(window.messageBar()->text(), waiting);

        // The message's Connect suggests alice's account; replacing bob's live session is confirmed first.
        dialogs.answerConnection(params());
        dialogs.answerConfirm(true);
        QPushButton *connect = nullptr;
        for (QPushButton *button : window.messageBar()->findChildren<QPushButton *>()) {
            if (button->isVisible() && button->text().startsWith(QStringLiteral("Connect")))
                connect = button;
        }
        QVERIFY(connect);
        connect->click();
        QCOMPARE(dialogs.asked(), (QStringList{QStringLiteral("connect"), QStringLiteral("Disconnect from %1?").arg(account(OtherUser))}));
        QTRY_COMPARE(window.session()->user(), TestUser);
        QVERIFY(waitForJob(*window.queue(), window.queue()->at(0).jobId));
        QCOMPARE(readFile(m_server->home(TestUser) + QStringLiteral("/two.txt")), QByteArray("22"));
        QVERIFY(QDir(m_server->home(OtherUser)).isEmpty());
        QTRY_VERIFY(window.messageBar()->text() != waiting);
    }

    void aSecondWindowKeepsItsOwnQueueFile()
    {
        auto first = std::make_unique<ScriptedDialogs>();
        auto firstWindow = std::make_unique<MainWindow>(first.get(), queueFile());
        QCOMPARE(firstWindow->client()->queueStateFile(), queueFile());
        goOnline(*firstWindow, params());
        firstWindow->queue()->setAutoStart(false);
        firstWindow->upload({m_local + QStringLiteral("/one.txt")}, QStringLiteral("/"));
        QTRY_COMPARE_WITH_TIMEOUT(savedItems(queueFile()), 1, 5000);

        {
            ScriptedDialogs second;
            MainWindow secondWindow(&second, queueFile());
            QCOMPARE(secondWindow.client()->queueStateFile(), m_temp->filePath(QStringLiteral("queue-2.json")));
            QCOMPARE(secondWindow.queue()->count(), 0);   // the first one's jobs are not run twice
            goOnline(secondWindow, params());
        }   // quitting the second leaves the first one's file alone
        QCOMPARE(savedItems(queueFile()), 1);
        QCOMPARE(firstWindow->queue()->at(0).state, TransferState::Queued);

        firstWindow.reset();
        ScriptedDialogs third;
        MainWindow thirdWindow(&third, queueFile());   // the file is free again: its transfers come back
        QCOMPARE(thirdWindow.client()->queueStateFile(), queueFile());
        QCOMPARE(thirdWindow.queue()->count(), 1);
    }

    void quittingOrDisconnectingDuringTransfersAsksFirst()
    {
        ScriptedDialogs dialogs;
        MainWindow window(&dialogs, queueFile());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        goOnline(window, params());
        window.queue()->setAutoStart(false);   // they stay unfinished while we look
        window.upload({m_local + QStringLiteral("/one.txt")}, QStringLiteral("/"));

        dialogs.answerConfirm(false);
        QVERIFY(!window.close());
        QVERIFY(window.isVisible());
        dialogs.answerConfirm(false);
        window.disconnectFromServer();
        QCOMPARE(window.connection()->phase(), ConnectionController::Phase::Online);
        QCOMPARE(dialogs.asked(), (QStringList{QStringLiteral("Quit Ferry?"),
                                               QStringLiteral("Disconnect from %1?").arg(account())}));
        dialogs.answerConfirm(true);
        window.disconnectFromServer();
        QTRY_COMPARE(window.connection()->phase(), ConnectionController::Phase::Offline);
        QVERIFY(window.close());   // offline: nothing to stop, nothing asked
        QCOMPARE(dialogs.asked().size(), 3);
    }

    void ctrlKWhileConnectedNeverDropsTheSessionUnasked()
    {
        ScriptedDialogs dialogs;
        MainWindow window(&dialogs, queueFile());
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        goOnline(window, params());
        QSignalSpy dropped(window.session(), &ClientSession::disconnected);

        dialogs.answerConnection(params(OtherUser, OtherPassword));
        dialogs.answerConfirm(false);   // no: keep alice's session
        QTest::keyClick(&window, Qt::Key_K, Qt::ControlModifier);
        QCOMPARE(dialogs.asked(), (QStringList{QStringLiteral("connect"), QStringLiteral("Disconnect from %1?").arg(account())}));
        QVERIFY(pingRoundTrip(*window.session()));
        QCOMPARE(dropped.count(), 0);
        QCOMPARE(window.connection()->phase(), ConnectionController::Phase::Online);

        dialogs.answerConnection(params());   // the same account again: nothing to replace
        QTest::keyClick(&window, Qt::Key_K, Qt::ControlModifier);
        QCOMPARE(dialogs.asked().size(), 3);
        QVERIFY(pingRoundTrip(*window.session()));
        QCOMPARE(dropped.count(), 0);
        QCOMPARE(window.messageBar()->text(), QStringLiteral("Already connected to %1.").arg(account()));

        dialogs.answerConnection(params(OtherUser, OtherPassword));
        dialogs.answerConfirm(true);
        QTest::keyClick(&window, Qt::Key_K, Qt::ControlModifier);
        QTRY_COMPARE(window.session()->user(), OtherUser);
        QTRY_COMPARE(window.connection()->phase(), ConnectionController::Phase::Online);
    }
};

QTEST_MAIN(TestQueueSafety)
#include "tst_queuesafety.moc"
