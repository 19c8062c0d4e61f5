#include "TerminalText.h"

#include <QChar>
#include <QList>

#ifdef Q_OS_UNIX
#include <sys/ioctl.h>
#include <unistd.h>
#endif

namespace ferry::cli {

namespace {

constexpr int FallbackColumns = 80;
const QString Ellipsis = QStringLiteral("...");

// East Asian Wide and Fullwidth ranges (Unicode UAX #11), the ones file names actually contain.
bool isWide(char32_t c)
{
    return (c >= 0x1100 && c <= 0x115F) || (c >= 0x2E80 && c <= 0x303E) || (c >= 0x3041 && c <= 0x33FF)
           || (c >= 0x3400 && c <= 0x4DBF) || (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0xA000 && c <= 0xA4CF)
           || (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0xF900 && c <= 0xFAFF) || (c >= 0xFE30 && c <= 0xFE4F)
           || (c >= 0xFF00 && c <= 0xFF60) || (c >= 0xFFE0 && c <= 0xFFE6) || (c >= 0x1F300 && c <= 0x1F64F)
           || (c >= 0x1F900 && c <= 0x1F9FF) || (c >= 0x20000 && c <= 0x3FFFD);
}

int columnsOf(char32_t c)
{
    const QChar::Category category = QChar::category(c);
    if (category == QChar::Mark_NonSpacing || category == QChar::Mark_Enclosing || c == 0x200B)
        return 0;
    return isWide(c) ? 2 : 1;
}

} // namespace

int TerminalText::displayWidth(const QString &text)
{
    int width = 0;
    for (const char32_t c : text.toUcs4())
        width += columnsOf(c);
    return width;
}

QString TerminalText::elided(const QString &text, int columns)
{
    if (columns < 1)
        return {};
    if (displayWidth(text) <= columns)
        return text;
    const int ellipsisWidth = int(Ellipsis.size());
    if (columns <= ellipsisWidth)
        return Ellipsis.left(columns);
    // Keep the start (where names differ most often for people) and mark the cut.
    const QList<uint> codePoints = text.toUcs4();
    QString kept;
    int width = 0;
    for (const uint c : codePoints) {
        const int w = columnsOf(char32_t(c));
        if (width + w > columns - ellipsisWidth)
            break;
        const char32_t point = char32_t(c);
        kept += QString::fromUcs4(&point, 1);
        width += w;
    }
    return kept + Ellipsis;
}

QString TerminalText::printable(const QString &text)
{
    QString result = text;
    for (QChar &c : result) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7F)
            c = QLatin1Char('?');
    }
    return result;
}

bool TerminalText::stderrIsTerminal()
{
#ifdef Q_OS_UNIX
    return ::isatty(STDERR_FILENO) == 1;
#else
    return false;
#endif
}

int TerminalText::stderrColumns()
{
#ifdef Q_OS_UNIX
    struct winsize size = {};
    if (::ioctl(STDERR_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
        return size.ws_col;
#endif
    bool ok = false;
    const int columns = qEnvironmentVariableIntValue("COLUMNS", &ok);
    return ok && columns > 0 ? columns : FallbackColumns;
}

} // namespace ferry::cli
