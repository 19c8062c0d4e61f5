// InProcessQuotaLedger: reservation arithmetic, the quota_exceeded reply, and many threads racing for
// the last free bytes.

#include "InProcessQuotaLedger.h"
#include "Protocol.h"

#include <QRandomGenerator>
#include <QTest>
#include <QThread>

#include <atomic>
#include <vector>

using namespace ferry;

namespace {
const QString Alice = QStringLiteral("alice");
const QString Bob = QStringLiteral("bob");
constexpr qint64 MiB = 1024 * 1024;
} // namespace

class TestQuotaLedger : public QObject {
    Q_OBJECT

private slots:
    void unknownUserStartsEmpty()
    {
        InProcessQuotaLedger ledger;
        QVERIFY(!ledger.isKnown(Alice));
        QCOMPARE(ledger.used(Alice), qint64(0));
        QCOMPARE(ledger.reserved(Alice), qint64(0));
        ledger.setUsed(Alice, 500);
        QVERIFY(ledger.isKnown(Alice));
        QVERIFY(!ledger.isKnown(Bob));
        QCOMPARE(ledger.used(Alice), qint64(500));
    }

    void settleEndsTheReservationAndAppliesTheUploadsDeltaOnce()
    {
        InProcessQuotaLedger ledger;
        ledger.setUsed(Alice, 100);
        const Result<qint64> id = ledger.reserve(Alice, 1000, qint64(5000));
        QVERIFY(id.ok());
        QVERIFY(*id > 0);
        QCOMPARE(ledger.reserved(Alice), qint64(1000));
        QCOMPARE(ledger.used(Alice), qint64(100));   // nothing moves while the upload runs

        ledger.settle(*id, 1200);   // the upload added more than it reserved (an overwrite): disk decides
        QCOMPARE(ledger.used(Alice), qint64(1300));
        QCOMPARE(ledger.reserved(Alice), qint64(0));
        ledger.settle(*id, 1200);   // twice: ignored, the upload settles once
        QCOMPARE(ledger.used(Alice), qint64(1300));
    }

    void settleWithNegativeDeltaFreesBytes()
    {
        InProcessQuotaLedger ledger;
        ledger.setUsed(Alice, 0);
        const qint64 first = *ledger.reserve(Alice, 600, qint64(1000));
        const qint64 second = *ledger.reserve(Alice, 400, qint64(1000));
        QVERIFY(first != second);
        QVERIFY(!ledger.reserve(Alice, 1, qint64(1000)).ok());
        ledger.settle(first, 100);   // wrote 100 bytes, then was interrupted
        QCOMPARE(ledger.reserved(Alice), qint64(400));
        QCOMPARE(ledger.used(Alice), qint64(100));
        QVERIFY(ledger.reserve(Alice, 500, qint64(1000)).ok());
        QVERIFY(!ledger.reserve(Alice, 1, qint64(1000)).ok());
        ledger.settle(second, -100);   // discarded its part file of an earlier attempt
        QCOMPARE(ledger.used(Alice), qint64(0));
    }

    void usersAreIndependent()
    {
        InProcessQuotaLedger ledger;
        QVERIFY(ledger.reserve(Alice, 900, qint64(1000)).ok());
        QVERIFY(ledger.reserve(Bob, 900, qint64(1000)).ok());
        QCOMPARE(ledger.reserved(Bob), qint64(900));
    }

    void exactLimitIsGrantedOneByteMoreIsNot_data()
    {
        QTest::addColumn<qint64>("used");
        QTest::addColumn<qint64>("alreadyReserved");
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<qint64>("limit");
        QTest::addColumn<bool>("granted");
        QTest::newRow("exactly the limit") << qint64(400) << qint64(100) << qint64(500) << qint64(1000) << true;
        QTest::newRow("one byte over") << qint64(400) << qint64(100) << qint64(501) << qint64(1000) << false;
        QTest::newRow("zero bytes at the limit") << qint64(1000) << qint64(0) << qint64(0) << qint64(1000) << true;
        QTest::newRow("zero bytes over the limit") << qint64(1001) << qint64(0) << qint64(0) << qint64(1000) << false;
        QTest::newRow("zero limit, zero bytes") << qint64(0) << qint64(0) << qint64(0) << qint64(0) << true;
        QTest::newRow("zero limit, one byte") << qint64(0) << qint64(0) << qint64(1) << qint64(0) << false;
        QTest::newRow("negative bytes count as none") << qint64(1000) << qint64(0) << qint64(-50) << qint64(1000) << true;
    }

    void exactLimitIsGrantedOneByteMoreIsNot()
    {
        QFETCH(qint64, used);
        QFETCH(qint64, alreadyReserved);
        QFETCH(qint64, bytes);
        QFETCH(qint64, limit);
        QFETCH(bool, granted);
        InProcessQuotaLedger ledger;
        ledger.setUsed(Alice, used);
        if (alreadyReserved > 0)
            QVERIFY(ledger.reserve(Alice, alreadyReserved, std::nullopt).ok());
        const Result<qint64> reservation = ledger.reserve(Alice, bytes, limit);
        QCOMPARE(reservation.ok(), granted);
        QCOMPARE(ledger.reserved(Alice), alreadyReserved + (granted ? qMax<qint64>(0, bytes) : 0));
    }

