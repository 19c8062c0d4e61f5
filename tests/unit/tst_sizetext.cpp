// Sizes, rates and durations as people type and read them.

#include "SizeText.h"

#include <QTest>

#include <cmath>
#include <limits>

using namespace ferry;

namespace {
constexpr qint64 KiB = 1024;
constexpr qint64 MiB = 1024 * KiB;
constexpr qint64 GiB = 1024 * MiB;
constexpr qint64 TiB = 1024 * GiB;
} // namespace

class TestSizeText : public QObject {
    Q_OBJECT

private slots:
    void parseSizeAcceptsBytesAndBinaryUnits_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("bytes");
        QTest::newRow("zero") << QStringLiteral("0") << qint64(0);
        QTest::newRow("plain bytes") << QStringLiteral("1048576") << MiB;
        QTest::newRow("B suffix") << QStringLiteral("100B") << qint64(100);
        QTest::newRow("b suffix with space") << QStringLiteral("100 b") << qint64(100);
        QTest::newRow("K") << QStringLiteral("1K") << KiB;
        QTest::newRow("KB") << QStringLiteral("1KB") << KiB;
        QTest::newRow("kib") << QStringLiteral("1kib") << KiB;
        QTest::newRow("G") << QStringLiteral("10G") << 10 * GiB;
        QTest::newRow("g") << QStringLiteral("10g") << 10 * GiB;
        QTest::newRow("GB") << QStringLiteral("10GB") << 10 * GiB;
        QTest::newRow("GiB") << QStringLiteral("10GiB") << 10 * GiB;
        QTest::newRow("gIb") << QStringLiteral("10gIb") << 10 * GiB;
        QTest::newRow("MiB") << QStringLiteral("512MiB") << 512 * MiB;
        QTest::newRow("T") << QStringLiteral("1T") << TiB;
        QTest::newRow("spaces around") << QStringLiteral("  7 M  ") << 7 * MiB;
        QTest::newRow("fraction") << QStringLiteral("1.5G") << 3 * GiB / 2;
        QTest::newRow("as formatSize writes it") << QStringLiteral("1.5 KiB") << qint64(1536);
        QTest::newRow("fraction rounds down") << QStringLiteral("1.001K") << qint64(1025);
        QTest::newRow("leading zeros") << QStringLiteral("007") << qint64(7);
        QTest::newRow("largest T") << QStringLiteral("8388607T") << (qint64(8388607) << 40);
        QTest::newRow("largest T with fraction") << QStringLiteral("8388607.999T")
                                                 << (qint64(8388607) << 40) + 999 * TiB / 1000;
        QTest::newRow("largest bytes") << QStringLiteral("9223372036854775807") << std::numeric_limits<qint64>::max();
    }
    void parseSizeAcceptsBytesAndBinaryUnits()
    {
        QFETCH(QString, text);
        QFETCH(qint64, bytes);
        const std::optional<qint64> parsed = parseSize(text);
        QVERIFY2(parsed.has_value(), qPrintable(text));
        QCOMPARE(*parsed, bytes);
    }

    void parseSizeRejectsGarbageNegativesAndOverflow_data()
    {
        QTest::addColumn<QString>("text");
        QTest::newRow("empty") << QString();
        QTest::newRow("blank") << QStringLiteral("   ");
        QTest::newRow("negative") << QStringLiteral("-1");
        QTest::newRow("negative with unit") << QStringLiteral("-1G");
        QTest::newRow("plus sign") << QStringLiteral("+1");
        QTest::newRow("fraction of a byte") << QStringLiteral("1.5");
        QTest::newRow("fraction of a byte with B") << QStringLiteral("1.5B");
        QTest::newRow("too many decimals") << QStringLiteral("1.2345G");
        QTest::newRow("bare dot") << QStringLiteral("1.G");
        QTest::newRow("decimal comma") << QStringLiteral("1,5G");
        QTest::newRow("unknown unit") << QStringLiteral("10X");
        QTest::newRow("peta not supported") << QStringLiteral("1P");
        QTest::newRow("unit only") << QStringLiteral("G");
        QTest::newRow("double unit") << QStringLiteral("10KK");
        QTest::newRow("trailing junk") << QStringLiteral("10 GiBs");
        QTest::newRow("iB without prefix") << QStringLiteral("10iB");
        QTest::newRow("exponent") << QStringLiteral("1e3");
        QTest::newRow("hex") << QStringLiteral("0x10");
        QTest::newRow("fullwidth digits") << QString::fromUtf8("１０");
        QTest::newRow("word") << QStringLiteral("lots");
        QTest::newRow("bytes overflow") << QStringLiteral("9223372036854775808");
        QTest::newRow("huge digits") << QStringLiteral("99999999999999999999999");
        QTest::newRow("unit overflow") << QStringLiteral("8388608T");
    }
    void parseSizeRejectsGarbageNegativesAndOverflow()
    {
        QFETCH(QString, text);
        QVERIFY2(!parseSize(text).has_value(), qPrintable(text));
    }

    void formatSizeUsesBinaryUnits_data()
    {
        QTest::addColumn<qint64>("bytes");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << qint64(0) << QStringLiteral("0 B");
        QTest::newRow("one") << qint64(1) << QStringLiteral("1 B");
        QTest::newRow("below KiB") << qint64(1023) << QStringLiteral("1023 B");
        QTest::newRow("one KiB") << KiB << QStringLiteral("1.0 KiB");
        QTest::newRow("KiB and a half") << qint64(1536) << QStringLiteral("1.5 KiB");
        QTest::newRow("MiB with decimal") << qint64(12.3 * MiB) << QStringLiteral("12.3 MiB");
        QTest::newRow("no decimal from 100") << 100 * KiB << QStringLiteral("100 KiB");
        QTest::newRow("just below GiB") << 1023 * MiB << QStringLiteral("1023 MiB");
        QTest::newRow("GiB") << 10 * GiB << QStringLiteral("10.0 GiB");
        QTest::newRow("TiB") << TiB << QStringLiteral("1.0 TiB");
        QTest::newRow("PiB") << 1024 * TiB << QStringLiteral("1.0 PiB");
        QTest::newRow("largest") << std::numeric_limits<qint64>::max() << QStringLiteral("8.0 EiB");
        QTest::newRow("negative is unknown") << qint64(-1) << QStringLiteral("--");
    }
    void formatSizeUsesBinaryUnits()
    {
        QFETCH(qint64, bytes);
        QFETCH(QString, text);
        QCOMPARE(formatSize(bytes), text);
    }

    void formattedSizeParsesBackClosely_data()
    {
        QTest::addColumn<qint64>("bytes");
        QTest::newRow("bytes") << qint64(999);
        QTest::newRow("KiB") << qint64(1536);
        QTest::newRow("MiB") << qint64(12.3 * MiB);
        QTest::newRow("GiB") << 10 * GiB + 12345;
        QTest::newRow("TiB") << 3 * TiB;
    }
    void formattedSizeParsesBackClosely()
    {
        QFETCH(qint64, bytes);
        const std::optional<qint64> parsed = parseSize(formatSize(bytes));
        QVERIFY2(parsed.has_value(), qPrintable(formatSize(bytes)));
        QVERIFY(std::abs(double(*parsed - bytes)) <= 0.01 * double(bytes));
    }

    void formatRateAppendsPerSecond_data()
    {
        QTest::addColumn<double>("rate");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << 0.0 << QStringLiteral("0 B/s");
        QTest::newRow("bytes") << 512.4 << QStringLiteral("512 B/s");
        QTest::newRow("KiB") << 850.0 * KiB << QStringLiteral("850 KiB/s");
        QTest::newRow("MiB") << 1.5 * MiB << QStringLiteral("1.5 MiB/s");
        QTest::newRow("GiB") << 2.0 * GiB << QStringLiteral("2.0 GiB/s");
        QTest::newRow("negative") << -1.0 << QStringLiteral("--");
        QTest::newRow("nan") << std::nan("") << QStringLiteral("--");
        QTest::newRow("infinite") << std::numeric_limits<double>::infinity() << QStringLiteral("--");
    }
    void formatRateAppendsPerSecond()
    {
        QFETCH(double, rate);
        QFETCH(QString, text);
        QCOMPARE(formatRate(rate), text);
    }

    void formatDurationPadsMinorUnits_data()
    {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<QString>("text");
        QTest::newRow("zero") << qint64(0) << QStringLiteral("0 s");
        QTest::newRow("seconds") << qint64(42) << QStringLiteral("42 s");
        QTest::newRow("last second") << qint64(59) << QStringLiteral("59 s");
        QTest::newRow("one minute") << qint64(60) << QStringLiteral("1 min 00 s");
        QTest::newRow("minutes") << qint64(185) << QStringLiteral("3 min 05 s");
        QTest::newRow("last minute") << qint64(3599) << QStringLiteral("59 min 59 s");
        QTest::newRow("one hour") << qint64(3600) << QStringLiteral("1 h 00 min");
        QTest::newRow("hours") << qint64(3720) << QStringLiteral("1 h 02 min");
        QTest::newRow("more than a day") << qint64(90000) << QStringLiteral("25 h 00 min");
        QTest::newRow("unknown") << qint64(-1) << QStringLiteral("--");
    }
    void formatDurationPadsMinorUnits()
    {
        QFETCH(qint64, seconds);
        QFETCH(QString, text);
        QCOMPARE(formatDuration(seconds), text);
    }
};

QTEST_GUILESS_MAIN(TestSizeText)
#include "tst_sizetext.moc"
