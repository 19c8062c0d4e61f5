#include "Messages.h"

#include "ErrorText.h"

#include <QCoreApplication>

namespace ferry::gui::Messages {

QString reason(const Error &error)
{
    return ErrorText::reason(error);
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
