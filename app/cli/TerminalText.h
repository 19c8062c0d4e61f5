#pragma once
// Text for a terminal line: how many columns a string takes (CJK characters take two, combining marks
// none), cutting a string to fit, and what the terminal on standard error is.

#include <QString>

namespace ferry::cli {

class TerminalText {
public:
    // Columns `text` takes on a terminal (locale-independent: East Asian wide characters count 2).
    static int displayWidth(const QString &text);
    // `text` cut to at most `columns`, ending in "..." when something was cut (nothing when columns < 1).
    static QString elided(const QString &text, int columns);
    // Control characters (a newline in a file name) shown as "?", so one line stays one line.
    static QString printable(const QString &text);

    // Whether standard error is a terminal.
    static bool stderrIsTerminal();
    // The width of the terminal on standard error; else $COLUMNS when set; else 80.
    static int stderrColumns();
};

} // namespace ferry::cli
