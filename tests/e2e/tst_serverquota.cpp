// The quota under attack (issue 8): a second session renaming or removing an upload's folder, a random
// interleaving of puts, cancels, renames and removes across two sessions (ledger compared with the disk),
// cancel with discard, and part files that expire.

#include "LocalStorage.h"
#include "RawClient.h"
#include "WireTestHelpers.h"
#include "Sha256.h"
#include "TestServer.h"
#include "UsersFile.h"

#include <QDateTime>
#include <QtEndian>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QTest>

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace ferry;
using namespace ferry::test;


class TestServerQuota : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<TestServer> m_server;
    QString home() const { return m_server->home(QStringLiteral("alice")); }
    qint64 used(RawClient &c) { return integer(c.request(op(QStringLiteral("quota"))), "used"); }

    void startServer(ServerConfig config = {}, std::optional<qint64> quota = std::nullopt)
    {
        m_server = std::make_unique<TestServer>();
        QVERIFY(m_server->addUser(QStringLiteral("alice"), Pw, quota));
        QVERIFY(m_server->start(config));
    }

private slots:
    void init() { startServer(); }
    void cleanup() { m_server.reset(); }

    // --- quota bypass ---

    void aQuotaLoweredWhileLoggedInAppliesToTheNextPut()
    {
        // The session looks at the accounts once per read from its socket, not per put: a put sent after the
        // administrator's change must still see it.
        startServer({}, 1024 * 1024);
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), Pw));
        QCOMPARE(putFile(c, QStringLiteral("/one.bin"), QByteArray(100 * 1000, 'a'), QStringLiteral("new")).last().op(),
                 QStringLiteral("ok"));
        UsersFile users(m_server->dataDir());
        std::optional<UserAccount> alice = users.find(QStringLiteral("alice"));
        QVERIFY(alice);
        alice->quotaBytes = 150 * 1000;
        QVERIFY(users.update(*alice));
        const QList<Frame> refused = putFile(c, QStringLiteral("/two.bin"), QByteArray(100 * 1000, 'b'), QStringLiteral("new"));
        QCOMPARE(refused.last().op(), QStringLiteral("error"));
        QCOMPARE(refused.last().header.value(QStringLiteral("code")).toString(), QStringLiteral("quota_exceeded"));
        QVERIFY(!QFileInfo::exists(home() + QStringLiteral("/two.bin")));
    }

    void renameOrRemoveOfAFolderWithAnOpenUploadIsBusy()
    {
        cleanup();
        startServer({}, 8 * 1024 * 1024);
        QVERIFY(QDir().mkpath(home() + QStringLiteral("/d")));
        RawClient a, b;
        QVERIFY(a.login(m_server->port(), QStringLiteral("alice"), Pw));
        QVERIFY(b.login(m_server->port(), QStringLiteral("alice"), Pw));
        const qint64 id = a.nextId();
        const QByteArray content(6 * 1024 * 1024, 'q');
        a.send(op(QStringLiteral("put"), {{QStringLiteral("id"), id}, {QStringLiteral("path"), QStringLiteral("/d/f")},
                                          {QStringLiteral("size"), content.size()}, {QStringLiteral("mode"), QStringLiteral("new")}}));
        QCOMPARE(a.next()->op(), QStringLiteral("ok"));
        a.send(op(QStringLiteral("data"), {{QStringLiteral("id"), id}}), content.left(3 * 1024 * 1024));
        QTRY_COMPARE(QFileInfo(home() + QStringLiteral("/d/.ferry-part-f")).size(), 3 * 1024 * 1024);

        QCOMPARE(code(b.request(op(QStringLiteral("rename"), {{QStringLiteral("from"), QStringLiteral("/d")}, {QStringLiteral("to"), QStringLiteral("/e")}}))),
                 QStringLiteral("busy"));
        QCOMPARE(code(b.request(op(QStringLiteral("remove"), {{QStringLiteral("path"), QStringLiteral("/d")}, {QStringLiteral("recursive"), true}}))),
                 QStringLiteral("busy"));
        QCOMPARE(code(b.request(op(QStringLiteral("rename"), {{QStringLiteral("from"), QStringLiteral("/d/f")}, {QStringLiteral("to"), QStringLiteral("/g")}}))),
                 QStringLiteral("busy"));

        a.send(op(QStringLiteral("data"), {{QStringLiteral("id"), id}}), content.mid(3 * 1024 * 1024));
        a.send(op(QStringLiteral("end"), {{QStringLiteral("id"), id}, {QStringLiteral("sha256"), QString::fromLatin1(Sha256::hex(content))}}));
        QCOMPARE(a.untilFinal(id).last().op(), QStringLiteral("ok"));
        // Now the folder is free again, and the ledger equals the disk.
        QCOMPARE(b.request(op(QStringLiteral("rename"), {{QStringLiteral("from"), QStringLiteral("/d")}, {QStringLiteral("to"), QStringLiteral("/e")}})).op(),
                 QStringLiteral("ok"));
        QCOMPARE(used(b), LocalHome(home()).usage());
        QCOMPARE(used(b), content.size());
        // A second 6 MiB file no longer fits under 8 MiB.
        QCOMPARE(code(putFile(b, QStringLiteral("/h"), content, QStringLiteral("new")).last()), QStringLiteral("quota_exceeded"));
    }

    void randomInterleavingKeepsLedgerEqualToDisk()
    {
        cleanup();
        startServer({}, 64 * 1024 * 1024);
        QVERIFY(QDir().mkpath(home() + QStringLiteral("/d")));
        RawClient sessions[2];
        for (RawClient &s : sessions)
            QVERIFY(s.login(m_server->port(), QStringLiteral("alice"), Pw));
        QRandomGenerator random(8);
        const QStringList names{QStringLiteral("/a"), QStringLiteral("/d/b"), QStringLiteral("/d/c"), QStringLiteral("/e")};
        struct Open {
            qint64 id = 0;
            QByteArray content;
            qint64 sent = 0;
        };
        std::optional<Open> open[2];
        for (int step = 0; step < 300; ++step) {
            const int who = random.bounded(2);
            RawClient &c = sessions[who];
            const QString name = names[random.bounded(names.size())];
            const QString other = names[random.bounded(names.size())];
            switch (random.bounded(7)) {
            case 0:   // start a put (new/overwrite/resume)
                if (!open[who]) {
                    const QStringList modes{QStringLiteral("new"), QStringLiteral("overwrite"), QStringLiteral("resume")};
                    Open put{c.nextId(), QByteArray(int(random.bounded(1, 300000)), char('a' + step % 26)), 0};
                    c.send(op(QStringLiteral("put"), {{QStringLiteral("id"), put.id}, {QStringLiteral("path"), name},
                                                      {QStringLiteral("size"), put.content.size()},
                                                      {QStringLiteral("mode"), modes[random.bounded(3)]}}));
                    const Frame reply = *c.next();
                    if (reply.op() == QLatin1String("ok")) {
                        put.sent = integer(reply, "offset");
                        open[who] = put;
                    }
                }
                break;
            case 1:   // data
            case 2:
                if (open[who] && open[who]->sent < open[who]->content.size()) {
                    const qint64 length = qMin<qint64>(random.bounded(1, 100000), open[who]->content.size() - open[who]->sent);
                    c.send(op(QStringLiteral("data"), {{QStringLiteral("id"), open[who]->id}}), open[who]->content.mid(open[who]->sent, length));
                    open[who]->sent += length;
                }
                break;
            case 3:   // end (sometimes early, sometimes with a wrong hash) or cancel
                if (open[who]) {
                    const qint64 id = open[who]->id;
                    const int how = random.bounded(3);
                    if (how == 2) {
                        c.send(op(QStringLiteral("cancel"), {{QStringLiteral("id"), c.nextId()}, {QStringLiteral("target"), id},
                                                             {QStringLiteral("discard"), random.bounded(2) == 1}}));
                    } else {
                        const QByteArray hash = how == 0 ? Sha256::hex(open[who]->content) : QByteArray(64, '0');
                        c.send(op(QStringLiteral("end"), {{QStringLiteral("id"), id}, {QStringLiteral("sha256"), QString::fromLatin1(hash)}}));
                    }
                    QVERIFY(!c.untilFinal(id, 30000).isEmpty());
                    open[who].reset();
                }
                break;
            case 4:
                c.request(op(QStringLiteral("rename"), {{QStringLiteral("from"), name}, {QStringLiteral("to"), other},
                                                        {QStringLiteral("overwrite"), random.bounded(2) == 1}}));
                break;
            case 5:
                c.request(op(QStringLiteral("remove"), {{QStringLiteral("path"), name.startsWith(QLatin1String("/d/")) && random.bounded(3) == 0 ? QStringLiteral("/d") : name},
                                                        {QStringLiteral("recursive"), true}}));
                c.request(op(QStringLiteral("mkdir"), {{QStringLiteral("path"), QStringLiteral("/d")}, {QStringLiteral("parents"), true}}));
                break;
            default:
                QCOMPARE(c.request(op(QStringLiteral("ping"))).op(), QStringLiteral("ok"));
            }
        }
        for (int who = 0; who < 2; ++who) {
            if (open[who]) {
                sessions[who].send(op(QStringLiteral("cancel"), {{QStringLiteral("id"), sessions[who].nextId()}, {QStringLiteral("target"), open[who]->id}}));
                sessions[who].untilFinal(open[who]->id);
            }
        }
        QCOMPARE(used(sessions[0]), LocalHome(home()).usage());
    }

    void cancelWithDiscardDeletesThePartFileAndFreesItsQuota()
    {
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), Pw));
        const qint64 id = c.nextId();
        c.send(op(QStringLiteral("put"), {{QStringLiteral("id"), id}, {QStringLiteral("path"), QStringLiteral("/p")},
                                          {QStringLiteral("size"), 5000}, {QStringLiteral("mode"), QStringLiteral("new")}}));
        QCOMPARE(c.next()->op(), QStringLiteral("ok"));
        c.send(op(QStringLiteral("data"), {{QStringLiteral("id"), id}}), QByteArray(3000, 'p'));
        QTRY_COMPARE(QFileInfo(home() + QStringLiteral("/.ferry-part-p")).size(), 3000);
        const qint64 cancelId = c.nextId();
        c.send(op(QStringLiteral("cancel"), {{QStringLiteral("id"), cancelId}, {QStringLiteral("target"), id}, {QStringLiteral("discard"), true}}));
        QHash<qint64, Frame> replies;   // the two replies may come in either order
        for (int i = 0; i < 2; ++i) {
            const std::optional<Frame> frame = c.next();
            QVERIFY(frame);
            replies.insert(integer(*frame, "re"), *frame);
        }
        QCOMPARE(replies.value(cancelId).op(), QStringLiteral("ok"));
        QCOMPARE(code(replies.value(id)), QStringLiteral("cancelled"));
        QVERIFY(!QFileInfo::exists(home() + QStringLiteral("/.ferry-part-p")));
        QCOMPARE(used(c), 0);
    }

    void stalePartFilesAreDeletedAndLeaveTheUsage()
    {
        QVERIFY(writeFile(home() + QStringLiteral("/.ferry-part-old"), QByteArray(4000, 'o')));
        QVERIFY(writeFile(home() + QStringLiteral("/.ferry-part-fresh"), QByteArray(100, 'f')));
        const qint64 hourAgo = QDateTime::currentSecsSinceEpoch() - 3600;
        const struct timespec times[2] = {{hourAgo, 0}, {hourAgo, 0}};
        QVERIFY(::utimensat(AT_FDCWD, QFile::encodeName(home() + QStringLiteral("/.ferry-part-old")).constData(), times, 0) == 0);
        m_server->stop();
        ServerConfig config;
        config.partFileLifetimeSeconds = 60;
        QVERIFY(m_server->start(config));
        RawClient c;
        QVERIFY(c.login(m_server->port(), QStringLiteral("alice"), Pw));
        QVERIFY(!QFileInfo::exists(home() + QStringLiteral("/.ferry-part-old")));
        QVERIFY(QFileInfo::exists(home() + QStringLiteral("/.ferry-part-fresh")));
        QCOMPARE(used(c), 100);
    }
};

QTEST_GUILESS_MAIN(TestServerQuota)
#include "tst_serverquota.moc"
