#include "Messages.h"

#include "ErrorText.h"

#include <QCoreApplication>

namespace ferry::gui::Messages {

QString reason(const Error &error)
{
    return ErrorText::reason(error);
}

QString sentence(const QString &text)
{
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return trimmed;
    static const QString enders = QStringLiteral(".!?\u3002\uFF01\uFF1F\u2026");
    if (enders.contains(trimmed.back()))
        return trimmed;
    // Chinese (and other CJK) text ends with an ideographic full stop.
    return trimmed + (trimmed.back().unicode() >= 0x2E80 ? QChar(0x3002) : QChar(u'.'));
}

QString failure(const QString &what, const Error &error)
{
    //: %1 says what failed ("Cannot delete “/docs”"), %2 why ("folder is not empty").
    return QCoreApplication::translate("ferry::gui::Messages", "%1: %2.").arg(what, reason(error));
}

QString loginFailure(const QString &user, const Error &error)
{
    return QCoreApplication::translate("ferry::gui::Messages", "Cannot log in as %1: %2.")
            .arg(user, ErrorText::loginReason(error));
}

} // namespace ferry::gui::Messages
