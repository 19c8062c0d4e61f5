// Where to connect: ferry:// URLs, saved sites and recent connections in settings (never a password),
// the connect dialog's list filling the form, and "Nearby servers" found by LAN discovery from a real
// ferryd discovery responder on a private UDP port.

#include "TestSettings.h"
#include "ConnectDialog.h"
#include "ConnectionParams.h"
#include "Discovery.h"
#include "DiscoveryClient.h"
#include "KnownServers.h"
#include "NearbyServers.h"
#include "PasswordStore.h"
#include "SiteStore.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

using namespace ferry;
using namespace ferry::test;
using namespace ferry::gui;

namespace {

ConnectionParams make(const QString &host, quint16 port, const QString &user, const QString &password = {})
{
    ConnectionParams params;
    params.host = host;
    params.port = port;
    params.user = user;
    params.password = password;
    return params;
}

QTreeWidgetItem *findItem(QTreeWidget *list, const QString &text)
{
    const QList<QTreeWidgetItem *> found = list->findItems(text, Qt::MatchStartsWith | Qt::MatchRecursive);
    return found.isEmpty() ? nullptr : found.first();
}

} // namespace

class TestConnectDialog : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_settingsDir;

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        isolateSettings(m_settingsDir.path(), QStringLiteral("tst_connectdialog"));
        // KnownServers keeps its file in the config location: here, inside the temporary folder.
        qputenv("XDG_CONFIG_HOME", QFile::encodeName(m_settingsDir.filePath(QStringLiteral("config"))));
    }

    void init()
    {
        QSettings().clear();
    }

    void urlsParse_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("user");
        QTest::newRow("full") << "ferry://demo@127.0.0.1:7431" << true << "127.0.0.1" << 7431 << "demo";
        QTest::newRow("default port") << "ferry://alice@nas.local" << true << "nas.local" << 7420 << "alice";
        QTest::newRow("ipv6") << "ferry://bob@[::1]:9000" << true << "::1" << 9000 << "bob";
        QTest::newRow("utf-8 user") << "ferry://%E5%BC%A0%E4%B8%89@host" << true << "host" << 7420 << "张三";
        QTest::newRow("other scheme") << "sftp://alice@host" << false << "" << 0 << "";
        QTest::newRow("no host") << "ferry://alice@" << false << "" << 0 << "";
        QTest::newRow("not a url") << "::::" << false << "" << 0 << "";
    }
    void urlsParse()
    {
        QFETCH(QString, url);
        QFETCH(bool, valid);
        const std::optional<ConnectionParams> params = ConnectionParams::fromUrl(QUrl(url));
        QCOMPARE(params.has_value(), valid);
        if (!valid)
            return;
        QTEST(params->host, "host");
        QTEST(int(params->port), "port");
        QTEST(params->user, "user");
        // And back, without the password.
        QCOMPARE(ConnectionParams::fromUrl(params->toUrl())->displayName(), params->displayName());
    }

    void passwordInTheUrlIsUsedButNeverWrittenBack()
    {
        const std::optional<ConnectionParams> params = ConnectionParams::fromUrl(QUrl(QStringLiteral("ferry://a:secret@h:1")));
        QVERIFY(params);
        QCOMPARE(params->password, QStringLiteral("secret"));
        QVERIFY(!params->toUrl().toString().contains(QStringLiteral("secret")));
        QCOMPARE(params->displayName(), QStringLiteral("a@h:1"));
    }

    void sitesAndRecentConnectionsAreKeptWithoutPasswords()
    {
        SiteStore store;
        store.saveSite({QStringLiteral("Office NAS"), make(QStringLiteral("nas"), 7420, QStringLiteral("alice"), QStringLiteral("pw"))});
        store.saveSite({QStringLiteral("Home"), make(QStringLiteral("home.lan"), 7000, QStringLiteral("bob"))});
        store.saveSite({QStringLiteral("Office NAS"), make(QStringLiteral("nas2"), 7421, QStringLiteral("alice"))});   // replaced
        const QList<SavedSite> sites = SiteStore().sites();
        QCOMPARE(sites.size(), 2);
        QCOMPARE(sites[0].name, QStringLiteral("Office NAS"));
        QCOMPARE(sites[0].params.host, QStringLiteral("nas2"));
        QCOMPARE(sites[1].params.port, quint16(7000));
        store.removeSite(QStringLiteral("Home"));
        QCOMPARE(SiteStore().sites().size(), 1);

        for (int i = 0; i < SiteStore::MaxRecent + 3; ++i)
            store.addRecent(make(QStringLiteral("host%1").arg(i), 7420, QStringLiteral("u"), QStringLiteral("pw")));
        store.addRecent(make(QStringLiteral("host5"), 7420, QStringLiteral("u")));   // moves to the top, once
        const QList<ConnectionParams> recent = SiteStore().recent();
        QCOMPARE(recent.size(), SiteStore::MaxRecent);
        QCOMPARE(recent.first().host, QStringLiteral("host5"));
        QCOMPARE(std::count_if(recent.cbegin(), recent.cend(),
                               [](const ConnectionParams &p) { return p.host == QLatin1String("host5"); }),
                 1);

        // No password anywhere in the settings file.
        QSettings settings;
        settings.sync();
        QFile file(settings.fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("pw"));
    }

    void choosingASavedSiteOrRecentConnectionFillsTheForm()
    {
        SiteStore store;
        store.saveSite({QStringLiteral("Office NAS"), make(QStringLiteral("nas.local"), 7425, QStringLiteral("alice"))});
        store.addRecent(make(QStringLiteral("10.0.0.5"), 7420, QStringLiteral("bob")));
        PasswordStore noKeyring(nullptr, false);
        ConnectDialog dialog(&store, &noKeyring);

        QTreeWidgetItem *site = findItem(dialog.serverList(), QStringLiteral("Office NAS"));
        QVERIFY(site);
        dialog.serverList()->setCurrentItem(site);
        QCOMPARE(dialog.params().host, QStringLiteral("nas.local"));
        QCOMPARE(dialog.params().port, quint16(7425));
        QCOMPARE(dialog.params().user, QStringLiteral("alice"));

        QTreeWidgetItem *recent = findItem(dialog.serverList(), QStringLiteral("bob@10.0.0.5"));
        QVERIFY(recent);
        dialog.serverList()->setCurrentItem(recent);
        QCOMPARE(dialog.params().host, QStringLiteral("10.0.0.5"));
        QCOMPARE(dialog.params().user, QStringLiteral("bob"));
    }

    void connectNeedsServerAndUser()
    {
        SiteStore store;
        PasswordStore noKeyring(nullptr, false);
        ConnectDialog dialog(&store, &noKeyring);
        QPushButton *connect = nullptr;
        for (QPushButton *button : dialog.findChildren<QPushButton *>()) {
            if (button->text().contains(QStringLiteral("Connect")))
                connect = button;
        }
        QVERIFY(connect);
        QVERIFY(!connect->isEnabled());
        dialog.setParams(make(QStringLiteral("nas"), 7420, QStringLiteral("alice"), QStringLiteral("pw")));
        QVERIFY(connect->isEnabled());
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        connect->click();
        QCOMPARE(accepted.count(), 1);
        QCOMPARE(dialog.params().password, QStringLiteral("pw"));
    }

    // The changed-identity dialog sends the user here: the form shows the remembered code of the server in it,
    // and "Forget identity" removes exactly that server's entry, so the next connection asks again.
    void theFormShowsAndForgetsTheRememberedIdentity()
    {
        const ServerIdentity identity = ServerIdentity::fromFingerprint(QString(64, QLatin1Char('a')));
        QVERIFY(identity.isValid());
        KnownServers known;
        QVERIFY(known.remember(QStringLiteral("nas"), 7420, identity));
        QVERIFY(known.remember(QStringLiteral("nas"), 7421, identity));

        SiteStore store;
        PasswordStore noKeyring(nullptr, false);
        ConnectDialog dialog(&store, &noKeyring);
        QVERIFY(!dialog.forgetIdentityButton()->isEnabled());   // empty form
        dialog.setParams(make(QStringLiteral("nas"), 7420, QStringLiteral("alice")));
        QCOMPARE(dialog.identityLabel()->text(), identity.code());
        QVERIFY(dialog.forgetIdentityButton()->isEnabled());

        dialog.forgetIdentityButton()->click();
        QVERIFY(!known.find(QStringLiteral("nas"), 7420).isValid());
        QCOMPARE(known.find(QStringLiteral("nas"), 7421), identity);   // another port is another server
        QVERIFY(!dialog.forgetIdentityButton()->isEnabled());
        QVERIFY(dialog.identityLabel()->text() != identity.code());

        dialog.setParams(make(QStringLiteral("nas"), 7421, QStringLiteral("alice")));
        QCOMPARE(dialog.identityLabel()->text(), identity.code());
    }

    void enterDoesNotConnectWithAnEmptyPassword()
    {
        // Ctrl+K then Enter while connected ended the live session with a failed login (issue 11, #5).
        SiteStore store;
        PasswordStore noKeyring(nullptr, false);
        ConnectDialog dialog(&store, &noKeyring);
        dialog.setParams(make(QStringLiteral("nas"), 7420, QStringLiteral("alice")));
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QSignalSpy accepted(&dialog, &QDialog::accepted);
        QWidget *focus = QApplication::focusWidget();
        QVERIFY(focus);
        QTest::keyClick(focus, Qt::Key_Return);
        QCOMPARE(accepted.count(), 0);
        QVERIFY(dialog.isVisible());

        auto *password = qobject_cast<QLineEdit *>(focus);   // an empty password has the focus
        QVERIFY(password);
        QTest::keyClicks(password, QStringLiteral("pw"));
        QTest::keyClick(password, Qt::Key_Return);
        QCOMPARE(accepted.count(), 1);
        QCOMPARE(dialog.params().password, QStringLiteral("pw"));
    }

    void nearbyServersAnsweringDiscoveryAreListed()
    {
        Discovery responder(QStringLiteral("Studio server"), 7444, nullptr, 0);
        QString error;
        QVERIFY2(responder.start(&error), qPrintable(error));

        SiteStore store;
        PasswordStore noKeyring(nullptr, false);
        ConnectDialog dialog(&store, &noKeyring);
        dialog.discovery()->setMdnsEnabled(false);   // only the responder above, not servers on this machine
        dialog.discovery()->broadcast()->setDiscoveryPort(responder.udpPort());
        dialog.discovery()->broadcast()->setTargets({QHostAddress::LocalHost});
        QSignalSpy found(dialog.discovery(), &NearbyServers::serverFound);
        dialog.searchNearby();
        QVERIFY(found.wait(5000));
        QTreeWidgetItem *item = findItem(dialog.serverList(), QStringLiteral("Studio server (127.0.0.1:7444, broadcast)"));
        QVERIFY(item);
        // The list is narrow and cuts the entry: its tooltip says it whole.
        QCOMPARE(item->toolTip(0).section(QLatin1Char('\n'), 0, 0), item->text(0));
        dialog.setParams(make(QString(), 7420, QStringLiteral("carol")));
        dialog.serverList()->setCurrentItem(item);
        QCOMPARE(dialog.params().host, QStringLiteral("127.0.0.1"));
        QCOMPARE(dialog.params().port, quint16(7444));
        QCOMPARE(dialog.params().user, QStringLiteral("carol"));   // the name typed so far stays

        // Answers are counted once even though the query is repeated.
        QSignalSpy finished(dialog.discovery(), &NearbyServers::finished);
        QVERIFY(finished.wait(10000));
        QCOMPARE(dialog.discovery()->servers().size(), 1);
    }

    void discoveryIgnoresAnswersThatAreNotFerry_data()
    {
        QTest::addColumn<QByteArray>("datagram");
        QTest::addColumn<bool>("valid");
        QTest::newRow("here") << QByteArray("{\"op\":\"here\",\"proto\":1,\"name\":\"x\",\"port\":7420,\"tls\":false}") << true;
        QTest::newRow("other op") << QByteArray("{\"op\":\"discover\",\"proto\":1}") << false;
        QTest::newRow("port zero") << QByteArray("{\"op\":\"here\",\"name\":\"x\",\"port\":0}") << false;
        QTest::newRow("port too big") << QByteArray("{\"op\":\"here\",\"name\":\"x\",\"port\":70000}") << false;
        QTest::newRow("port text") << QByteArray("{\"op\":\"here\",\"name\":\"x\",\"port\":\"7420\"}") << false;
        QTest::newRow("not json") << QByteArray("hello") << false;
    }
    void discoveryIgnoresAnswersThatAreNotFerry()
    {
        QFETCH(QByteArray, datagram);
        QFETCH(bool, valid);
        QCOMPARE(DiscoveryClient::parseAnswer(datagram, QHostAddress::LocalHost).has_value(), valid);
    }
};

QTEST_MAIN(TestConnectDialog)
#include "tst_connectdialog.moc"
