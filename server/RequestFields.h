#pragma once
// Typed access to a request's fields: a missing or wrongly typed field is bad_request naming the field.

#include "Frame.h"
#include "Protocol.h"
#include "Result.h"
#include "VirtualPath.h"

namespace ferry {

inline Error badField(QLatin1String key, const QString &what)
{
    return Error::make(ErrorCode::BadRequest, QStringLiteral("Field \"%1\" %2.").arg(key, what));
}

// A SHA-256 as the wire writes it: 64 lowercase hex digits.
inline bool isSha256Hex(const QString &text)
{
    if (text.size() != 64)
        return false;
    for (const QChar c : text) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f')))
            return false;
    }
    return true;
}

inline Result<VirtualPath> pathField(const QJsonObject &request, QLatin1String key)
{
    const QJsonValue value = request.value(key);
    if (!value.isString())
        return badField(key, QStringLiteral("must be a path string"));
    return VirtualPath::fromWire(value.toString());
}

inline Result<bool> boolField(const QJsonObject &request, QLatin1String key, bool fallback)
{
    const QJsonValue value = request.value(key);
    if (value.isUndefined() || value.isNull())
        return fallback;
    if (!value.isBool())
        return badField(key, QStringLiteral("must be true or false"));
    return value.toBool();
}

inline Result<qint64> integerField(const QJsonObject &request, QLatin1String key, std::optional<qint64> fallback)
{
    const QJsonValue value = request.value(key);
    if ((value.isUndefined() || value.isNull()) && fallback)
        return *fallback;
    const std::optional<qint64> number = jsonInteger(request, key);
    if (!number)
        return badField(key, QStringLiteral("must be an integer from 0 to 2^53"));
    return *number;
}

} // namespace ferry
