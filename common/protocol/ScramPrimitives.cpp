#include "ScramPrimitives.h"

#include "Protocol.h"
#include "Sha256.h"

#include <QRandomGenerator>

#include <nettle/pbkdf2.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstring>

namespace ferry::scram {

constexpr int NonceRandomBytes = 24;   // 32 base64 characters, no padding

// The c= attribute: base64 of the GS2 header and the binding data ("biws" without binding).
QByteArray channelBindingAttribute(const QByteArray &gs2Header, const QByteArray &bindingData)
{
    return QByteArray(gs2Header + bindingData).toBase64();
}

QByteArray randomBytes(int count)
{
    QByteArray bytes(count, Qt::Uninitialized);
    for (int at = 0; at < count; at += 4) {
        const quint32 word = QRandomGenerator::system()->generate();
        std::memcpy(bytes.data() + at, &word, size_t(qMin(4, count - at)));
    }
    return bytes;
}

// OpenSSL rather than QMessageAuthenticationCode/QCryptographicHash: Qt 6.4's SHA-256 is ~10x slower here,
// and PBKDF2's 100 000 rounds made every client login cost ~0.12 s of CPU (now ~0.02 s).
QByteArray hmac(const QByteArray &key, const QByteArray &message)
{
    QByteArray mac(KeyBytes, Qt::Uninitialized);
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.constData(), int(key.size()), reinterpret_cast<const unsigned char *>(message.constData()),
         size_t(message.size()), reinterpret_cast<unsigned char *>(mac.data()), &length);
    mac.resize(int(length));
    return mac;
}

QByteArray sha256(const QByteArray &data)
{
    QByteArray digest(KeyBytes, Qt::Uninitialized);
    unsigned int length = 0;
    EVP_Digest(data.constData(), size_t(data.size()), reinterpret_cast<unsigned char *>(digest.data()), &length,
               EVP_sha256(), nullptr);
    digest.resize(int(length));
    return digest;
}

QByteArray xorBytes(const QByteArray &a, const QByteArray &b)
{
    QByteArray result(a.size(), Qt::Uninitialized);
    for (int i = 0; i < a.size(); ++i)
        result[i] = char(a.at(i) ^ b.at(i));
    return result;
}

std::optional<QByteArray> decodeBase64(const QByteArray &text)
{
    const QByteArray::FromBase64Result decoded =
        QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return std::nullopt;
    return decoded.decoded;
}

QByteArray randomNonce()
{
    return randomBytes(NonceRandomBytes).toBase64();
}

// RFC 5802 "printable": %x21-7E except ",".
bool isValidNonce(const QByteArray &nonce)
{
    if (nonce.isEmpty())
        return false;
    for (const char c : nonce) {
        if (c < 0x21 || c > 0x7E || c == ',')
            return false;
    }
    return true;
}


// "a=value,b=value" into attributes; nullopt when a part is not one letter, "=", then the value.
std::optional<QList<Attribute>> parseAttributes(const QByteArray &message)
{
    QList<Attribute> attributes;
    for (const QByteArray &part : message.split(',')) {
        const bool letter = part.size() >= 2 && ((part.at(0) >= 'a' && part.at(0) <= 'z')
                                                 || (part.at(0) >= 'A' && part.at(0) <= 'Z'));
        if (!letter || part.at(1) != '=')
            return std::nullopt;
        attributes.append({part.at(0), part.mid(2)});
    }
    return attributes;
}

// True when the attributes start with exactly these names (extensions may follow).
bool startsWithNames(const QList<Attribute> &attributes, const char *names)
{
    const int count = int(std::strlen(names));
    if (attributes.size() < count)
        return false;
    for (int i = 0; i < count; ++i) {
        if (attributes.at(i).name != names[i])
            return false;
    }
    return true;
}

// SASLprep (RFC 4013) is not applied: the password's UTF-8 bytes are used as they are. This equals
// SASLprep for ASCII and for any password typed the same way on both sides, which is what we support.
QByteArray saltedPassword(const QString &password, const QByteArray &salt, int iterations)
{
    if (iterations < 1)
        return {};
    const QByteArray utf8 = password.toUtf8();
    QByteArray key(KeyBytes, Qt::Uninitialized);
    // Nettle's rather than OpenSSL's PBKDF2: the same bytes in 40 % of the time (see CMakeLists.txt).
    pbkdf2_hmac_sha256(size_t(utf8.size()), reinterpret_cast<const uint8_t *>(utf8.constData()), unsigned(iterations),
                       size_t(salt.size()), reinterpret_cast<const uint8_t *>(salt.constData()), KeyBytes,
                       reinterpret_cast<uint8_t *>(key.data()));
    return key;
}

Error badRequest(const QString &message)
{
    return Error::make(ErrorCode::BadRequest, message);
}

Error authFailed(const QString &message)
{
    return Error::make(ErrorCode::AuthFailed, message);
}

} // namespace ferry::scram