    void noLimitAlwaysGrants()
    {
        InProcessQuotaLedger ledger;
        ledger.setUsed(Alice, qint64(1) << 50);
        QVERIFY(ledger.reserve(Alice, qint64(1) << 52, std::nullopt).ok());
        QCOMPARE(ledger.reserved(Alice), qint64(1) << 52);
    }

    void quotaExceededSaysUsedLimitAndNeeded()
    {
        InProcessQuotaLedger ledger;
        ledger.setUsed(Alice, 9 * MiB + MiB / 2);
        const Result<qint64> refused = ledger.reserve(Alice, 2 * MiB, 10 * MiB);
        QVERIFY(!refused.ok());
        const Error &error = refused.error();
        QCOMPARE(error.code, QString(ErrorCode::QuotaExceeded));
        QCOMPARE(error.extra.value(QStringLiteral("used")).toInteger(), 9 * MiB + MiB / 2);
        QCOMPARE(error.extra.value(QStringLiteral("limit")).toInteger(), 10 * MiB);
        // Free is 0.5 MiB and the upload wants 2 MiB: it needs 1.5 MiB more than is free.
        QCOMPARE(error.extra.value(QStringLiteral("needed")).toInteger(), MiB + MiB / 2);
        QVERIFY2(error.message.contains(QStringLiteral("9.5 MiB used of 10 MiB")), qPrintable(error.message));
        QVERIFY2(error.message.contains(QStringLiteral("1.5 MiB more")), qPrintable(error.message));
        QCOMPARE(ledger.reserved(Alice), qint64(0));
    }

    void neededCountsOtherOpenReservations()
    {
        InProcessQuotaLedger ledger;
        ledger.setUsed(Alice, 100);
        QVERIFY(ledger.reserve(Alice, 300, qint64(1000)).ok());
        const Result<qint64> refused = ledger.reserve(Alice, 700, qint64(1000));
        QVERIFY(!refused.ok());
        QCOMPARE(refused.error().extra.value(QStringLiteral("used")).toInteger(), qint64(100));
        QCOMPARE(refused.error().extra.value(QStringLiteral("needed")).toInteger(), qint64(100));
    }

    void adjustUsedFollowsRemovalsAndNeverGoesNegative()
    {
        InProcessQuotaLedger ledger;
        ledger.setUsed(Alice, 1000);
        ledger.adjustUsed(Alice, -300);
        QCOMPARE(ledger.used(Alice), qint64(700));
        ledger.adjustUsed(Alice, 50);
        QCOMPARE(ledger.used(Alice), qint64(750));
        ledger.adjustUsed(Alice, -10000);
        QCOMPARE(ledger.used(Alice), qint64(0));
    }

    void concurrentReservationsNeverExceedTheLimit()
    {
        static constexpr int Threads = 8;
        static constexpr int AttemptsPerThread = 5000;
        static constexpr qint64 Limit = 1000000;
        InProcessQuotaLedger ledger;
        ledger.setUsed(Alice, 1000);
        std::atomic<qint64> granted{0};
        std::atomic<int> refusals{0};

        std::vector<std::unique_ptr<QThread>> threads;
        for (int t = 0; t < Threads; ++t) {
            threads.emplace_back(QThread::create([&ledger, &granted, &refusals, t] {
                QRandomGenerator random(quint32(t + 1));
                for (int i = 0; i < AttemptsPerThread; ++i) {
                    const qint64 bytes = random.bounded(1, 400);
                    const Result<qint64> id = ledger.reserve(Alice, bytes, Limit);
                    if (!id.ok()) {
                        refusals.fetch_add(1);
                        continue;
                    }
                    granted.fetch_add(bytes);
                    // Some uploads write half of their reservation and end, giving the rest back.
                    if (i % 7 == 0) {
                        ledger.settle(*id, bytes / 2);
                        granted.fetch_sub(bytes - bytes / 2);
                    }
                }
            }));
        }
        for (auto &thread : threads)
            thread->start();
        for (auto &thread : threads)
            QVERIFY(thread->wait(60000));

        // Every byte still held (reserved, or settled into used) was granted exactly once: no update
        // was lost, and all of them together fit in the limit.
        const qint64 booked = ledger.used(Alice) + ledger.reserved(Alice);
        QCOMPARE(booked, 1000 + granted.load());
        QVERIFY2(booked <= Limit, qPrintable(QString::number(booked)));
        QVERIFY(refusals.load() > 0);  // the race really reached the limit
        QVERIFY2(Limit - booked < 400, "the ledger kept granting until nearly full");
    }
};

QTEST_GUILESS_MAIN(TestQuotaLedger)
#include "tst_quotaledger.moc"
