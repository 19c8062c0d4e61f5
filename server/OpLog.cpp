#include "OpLog.h"

#include <QDateTime>

#include <atomic>
#include <cstdio>

namespace ferry {

namespace {
std::atomic<bool> g_enabled{true};
}

void setOpLogEnabled(bool enabled)
{
    g_enabled = enabled;
}

void writeOpLog(const OpLogLine &line)
{
    if (!g_enabled)
        return;
    QString text = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs) + u' ' + line.peer + u' '
                   + (line.user.isEmpty() ? QStringLiteral("-") : line.user) + u' ' + line.op + u' '
                   + (line.path.isEmpty() ? QStringLiteral("-") : line.path);
    if (line.bytes >= 0)
        text += u' ' + QString::number(line.bytes);
    text += u' ' + line.result + u'\n';
    // One fwrite per line keeps lines from different worker threads whole.
    const QByteArray bytes = text.toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
}

} // namespace ferry
