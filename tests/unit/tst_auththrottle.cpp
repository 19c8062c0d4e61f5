// Failed-login throttling with a driven clock: the window, the doubling delay and its cap, addresses kept
// apart, the per-account limit (higher threshold, short cap) and pruning of old records.

#include "AuthThrottle.h"

#include <QTest>

using namespace ferry;

class TestAuthThrottle : public QObject {
    Q_OBJECT
private:
    qint64 m_now = 1'000'000;

private slots:
    void fiveFailuresBlockTheAddressWithADoublingDelay()
    {
        AuthThrottle t([this] { return m_now; });
        for (int i = 0; i < 4; ++i)
            t.recordFailure(QStringLiteral("10.0.0.1"), QStringLiteral("alice"));
        QCOMPARE(t.retryAfterSeconds(QStringLiteral("10.0.0.1")), 0);
        t.recordFailure(QStringLiteral("10.0.0.1"), QStringLiteral("alice"));
        QCOMPARE(t.retryAfterSeconds(QStringLiteral("10.0.0.1")), 2);
        t.recordFailure(QStringLiteral("10.0.0.1"), QStringLiteral("alice"));
        QCOMPARE(t.retryAfterSeconds(QStringLiteral("10.0.0.1")), 4);
        m_now += 4000;
        QCOMPARE(t.retryAfterSeconds(QStringLiteral("10.0.0.1")), 0);
        // Another address is not affected.
        QCOMPARE(t.retryAfterSeconds(QStringLiteral("10.0.0.2")), 0);
        // A success clears the address.
        t.recordFailure(QStringLiteral("10.0.0.1"), QString());
        QVERIFY(t.retryAfterSeconds(QStringLiteral("10.0.0.1")) > 0);
        t.recordSuccess(QStringLiteral("10.0.0.1"));
        QCOMPARE(t.retryAfterSeconds(QStringLiteral("10.0.0.1")), 0);
    }

    void theDelayIsCappedAndFailuresAgeOutOfTheWindow()
    {
        AuthThrottle t([this] { return m_now; });
        for (int i = 0; i < 40; ++i)
            t.recordFailure(QStringLiteral("10.0.0.1"), QString());
        QCOMPARE(t.retryAfterSeconds(QStringLiteral("10.0.0.1")), int(AuthThrottle::AddressPolicy.maxDelayMs / 1000));
        m_now += AuthThrottle::WindowMs + 1;
        QCOMPARE(t.retryAfterSeconds(QStringLiteral("10.0.0.1")), 0);
        // The old failures left the window: one more is not over the threshold.
        t.recordFailure(QStringLiteral("10.0.0.1"), QString());
        QCOMPARE(t.retryAfterSeconds(QStringLiteral("10.0.0.1")), 0);
    }

    void anAccountGuessedFromManyAddressesSlowsDownBriefly()
    {
        AuthThrottle t([this] { return m_now; });
        // 40 addresses x 4 guesses: no address reaches its limit, the account does.
        for (int a = 0; a < 40; ++a) {
            for (int i = 0; i < 4; ++i)
                t.recordFailure(QStringLiteral("10.0.1.%1").arg(a), QStringLiteral("alice"));
        }
        QCOMPARE(t.retryAfterSeconds(QStringLiteral("10.0.1.0")), 0);
        const int wait = t.retryAfterSeconds(QStringLiteral("10.0.9.9"), QStringLiteral("alice"));
        QVERIFY(wait > 0);
        // Short cap: the owner is never locked out for longer than that.
        QVERIFY(wait <= AuthThrottle::AccountPolicy.maxDelayMs / 1000);
        QCOMPARE(t.retryAfterSeconds(QStringLiteral("10.0.9.9"), QStringLiteral("bob")), 0);
        m_now += AuthThrottle::AccountPolicy.maxDelayMs;
        QCOMPARE(t.retryAfterSeconds(QStringLiteral("10.0.9.9"), QStringLiteral("alice")), 0);
        // Below the account threshold nothing happens.
        AuthThrottle fresh([this] { return m_now; });
        for (int i = 0; i < AuthThrottle::AccountPolicy.freeFailures - 1; ++i)
            fresh.recordFailure(QStringLiteral("10.0.2.%1").arg(i), QStringLiteral("carol"));
        QCOMPARE(fresh.retryAfterSeconds(QStringLiteral("10.0.3.1"), QStringLiteral("carol")), 0);
    }

    void oldRecordsArePrunedWhenTheTableGrows()
    {
        AuthThrottle t([this] { return m_now; });
        for (int i = 0; i < AuthThrottle::MaxRecords; ++i)
            t.recordFailure(QStringLiteral("a%1").arg(i), QString());
        QCOMPARE(t.recordCount(), AuthThrottle::MaxRecords);
        m_now += AuthThrottle::WindowMs + 1;
        t.recordFailure(QStringLiteral("new"), QString());
        t.recordFailure(QStringLiteral("newer"), QString());
        QVERIFY2(t.recordCount() <= 2, qPrintable(QString::number(t.recordCount())));
    }
};

QTEST_GUILESS_MAIN(TestAuthThrottle)
#include "tst_auththrottle.moc"
