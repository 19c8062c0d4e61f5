#pragma once
// ferry-cli's standard output (results, UTF-8) and standard error (messages prefixed "ferry-cli: ").

#include <QTextStream>

namespace ferry::cli {

class Console {
public:
    static QTextStream &out();
    static QTextStream &err();
    // "ferry-cli: <message>" on standard error, flushed at once.
    static void error(const QString &message);
    static void flush();
};

} // namespace ferry::cli
