// The conditional conflict answers ("overwrite if newer", "overwrite if the size differs") and identical
// targets skipped without asking, through the transfer queue against a real ferryd (in-process), and the
// server's stored SHA-256 in `stat` that makes the identity check cheap.

#include "ConflictRules.h"
#include "TransferTestHelpers.h"

#include <QTemporaryDir>
#include <QTimer>

#include <sys/xattr.h>

using namespace ferry;
using namespace ferry::test;

namespace {

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

const qint64 Older = QDateTime(QDate(2020, 1, 1), QTime(10, 0), Qt::UTC).toMSecsSinceEpoch();
const qint64 Newer = QDateTime(QDate(2024, 6, 1), QTime(10, 0), Qt::UTC).toMSecsSinceEpoch();

bool supportsUserXattrs(const QString &folder)
{
    const QString probe = folder + QStringLiteral("/.xattr-probe");
    if (!writeFile(probe, "x"))
        return false;
    const bool ok = ::setxattr(QFile::encodeName(probe).constData(), "user.probe", "1", 1, 0) == 0;
    QFile::remove(probe);
    return ok;
}

} // namespace

class TestConflictChoices : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<QTemporaryDir> m_temp;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<ClientSession> m_session;
    QString m_local;

    QString home() const { return m_server->home(TestUser); }

    Result<RemoteEntry> stat(const QString &path)
    {
        std::optional<Result<RemoteEntry>> reply;
        m_session->stat(path, [&reply](const Result<RemoteEntry> &entry) { reply = entry; });
        if (!QTest::qWaitFor([&reply] { return reply.has_value(); }, 10000))
            return Error::make(ErrorCode::IoError, QStringLiteral("no stat reply"));
        return *reply;
    }

    // Uploads through the queue, so the server stores the file's hash.
    bool uploadThroughQueue(const QString &localFile, const QString &remoteDir)
    {
        TransferQueue queue(m_session.get());
        const qint64 job = queue.upload({localFile}, remoteDir, ConflictPolicy::Overwrite);
        return waitForJob(queue, job) && queue.jobItems(job).first().state == TransferState::Done;
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

    void settleConditionalComparesPerFile()
    {
        using P = ConflictPolicy;
        QCOMPARE(settleConditional(P::OverwriteIfNewer, {3, Newer}, {3, Older}), P::Overwrite);
        QCOMPARE(settleConditional(P::OverwriteIfNewer, {3, Older}, {3, Newer}), P::Skip);
        // Within the same second is not newer: precision differs between file systems.
        QCOMPARE(settleConditional(P::OverwriteIfNewer, {3, Older + 900}, {3, Older + 100}), P::Skip);
        QCOMPARE(settleConditional(P::OverwriteIfNewer, {3, -1}, {3, Older}), P::Skip);   // unknown: keep
        QCOMPARE(settleConditional(P::OverwriteIfSizeDiffers, {4, Older}, {3, Newer}), P::Overwrite);
        QCOMPARE(settleConditional(P::OverwriteIfSizeDiffers, {3, Newer}, {3, Older}), P::Skip);
        QCOMPARE(settleConditional(P::OverwriteIfSizeDiffers, {3, Newer}, {-1, Older}), P::Skip);
        QCOMPARE(settleConditional(P::Rename, {3, Newer}, {3, Older}), P::Rename);
    }

    void conditionalPolicies_data()
    {
        QTest::addColumn<bool>("upload");
        QTest::addColumn<ConflictPolicy>("policy");
        QTest::addColumn<QByteArray>("source");
        QTest::addColumn<qint64>("sourceMtime");
        QTest::addColumn<qint64>("targetMtime");
        QTest::addColumn<TransferState>("state");
        QTest::addColumn<QByteArray>("expectedTarget");
        const auto newer = ConflictPolicy::OverwriteIfNewer;
        const auto sizeDiffers = ConflictPolicy::OverwriteIfSizeDiffers;
        for (const bool upload : {true, false}) {
            const char *dir = upload ? "upload" : "download";
            QTest::addRow("%s, newer source replaces", dir)
                << upload << newer << QByteArray("new!") << Newer << Older << TransferState::Done << QByteArray("new!");
            QTest::addRow("%s, older source is skipped", dir)
                << upload << newer << QByteArray("new!") << Older << Newer << TransferState::Skipped << QByteArray("old");
            QTest::addRow("%s, same time is skipped", dir)
                << upload << newer << QByteArray("new!") << Older << Older << TransferState::Skipped << QByteArray("old");
            QTest::addRow("%s, other size replaces", dir)
                << upload << sizeDiffers << QByteArray("new!") << Older << Newer << TransferState::Done << QByteArray("new!");
            QTest::addRow("%s, same size is skipped", dir)
                << upload << sizeDiffers << QByteArray("new") << Newer << Older << TransferState::Skipped << QByteArray("old");
        }
    }
    void conditionalPolicies()
    {
        QFETCH(bool, upload);
        QFETCH(ConflictPolicy, policy);
        QFETCH(QByteArray, source);
        QFETCH(qint64, sourceMtime);
        QFETCH(qint64, targetMtime);
        QFETCH(TransferState, state);
        QFETCH(QByteArray, expectedTarget);
        const QString remoteFile = home() + QStringLiteral("/a.txt");
        const QString localFile = m_local + QStringLiteral("/a.txt");
        const QString sourceFile = upload ? localFile : remoteFile;
        const QString targetFile = upload ? remoteFile : localFile;
        QVERIFY(writeFile(sourceFile, source));
        QVERIFY(setModified(sourceFile, sourceMtime));
        QVERIFY(writeFile(targetFile, "old"));
        QVERIFY(setModified(targetFile, targetMtime));

        TransferQueue queue(m_session.get());
        const qint64 job = upload ? queue.upload({localFile}, QStringLiteral("/"), policy)
                                  : queue.download({QStringLiteral("/a.txt")}, m_local, policy);
        QVERIFY(waitForJob(queue, job));
        const TransferItem item = queue.jobItems(job).first();
        QVERIFY2(item.state == state, qPrintable(item.error.message));
        QCOMPARE(readFile(targetFile), expectedTarget);
        QTRY_COMPARE(treeOf(QFileInfo(targetFile).path()).size(), 1);   // no copy, no part file beside it
    }

    void conditionalAnswerForAllIsSettledPerFile()
    {
        // One answer "overwrite if newer, for all": each file of the folder is compared on its own.
        for (const QString &name : {QStringLiteral("fresh.txt"), QStringLiteral("stale.txt")}) {
            QVERIFY(writeFile(home() + QStringLiteral("/dir/") + name, "old"));
            QVERIFY(writeFile(m_local + QStringLiteral("/dir/") + name, "new"));
        }
        QVERIFY(setModified(home() + QStringLiteral("/dir/fresh.txt"), Older));
        QVERIFY(setModified(m_local + QStringLiteral("/dir/fresh.txt"), Newer));
        QVERIFY(setModified(home() + QStringLiteral("/dir/stale.txt"), Newer));
        QVERIFY(setModified(m_local + QStringLiteral("/dir/stale.txt"), Older));

        ScriptedResolver resolver;
        resolver.answer = ConflictPolicy::OverwriteIfNewer;
        resolver.applyToAll = true;
        TransferQueue queue(m_session.get());
        queue.setConflictResolver(&resolver);
        const qint64 job = queue.upload({m_local + QStringLiteral("/dir")}, QStringLiteral("/"), ConflictPolicy::Ask);
        QVERIFY(waitForJob(queue, job));
        QCOMPARE(resolver.asked.size(), 1);
        QCOMPARE(readFile(home() + QStringLiteral("/dir/fresh.txt")), QByteArray("new"));
        QCOMPARE(readFile(home() + QStringLiteral("/dir/stale.txt")), QByteArray("old"));
        QCOMPARE(itemNamed(queue, QStringLiteral("fresh.txt"))->state, TransferState::Done);
        QCOMPARE(itemNamed(queue, QStringLiteral("stale.txt"))->state, TransferState::Skipped);
    }

    void statCarriesTheStoredHashOnlyWhileValid()
    {
        if (!supportsUserXattrs(m_temp->path()))
            QSKIP("the temporary folder's file system keeps no user extended attributes");
        const QString local = m_local + QStringLiteral("/h.bin");
        QVERIFY(writeRandomFile(local, 300 * 1024, 5));
        QVERIFY(uploadThroughQueue(local, QStringLiteral("/")));
        const Result<RemoteEntry> stored = stat(QStringLiteral("/h.bin"));
        QVERIFY(stored);
        QCOMPARE(stored->sha256, Sha256::hexOfFile(local));

        // Put there by hand: the server does not know its hash, and does not compute one for a stat.
        QVERIFY(writeFile(home() + QStringLiteral("/plain.txt"), "plain"));
        const Result<RemoteEntry> plain = stat(QStringLiteral("/plain.txt"));
        QVERIFY(plain);
        QVERIFY(plain->sha256.isEmpty());

        // Changed behind the server's back (another mtime): the stored hash no longer counts.
        QVERIFY(setModified(home() + QStringLiteral("/h.bin"), Older));
        const Result<RemoteEntry> changed = stat(QStringLiteral("/h.bin"));
        QVERIFY(changed);
        QVERIFY(changed->sha256.isEmpty());
        // Folders and listings carry none.
        QVERIFY(stat(QStringLiteral("/"))->sha256.isEmpty());
    }

    void identicalTargetIsSkippedWithoutAsking_data()
    {
        QTest::addColumn<bool>("upload");
        QTest::addColumn<ConflictPolicy>("policy");
        QTest::newRow("upload, ask") << true << ConflictPolicy::Ask;
        QTest::newRow("upload, if size differs") << true << ConflictPolicy::OverwriteIfSizeDiffers;
        QTest::newRow("download, ask") << false << ConflictPolicy::Ask;
        QTest::newRow("download, if newer") << false << ConflictPolicy::OverwriteIfNewer;
    }
    void identicalTargetIsSkippedWithoutAsking()
    {
        QFETCH(bool, upload);
        QFETCH(ConflictPolicy, policy);
        if (!supportsUserXattrs(m_temp->path()))
            QSKIP("the temporary folder's file system keeps no user extended attributes");
        const QString local = m_local + QStringLiteral("/same.bin");
        QVERIFY(writeRandomFile(local, 5 * 1024 * 1024 + 3, 9));
        QVERIFY(uploadThroughQueue(local, QStringLiteral("/")));
        // The copies' times differ (the local one changes: the server's hash is valid only for its own
        // mtime), so only the content can tell they are the same; for "if newer" the source is newer.
        const QString target = upload ? home() + QStringLiteral("/same.bin") : local;
        QVERIFY(setModified(local, upload ? Newer : Older));
        const qint64 targetMtime = modifiedMs(target);

        ScriptedResolver resolver;
        resolver.answer = ConflictPolicy::Overwrite;
        TransferQueue queue(m_session.get());
        queue.setConflictResolver(&resolver);
        const qint64 job = upload ? queue.upload({local}, QStringLiteral("/"), policy)
                                  : queue.download({QStringLiteral("/same.bin")}, m_local, policy);
        QVERIFY(waitForJob(queue, job));
        const TransferItem item = queue.jobItems(job).first();
        QCOMPARE(item.state, TransferState::Skipped);
        QVERIFY2(item.error.message.contains(QStringLiteral("same file")), qPrintable(item.error.message));
        QVERIFY(resolver.asked.isEmpty());
        QCOMPARE(modifiedMs(target), targetMtime);   // left alone, not rewritten
        QTRY_COMPARE(treeOf(QFileInfo(target).path()).size(), 1);   // no part file, no copy
    }

    void resumeLeavesCompleteTargetsAlone_data()
    {
        QTest::addColumn<bool>("upload");
        QTest::addColumn<qint64>("targetMtime");
        QTest::addColumn<TransferState>("state");
        QTest::addColumn<QByteArray>("expectedTarget");
        for (const bool upload : {true, false}) {
            const char *dir = upload ? "upload" : "download";
            // Same size and time to the second: complete, so not even read (the bytes differ on purpose).
            QTest::addRow("%s, complete", dir) << upload << Older + 400 << TransferState::Skipped << QByteArray("xyz");
            QTest::addRow("%s, other time", dir) << upload << Newer << TransferState::Done << QByteArray("abc");
        }
    }
    void resumeLeavesCompleteTargetsAlone()
    {
        QFETCH(bool, upload);
        QFETCH(qint64, targetMtime);
        QFETCH(TransferState, state);
        QFETCH(QByteArray, expectedTarget);
        const QString remoteFile = home() + QStringLiteral("/r.txt");
        const QString localFile = m_local + QStringLiteral("/r.txt");
        const QString source = upload ? localFile : remoteFile;
        const QString target = upload ? remoteFile : localFile;
        QVERIFY(writeFile(source, "abc"));
        QVERIFY(setModified(source, Older + 100));
        QVERIFY(writeFile(target, "xyz"));
        QVERIFY(setModified(target, targetMtime));

        TransferQueue queue(m_session.get());
        const qint64 job = upload ? queue.upload({localFile}, QStringLiteral("/"), ConflictPolicy::Resume)
                                  : queue.download({QStringLiteral("/r.txt")}, m_local, ConflictPolicy::Resume);
        QVERIFY(waitForJob(queue, job));
        const TransferItem item = queue.jobItems(job).first();
        QVERIFY2(item.state == state, qPrintable(item.error.message));
        if (state == TransferState::Skipped)
            QCOMPARE(item.error.code, QString(SkipReason::Complete));
        QCOMPARE(readFile(target), expectedTarget);
        QTRY_COMPARE(treeOf(QFileInfo(target).path()).size(), 1);
    }

    void sameSizeOtherContentStillAsks_data()
    {
        QTest::addColumn<bool>("upload");
        QTest::newRow("upload") << true;
        QTest::newRow("download") << false;
    }
    void sameSizeOtherContentStillAsks()
    {
        QFETCH(bool, upload);
        const QString local = m_local + QStringLiteral("/s.txt");
        QVERIFY(writeFile(local, "first"));
        QVERIFY(uploadThroughQueue(local, QStringLiteral("/")));   // the server knows the hash of "first"
        QVERIFY(writeFile(local, "other"));                         // same size, other bytes

        ScriptedResolver resolver;
        resolver.answer = ConflictPolicy::Overwrite;
        TransferQueue queue(m_session.get());
        queue.setConflictResolver(&resolver);
        const qint64 job = upload ? queue.upload({local}, QStringLiteral("/"), ConflictPolicy::Ask)
                                  : queue.download({QStringLiteral("/s.txt")}, m_local, ConflictPolicy::Ask);
        QVERIFY(waitForJob(queue, job));
        QCOMPARE(resolver.asked.size(), 1);
        QCOMPARE(queue.jobItems(job).first().state, TransferState::Done);
        QCOMPARE(readFile(upload ? home() + QStringLiteral("/s.txt") : local), upload ? QByteArray("other")
                                                                                      : QByteArray("first"));
    }
};

QTEST_GUILESS_MAIN(TestConflictChoices)
#include "tst_conflictchoices.moc"
