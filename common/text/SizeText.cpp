#include "SizeText.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <cmath>
#include <limits>

namespace ferry {

namespace {

const char *const Context = "ferry::SizeText";

// Index = power of 1024.
const char *const SizeUnits[] = {
    QT_TRANSLATE_NOOP("ferry::SizeText", "%1 B"),   QT_TRANSLATE_NOOP("ferry::SizeText", "%1 KiB"),
    QT_TRANSLATE_NOOP("ferry::SizeText", "%1 MiB"), QT_TRANSLATE_NOOP("ferry::SizeText", "%1 GiB"),
    QT_TRANSLATE_NOOP("ferry::SizeText", "%1 TiB"), QT_TRANSLATE_NOOP("ferry::SizeText", "%1 PiB"),
    QT_TRANSLATE_NOOP("ferry::SizeText", "%1 EiB"),
};
const char *const RateUnits[] = {
    QT_TRANSLATE_NOOP("ferry::SizeText", "%1 B/s"),   QT_TRANSLATE_NOOP("ferry::SizeText", "%1 KiB/s"),
    QT_TRANSLATE_NOOP("ferry::SizeText", "%1 MiB/s"), QT_TRANSLATE_NOOP("ferry::SizeText", "%1 GiB/s"),
    QT_TRANSLATE_NOOP("ferry::SizeText", "%1 TiB/s"), QT_TRANSLATE_NOOP("ferry::SizeText", "%1 PiB/s"),
    QT_TRANSLATE_NOOP("ferry::SizeText", "%1 EiB/s"),
};
constexpr int UnitCount = int(sizeof(SizeUnits) / sizeof(SizeUnits[0]));

QString translate(const char *text)
{
    return QCoreApplication::translate(Context, text);
}

// "1.5 KiB" style: whole bytes below 1024; above, one decimal under 100 and none from 100 on.
// The decimal point is always "." so that the text can be typed back into parseSize().
QString formatScaled(double value, const char *const units[])
{
    int unit = 0;
    while (value >= 1024.0 && unit < UnitCount - 1) {
        value /= 1024.0;
        ++unit;
    }
    const int decimals = (unit == 0 || value >= 100.0) ? 0 : 1;
    return translate(units[unit]).arg(QString::number(value, 'f', decimals));
}

} // namespace

std::optional<qint64> parseSize(const QString &text)
{
    // number, optional fraction (only with a unit), optional unit, optional "B" or "iB".
    static const QRegularExpression pattern(
        QStringLiteral("^\\s*([0-9]+)(?:\\.([0-9]{1,3}))?\\s*(?:([kmgt])(i?b)?|(b))?\\s*$"),
        QRegularExpression::CaseInsensitiveOption);
    const QRegularExpressionMatch match = pattern.match(text);
    if (!match.hasMatch())
        return std::nullopt;

    bool ok = false;
    const qint64 whole = match.captured(1).toLongLong(&ok);
    if (!ok)
        return std::nullopt;   // more digits than qint64 holds
    const QString unit = match.captured(3).toLower();
    const int power = unit.isEmpty() ? 0 : int(QStringLiteral("kmgt").indexOf(unit)) + 1;
    const qint64 multiplier = qint64(1) << (10 * power);
    if (whole > std::numeric_limits<qint64>::max() / multiplier)
        return std::nullopt;
    qint64 bytes = whole * multiplier;

    const QString fraction = match.captured(2);
    if (!fraction.isEmpty()) {
        if (power == 0)
            return std::nullopt;   // "1.5" or "1.5B": a fraction of a byte
        // Exact in integers, rounded down: fraction < 1000 and multiplier <= 2^40, so no overflow, and
        // extra < multiplier, which always fits above whole * multiplier (the check above leaves room).
        qint64 scale = 1;
        for (int i = 0; i < fraction.size(); ++i)
            scale *= 10;
        bytes += fraction.toLongLong() * multiplier / scale;
    }
    return bytes;
}

QString formatSize(qint64 bytes)
{
    if (bytes < 0)
        return QStringLiteral("--");
    return formatScaled(double(bytes), SizeUnits);
}

QString formatRate(double bytesPerSecond)
{
    if (!(bytesPerSecond >= 0.0) || std::isinf(bytesPerSecond))
        return QStringLiteral("--");
    return formatScaled(bytesPerSecond, RateUnits);
}

QString formatDuration(qint64 seconds)
{
    if (seconds < 0)
        return QStringLiteral("--");
    if (seconds < 60)
        return QCoreApplication::translate("ferry::SizeText", "%1 s").arg(seconds);
    if (seconds < 3600) {
        return QCoreApplication::translate("ferry::SizeText", "%1 min %2 s")
            .arg(seconds / 60)
            .arg(seconds % 60, 2, 10, QLatin1Char('0'));
    }
    return QCoreApplication::translate("ferry::SizeText", "%1 h %2 min")
        .arg(seconds / 3600)
        .arg(seconds / 60 % 60, 2, 10, QLatin1Char('0'));
}

} // namespace ferry
