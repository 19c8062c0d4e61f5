#include "ProgressBar.h"

#include "Console.h"
#include "SizeText.h"
#include "TerminalText.h"

#include <QList>

#include <cmath>

namespace ferry::cli {

namespace {

constexpr int ReadableNameColumns = 20;
constexpr int MinNameColumns = 8;
constexpr int MinGaugeColumns = 8;   // "[" + 6 cells + "]"
constexpr int MaxGaugeColumns = 32;

// One way to arrange a frame: name + afterName + [gauge + " "] + afterGauge. Richest layouts come first.
struct Layout {
    QString name;
    QString afterName;
    QString afterGauge;
};

QString percentText(qint64 done, qint64 total, double fallbackFraction)
{
    if (total < 0)
        return QStringLiteral(" --%");
    const double fraction = total > 0 ? double(done) / double(total) : fallbackFraction;
    // Rounded down: "100%" only when it is all there.
    const int percent = qBound(0, int(fraction * 100), 100);
    return QStringLiteral("%1%").arg(percent, 3);
}

QString rateText(double bytesPerSecond)
{
    return bytesPerSecond >= 1 ? formatRate(bytesPerSecond) : QStringLiteral("-- B/s");
}

QString bytesText(qint64 done, qint64 total)
{
    return formatSize(qMax<qint64>(0, done)) + QLatin1Char('/') + (total >= 0 ? formatSize(total) : QStringLiteral("--"));
}

QString etaText(qint64 seconds)
{
    return ProgressBar::tr("ETA %1").arg(formatDuration(seconds));
}

QString gauge(double fraction, int columns)
{
    const int cells = columns - 2;
    const int filled = qBound(0, int(fraction * cells), cells);
    return QLatin1Char('[') + QString(filled, QLatin1Char('#')) + QString(cells - filled, QLatin1Char(' '))
           + QLatin1Char(']');
}

double totalFraction(const TransferTotals &totals)
{
    if (totals.bytesTotal > 0)
        return double(totals.bytesDone) / double(totals.bytesTotal);
    return totals.filesTotal > 0 ? double(totals.filesDone) / double(totals.filesTotal) : 0;
}

} // namespace

QString ProgressBar::render(const Snapshot &s, int columns)
{
    const int room = qMax(1, columns - 1);
    const TransferTotals &t = s.totals;
    const double allFraction = totalFraction(t);
    const QString totalPercent = percentText(t.bytesDone, t.bytesTotal, allFraction);
    const QString files = tr("%1/%2 files").arg(t.filesDone).arg(t.filesTotal);
    const qint64 etaSeconds = t.filesTotal > 0 ? t.etaSeconds : -1;   // nothing listed yet: unknown, not 0
    const QString totalFull = totalPercent + QLatin1Char(' ') + bytesText(t.bytesDone, t.bytesTotal) + QLatin1Char(' ')
                              + rateText(t.rate) + QLatin1Char(' ') + etaText(etaSeconds) + QLatin1Char(' ') + files;
    const QString totalShort = totalPercent + QLatin1Char(' ') + rateText(t.rate) + QLatin1Char(' ') + etaText(etaSeconds);

    const QString name = TerminalText::printable(s.fileName);
    const double fileFraction = s.fileSize > 0 ? double(s.fileDone) / double(s.fileSize) : 0;
    const QString filePercent = percentText(s.fileDone, s.fileSize, 0);
    const QString fileFull = filePercent + QLatin1Char(' ') + bytesText(s.fileDone, s.fileSize) + QLatin1Char(' ')
                             + rateText(s.fileRate) + QLatin1Char(' ') + etaText(s.fileEtaSeconds);
    const QString fileShort = filePercent + QLatin1Char(' ') + rateText(s.fileRate) + QLatin1Char(' ')
                              + etaText(s.fileEtaSeconds);

    QList<Layout> layouts;
    double gaugeFraction = allFraction;
    if (!s.hasFile) {
        layouts = {{{}, {}, totalFull}, {{}, {}, totalShort}};
    } else if (t.filesTotal <= 1) {
        gaugeFraction = fileFraction;
        layouts = {{name, QStringLiteral("  "), fileFull}, {name, QStringLiteral("  "), fileShort},
                   {{}, {}, fileShort}};
    } else {
        const QString fileMiddle = filePercent + QLatin1Char(' ') + bytesText(s.fileDone, s.fileSize);
        layouts = {{name, QStringLiteral("  ") + fileFull + QStringLiteral(" | "), totalFull},
                   {name, QStringLiteral("  ") + fileMiddle + QStringLiteral(" | "), totalFull},
                   {name, QStringLiteral(" ") + filePercent + QStringLiteral(" | "), totalFull},
                   {name, QStringLiteral(" ") + filePercent + QStringLiteral(" | "), totalShort + QLatin1Char(' ') + files},
                   {{}, {}, totalFull},
                   {{}, {}, totalShort}};
    }

    // A readable name in a shorter layout beats a richer layout with a stump of a name.
    for (const int nameMinimum : {ReadableNameColumns, MinNameColumns}) {
        for (const Layout &layout : std::as_const(layouts)) {
            if (nameMinimum == ReadableNameColumns && s.hasFile && layout.name.isEmpty())
                continue;   // the nameless layouts are the last resort
            const int fixed = TerminalText::displayWidth(layout.afterName) + TerminalText::displayWidth(layout.afterGauge);
            const int nameColumns = TerminalText::displayWidth(layout.name);
            if (fixed + qMin(nameColumns, nameMinimum) > room)
                continue;
            const QString shownName = TerminalText::elided(layout.name, room - fixed);
            const int spare = room - fixed - TerminalText::displayWidth(shownName);
            const QString bar = spare >= MinGaugeColumns + 1
                    ? gauge(gaugeFraction, qMin(spare - 1, MaxGaugeColumns)) + QLatin1Char(' ')
                    : QString();
            return shownName + layout.afterName + bar + layout.afterGauge;
        }
    }
    return TerminalText::elided(layouts.last().afterGauge, room);
}

ProgressBar::ProgressBar(const TransferQueue *queue, QObject *parent) : QObject(parent), m_queue(queue)
{
    m_timer.setInterval(RedrawIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &ProgressBar::draw);
    connect(queue, &TransferQueue::itemChanged, this, &ProgressBar::onItemChanged);
}

ProgressBar::~ProgressBar()
{
    stop();
}

void ProgressBar::start()
{
    m_clock.start();
    draw();
    m_timer.start();
}

void ProgressBar::clear()
{
    if (m_shownWidth == 0)
        return;
    write(QLatin1Char('\r') + QString(m_shownWidth, QLatin1Char(' ')) + QLatin1Char('\r'));
    m_shown.clear();
    m_shownWidth = 0;
}

void ProgressBar::stop()
{
    m_timer.stop();
    clear();
}

void ProgressBar::onItemChanged(int row)
{
    const TransferItem &item = m_queue->at(row);
    if (!item.isDir && item.state == TransferState::Running)
        m_currentId = item.id;
}

ProgressBar::Snapshot ProgressBar::snapshot() const
{
    Snapshot s;
    s.totals = m_queue->totals();
    const int row = m_currentId > 0 ? m_queue->rowOf(m_currentId) : -1;
    if (row >= 0) {
        const TransferItem &item = m_queue->at(row);
        s.hasFile = true;
        s.fileName = item.name();
        s.fileSize = item.size;
        s.fileDone = item.state == TransferState::Done ? item.size : item.done;
        s.fileRate = item.rate;
        // All bytes sent but not confirmed yet is no time left either.
        s.fileEtaSeconds = item.size >= 0 && s.fileDone >= item.size ? 0 : item.etaSeconds;
    }
    // The smoothed rates need a few hundred milliseconds of samples; a short transfer would show none at
    // all, so until then the average since start stands in.
    const qint64 elapsedMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    TransferTotals &t = s.totals;
    if (t.rate <= 0 && elapsedMs >= RedrawIntervalMs / 2 && t.bytesDone > 0) {
        t.rate = double(t.bytesDone) * 1000.0 / double(elapsedMs);
        t.etaSeconds = t.bytesTotal > t.bytesDone ? qint64(std::ceil(double(t.bytesTotal - t.bytesDone) / t.rate)) : 0;
    }
    if (s.hasFile && s.fileRate <= 0 && t.rate > 0) {
        s.fileRate = t.rate;
        if (s.fileEtaSeconds < 0 && s.fileSize > s.fileDone)
            s.fileEtaSeconds = qint64(std::ceil(double(s.fileSize - s.fileDone) / t.rate));
    }
    return s;
}

void ProgressBar::draw()
{
    const QString line = render(snapshot(), TerminalText::stderrColumns());
    if (line == m_shown)
        return;
    const int width = TerminalText::displayWidth(line);
    // Spaces over what is left of a longer previous line; no escape sequences, so a log file stays readable.
    const int leftover = qMax(0, m_shownWidth - width);
    write(QLatin1Char('\r') + line + QString(leftover, QLatin1Char(' '))
          + (leftover > 0 ? QLatin1Char('\r') + line : QString()));
    m_shown = line;
    m_shownWidth = width;
}

void ProgressBar::write(const QString &text)
{
    QTextStream &err = Console::err();
    err << text;
    err.flush();
}

} // namespace ferry::cli
