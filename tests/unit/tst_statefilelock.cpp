// StateFileLock: one instance owns a queue file; a second one gets its own; a lock left by a process that
// is gone (a crash) is taken over, so that instance's queue is not lost.

#include "StateFileLock.h"

#include <QDir>
#include <QFile>
#include <QHostInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;

class TestStateFileLock : public QObject {
    Q_OBJECT
private slots:
    void alternativesAreNumbered()
    {
        QCOMPARE(StateFileLock::alternative(QStringLiteral("/d/transfers.json"), 1), QStringLiteral("/d/transfers.json"));
        QCOMPARE(StateFileLock::alternative(QStringLiteral("/d/transfers.json"), 2), QStringLiteral("/d/transfers-2.json"));
        QCOMPARE(StateFileLock::alternative(QStringLiteral("/d/queue"), 3), QStringLiteral("/d/queue-3"));
    }

    void aSecondOwnerGetsTheNextFreeFile()
    {
        QTemporaryDir dir;
        const QString preferred = dir.filePath(QStringLiteral("transfers.json"));
        std::unique_ptr<StateFileLock> first = StateFileLock::acquire(preferred);
        QVERIFY(first);
        QCOMPARE(first->path(), preferred);
        std::unique_ptr<StateFileLock> second = StateFileLock::acquire(preferred);
        QVERIFY(second);
        QCOMPARE(second->path(), dir.filePath(QStringLiteral("transfers-2.json")));
        first.reset();
        std::unique_ptr<StateFileLock> third = StateFileLock::acquire(preferred);
        QVERIFY(third);
        QCOMPARE(third->path(), preferred);   // free again once its owner is gone
    }

    void allTakenIsNull()
    {
        QTemporaryDir dir;
        const QString preferred = dir.filePath(QStringLiteral("transfers.json"));
        std::vector<std::unique_ptr<StateFileLock>> held;
        for (int i = 0; i < StateFileLock::MaxInstances; ++i) {
            held.push_back(StateFileLock::acquire(preferred));
            QVERIFY(held.back());
        }
        QVERIFY(!StateFileLock::acquire(preferred));
    }

    void aCrashedOwnersLockIsTakenOver()
    {
        QTemporaryDir dir;
        const QString preferred = dir.filePath(QStringLiteral("transfers.json"));
        // A process that has ended holds nothing: its lock file is what a crash leaves behind.
        QProcess gone;
        gone.start(QStringLiteral("sleep"), {QStringLiteral("0.1")});
        QVERIFY(gone.waitForStarted());
        const qint64 pid = gone.processId();
        QVERIFY(gone.waitForFinished());
        QFile lock(preferred + QStringLiteral(".lock"));
        QVERIFY(lock.open(QIODevice::WriteOnly));
        lock.write(QByteArray::number(pid) + "\nferry\n" + QSysInfo::machineHostName().toUtf8() + "\n");
        lock.close();
        std::unique_ptr<StateFileLock> next = StateFileLock::acquire(preferred);
        QVERIFY(next);
        QCOMPARE(next->path(), preferred);
    }
};

QTEST_GUILESS_MAIN(TestStateFileLock)
#include "tst_statefilelock.moc"
