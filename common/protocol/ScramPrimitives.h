#pragma once
// The pieces of SCRAM-SHA-256(-PLUS) that both sides compute the same way (Scram.cpp, the client; ferryd's
// ScramServer.cpp, the server): message parsing, HMAC/PBKDF2, nonces and the channel-binding attribute.
// Internal to the two implementations; not a public API.

#include "Result.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace ferry::scram {

constexpr int KeyBytes = 32;
constexpr int SaltBytes = 16;
inline const QByteArray UnboundHeader = QByteArrayLiteral("n,,");
inline const QByteArray BoundHeader = QByteArrayLiteral("p=tls-server-end-point,,");

struct Attribute {
    char name;
    QByteArray value;
};

// The c= attribute: base64 of the GS2 header and the binding data ("biws" without binding).
QByteArray channelBindingAttribute(const QByteArray &gs2Header, const QByteArray &bindingData);
QByteArray randomBytes(int count);
QByteArray hmac(const QByteArray &key, const QByteArray &message);
QByteArray sha256(const QByteArray &data);
QByteArray xorBytes(const QByteArray &a, const QByteArray &b);
std::optional<QByteArray> decodeBase64(const QByteArray &text);
QByteArray randomNonce();
// RFC 5802 "printable": %x21-7E except ",".
bool isValidNonce(const QByteArray &nonce);
// "a=value,b=value" into attributes; nullopt when a part is not one letter, "=", then the value.
std::optional<QList<Attribute>> parseAttributes(const QByteArray &message);
// True when the attributes start with exactly these names (extensions may follow).
bool startsWithNames(const QList<Attribute> &attributes, const char *names);
QByteArray saltedPassword(const QString &password, const QByteArray &salt, int iterations);
Error badRequest(const QString &message);
Error authFailed(const QString &message);

} // namespace ferry::scram
