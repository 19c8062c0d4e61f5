#include "Console.h"

#include <cstdio>

namespace ferry::cli {

QTextStream &Console::out()
{
    static QTextStream stream(stdout);   // Qt 6 streams write UTF-8
    return stream;
}

QTextStream &Console::err()
{
    static QTextStream stream(stderr);
    return stream;
}

void Console::error(const QString &message)
{
    out().flush();   // keep what was printed before the error in order on a shared terminal
    err() << "ferry-cli: " << message << '\n';
    err().flush();
}

void Console::flush()
{
    out().flush();
    err().flush();
}

} // namespace ferry::cli
