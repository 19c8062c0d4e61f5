// The small parts of the transfer engine: "keep both" names, local part file names, the smoothed rate
// and ETA, the state file's item format, and the conflict arbiter's "apply to all".

#include "ConflictArbiter.h"
#include "ProgressMeter.h"
#include "TransferItem.h"
#include "TransferNames.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;

namespace {
class CountingResolver : public ConflictResolver {
public:
    int questions = 0;
    ConflictPolicy answer = ConflictPolicy::Overwrite;
    bool applyToAll = true;
    void resolve(const Conflict &, std::function<void(ConflictPolicy, bool)> decide) override
    {
        ++questions;
        decide(answer, applyToAll);   // synchronously, from inside resolve()
    }
};
} // namespace

class TestTransferParts : public QObject {
    Q_OBJECT
private slots:
    void numberedNameKeepsTheExtension_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("number");
        QTest::addColumn<QString>("expected");
        QTest::newRow("extension") << QStringLiteral("a.txt") << 1 << QStringLiteral("a (1).txt");
        QTest::newRow("last dot only") << QStringLiteral("x.tar.gz") << 2 << QStringLiteral("x.tar (2).gz");
        QTest::newRow("no extension") << QStringLiteral("README") << 3 << QStringLiteral("README (3)");
        QTest::newRow("hidden file") << QStringLiteral(".bashrc") << 1 << QStringLiteral(".bashrc (1)");
        QTest::newRow("chinese") << QStringLiteral("海边.jpg") << 1 << QStringLiteral("海边 (1).jpg");
    }
    void numberedNameKeepsTheExtension()
    {
        QFETCH(QString, name);
        QFETCH(int, number);
        QFETCH(QString, expected);
        QCOMPARE(numberedName(name, number), expected);
    }

    void freeNameSkipsTakenNames()
    {
        const QSet<QString> taken{QStringLiteral("a (1).txt"), QStringLiteral("a (2).txt")};
        QCOMPARE(freeName(QStringLiteral("a.txt"), [&](const QString &n) { return taken.contains(n); }), QStringLiteral("a (3).txt"));
        QCOMPARE(freeName(QStringLiteral("a.txt"), [](const QString &) { return true; }, 5), QString());
    }

    void localNameTakenSeesEveryKindOfEntry()
    {
        QTemporaryDir dir;
        const QString path = dir.path();
        QVERIFY(!localNameTaken(path + QStringLiteral("/nothing")));
        QFile file(path + QStringLiteral("/file"));
        QVERIFY(file.open(QIODevice::WriteOnly));
        QVERIFY(localNameTaken(file.fileName()));
        QVERIFY(QDir(path).mkdir(QStringLiteral("folder")));
        QVERIFY(localNameTaken(path + QStringLiteral("/folder")));
        QVERIFY(QFile::link(path + QStringLiteral("/nothing"), path + QStringLiteral("/dangling")));
        QVERIFY(localNameTaken(path + QStringLiteral("/dangling")));   // QFileInfo::exists says false here
        QVERIFY(!localNameTaken(path + QStringLiteral("/nothing/below")));
    }

    void partFileSitsBesideTheTarget()
    {
        QCOMPARE(localPartPath(QStringLiteral("/tmp/x/a.bin")), QStringLiteral("/tmp/x/.ferry-part-a.bin"));
        const QString longName(250, u'n');
        const QString part = localPartPath(QStringLiteral("/tmp/") + longName);
        QVERIFY(part.startsWith(QStringLiteral("/tmp/.ferry-part-")));
        QVERIFY(part.section(u'/', -1).toUtf8().size() <= 255);
        QVERIFY(part != localPartPath(QStringLiteral("/tmp/") + QString(250, u'm')));
    }

    void rateIsMeasuredOverTheWindow()
    {
        ProgressMeter meter(2000);
        meter.start(1000, 0);   // a resumed prefix is not speed
        QCOMPARE(meter.rate(100), 0.0);
        for (qint64 ms = 100; ms <= 4000; ms += 100)
            meter.sample(1000 + ms * 1000, ms);   // 1 MB/s
        QVERIFY(qAbs(meter.rate(4000) - 1000000.0) < 1000);
        QCOMPARE(meter.etaSeconds(3000000, 4000), 3);
        // Stalled: no new bytes for a second, the rate falls.
        QVERIFY(meter.rate(5000) < 700000);
        meter.sample(4001000, 5000);
        QVERIFY(meter.rate(5000) < 700000);
    }

    void unknownRateHasNoEta()
    {
        ProgressMeter meter;
        meter.start(0, 0);
        QCOMPARE(meter.etaSeconds(100, 50), -1);
        QCOMPARE(meter.etaSeconds(0, 50), 0);
    }

    void itemSurvivesTheStateFileAndRunningComesBackQueued()
    {
        TransferItem item;
        item.id = 7;
        item.jobId = 3;
        item.direction = TransferDirection::Download;
        item.localPath = QStringLiteral("/home/u/照片/海边.jpg");
        item.remotePath = QStringLiteral("/照片/海边.jpg");
        item.size = qint64(1) << 40;
        item.done = 12345;
        item.resumedFrom = 100;
        item.mtimeMs = 1700000000123;
        item.state = TransferState::Running;
        item.conflict = ConflictPolicy::Rename;
        item.started = true;
        const TransferItem back = TransferItem::fromJson(item.toJson());
        QCOMPARE(back.id, item.id);
        QCOMPARE(back.jobId, item.jobId);
        QCOMPARE(back.direction, item.direction);
        QCOMPARE(back.localPath, item.localPath);
        QCOMPARE(back.remotePath, item.remotePath);
        QCOMPARE(back.size, item.size);
        QCOMPARE(back.done, item.done);
        QCOMPARE(back.resumedFrom, item.resumedFrom);
        QCOMPARE(back.mtimeMs, item.mtimeMs);
        QCOMPARE(back.conflict, item.conflict);
        QCOMPARE(back.started, true);
        QCOMPARE(back.state, TransferState::Queued);
        QCOMPARE(back.name(), QStringLiteral("海边.jpg"));

        item.state = TransferState::Failed;
        item.error = Error::make(QLatin1String("exists"), QStringLiteral("/a exists."));
        const TransferItem failed = TransferItem::fromJson(item.toJson());
        QCOMPARE(failed.state, TransferState::Failed);
        QCOMPARE(failed.error.code, QStringLiteral("exists"));
        QCOMPARE(failed.error.message, QStringLiteral("/a exists."));
    }

    void applyToAllAnswersTheRestOfTheJobOnly()
    {
        CountingResolver resolver;
        ConflictArbiter arbiter;
        arbiter.setResolver(&resolver);
        QObject context;
        QList<ConflictPolicy> answers;
        ConflictResolver::Conflict conflict;
        conflict.item.conflict = ConflictPolicy::Ask;
        conflict.item.jobId = 1;
        for (int i = 0; i < 3; ++i)
            arbiter.decide(conflict, &context, [&answers](ConflictPolicy policy) { answers.append(policy); });
        conflict.item.jobId = 2;   // another job is asked again
        arbiter.decide(conflict, &context, [&answers](ConflictPolicy policy) { answers.append(policy); });
        conflict.item.conflict = ConflictPolicy::Skip;   // a fixed policy is never asked
        arbiter.decide(conflict, &context, [&answers](ConflictPolicy policy) { answers.append(policy); });
        QTRY_COMPARE(answers.size(), 5);
        QCOMPARE(resolver.questions, 2);
        QCOMPARE(answers.count(ConflictPolicy::Overwrite), 4);
        QCOMPARE(answers.count(ConflictPolicy::Skip), 1);
    }

    void answersForAGoneContextAreDropped()
    {
        ConflictArbiter arbiter;   // no resolver: Ask is Fail
        auto gone = std::make_unique<QObject>();
        QObject alive;
        bool goneCalled = false;
        bool aliveCalled = false;
        ConflictResolver::Conflict conflict;
        arbiter.decide(conflict, gone.get(), [&goneCalled](ConflictPolicy) { goneCalled = true; });
        arbiter.decide(conflict, &alive, [&aliveCalled](ConflictPolicy) { aliveCalled = true; });
        gone.reset();
        QTRY_VERIFY(aliveCalled);   // answers are delivered in order: the first one's turn has passed
        QVERIFY(!goneCalled);
    }
};

QTEST_MAIN(TestTransferParts)
#include "tst_transferparts.moc"
