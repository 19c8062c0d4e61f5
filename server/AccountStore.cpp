#include "AccountStore.h"

#include "Protocol.h"

namespace ferry {

Error checkUserName(const QString &name)
{
    const auto bad = [&name](const QString &why) {
        // The name as shown in the message: control characters made visible, length bounded, so that
        // the message is safe to print on a terminal or in a log.
        QString shown = name.left(80);
        for (QChar &c : shown) {
            if (c.category() == QChar::Other_Control || c.isSurrogate())
                c = QChar::ReplacementCharacter;
        }
        return Error::make(ErrorCode::BadRequest, QStringLiteral("Invalid user name \"%1\": %2").arg(shown, why));
    };
    if (name.isEmpty())
        return bad(QStringLiteral("it is empty."));
    if (!name.isValidUtf16())
        return bad(QStringLiteral("it is not valid Unicode."));
    if (name.toUtf8().size() > Limits::MaxUserNameBytes)
        return bad(QStringLiteral("it is longer than %1 bytes in UTF-8.").arg(Limits::MaxUserNameBytes));
    if (name.startsWith(QLatin1Char('.')))
        return bad(QStringLiteral("it starts with \".\"."));   // also covers "." and ".."
    for (const QChar c : name) {
        if (c == QLatin1Char('/'))
            return bad(QStringLiteral("it contains \"/\"."));
        // C0, DEL and C1 controls; NUL among them.
        if (c.category() == QChar::Other_Control)
            return bad(QStringLiteral("it contains a control character."));
    }
    return {};
}

} // namespace ferry
