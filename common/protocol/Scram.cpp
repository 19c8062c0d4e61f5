// SCRAM-SHA-256 (RFC 5802, RFC 7677), with tls-server-end-point channel binding for -PLUS (RFC 5929).
//
//   gs2-header    = "p=tls-server-end-point,," (bound) | "n,," (unbound)
//   client-first  = gs2-header client-first-bare          client-first-bare = "n=" saslname ",r=" c-nonce [",…"]
//   server-first  = "r=" c-nonce s-nonce ",s=" base64(salt) ",i=" iterations [",…"]
//   client-final  = "c=" base64(gs2-header cb-data) ",r=" c-nonce s-nonce [",…"] ",p=" base64(ClientKey XOR ClientSignature)
//   server-final  = "v=" base64(HMAC(ServerKey, AuthMessage))   or "e=" error
//
//   SaltedPassword = PBKDF2-HMAC-SHA256(password, salt, i)   ClientKey = HMAC(SaltedPassword, "Client Key")
//   StoredKey = H(ClientKey)                                  ServerKey = HMAC(SaltedPassword, "Server Key")
//   AuthMessage = client-first-bare "," server-first "," client-final-without-proof
//   ClientSignature = HMAC(StoredKey, AuthMessage)

#include "Scram.h"

#include "Protocol.h"
#include "Sha256.h"

#include <QCryptographicHash>
#include <QList>
#include <QMessageAuthenticationCode>
#include <QPasswordDigestor>
#include <QRandomGenerator>
#include <QStringDecoder>

#include <cstring>
#include <utility>

namespace ferry {

namespace {

constexpr int KeyBytes = 32;
constexpr int SaltBytes = 16;
constexpr int NonceRandomBytes = 24;   // 32 base64 characters, no padding
// Bounds the work a hostile server can make a client do (PBKDF2 runs on the client).
constexpr int MaxClientIterations = 1000000;
const QByteArray UnboundHeader = QByteArrayLiteral("n,,");
const QByteArray BoundHeader = QByteArrayLiteral("p=tls-server-end-point,,");

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

QByteArray hmac(const QByteArray &key, const QByteArray &message)
{
    return QMessageAuthenticationCode::hash(message, key, QCryptographicHash::Sha256);
}

QByteArray sha256(const QByteArray &data)
{
    return QCryptographicHash::hash(data, QCryptographicHash::Sha256);
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

struct Attribute {
    char name;
    QByteArray value;
};

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
    return QPasswordDigestor::deriveKeyPbkdf2(QCryptographicHash::Sha256, password.toUtf8(), salt,
                                              iterations, KeyBytes);
}

Error badRequest(const QString &message)
{
    return Error::make(ErrorCode::BadRequest, message);
}

Error authFailed(const QString &message)
{
    return Error::make(ErrorCode::AuthFailed, message);
}

} // namespace

ScramCredentials ScramCredentials::derive(const QString &password, const QByteArray &salt, int iterations)
{
    const QByteArray salted = saltedPassword(password, salt, iterations);
    ScramCredentials credentials;
    credentials.salt = salt;
    credentials.iterations = iterations;
    credentials.storedKey = sha256(hmac(salted, QByteArrayLiteral("Client Key")));
    credentials.serverKey = hmac(salted, QByteArrayLiteral("Server Key"));
    return credentials;
}

ScramCredentials ScramCredentials::create(const QString &password)
{
    return derive(password, randomBytes(SaltBytes), DefaultIterations);
}

ScramCredentials fakeScramCredentials(const QByteArray &serverSecret, const QString &user)
{
    ScramCredentials credentials;
    credentials.salt = hmac(serverSecret, QByteArrayLiteral("salt:") + user.toUtf8()).left(SaltBytes);
    credentials.iterations = ScramCredentials::DefaultIterations;
    // Random keys: no password's proof can hash to this StoredKey.
    credentials.storedKey = randomBytes(KeyBytes);
    credentials.serverKey = randomBytes(KeyBytes);
    return credentials;
}

QByteArray scramEscapeName(const QString &name)
{
    QByteArray escaped = name.toUtf8();
    escaped.replace('=', QByteArrayLiteral("=3D"));   // first, so the "=" of "=2C" stays
    escaped.replace(',', QByteArrayLiteral("=2C"));
    return escaped;
}

std::optional<QString> scramUnescapeName(const QByteArray &escaped)
{
    QByteArray raw;
    raw.reserve(escaped.size());
    for (int i = 0; i < escaped.size(); ++i) {
        const char c = escaped.at(i);
        if (c == ',' || c == '\0')
            return std::nullopt;
        if (c != '=') {
            raw.append(c);
            continue;
        }
        const QByteArray code = escaped.mid(i + 1, 2);
        if (code == "2C")
            raw.append(',');
        else if (code == "3D")
            raw.append('=');
        else
            return std::nullopt;
        i += 2;
    }
    if (raw.isEmpty())
        return std::nullopt;
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString name = decoder(raw);
    if (decoder.hasError())
        return std::nullopt;
    return name;
}

// ---- client ----

ScramClient::ScramClient(const QString &user, const QString &password, const QByteArray &clientNonce,
                         const QByteArray &channelBinding)
    : m_user(user)
    , m_password(password)
    , m_gs2Header(channelBinding.isEmpty() ? UnboundHeader : BoundHeader)
    , m_channelBinding(channelBinding)
    , m_clientNonce(clientNonce.isEmpty() ? randomNonce() : clientNonce)
    , m_clientFirstBare(QByteArrayLiteral("n=") + scramEscapeName(user) + QByteArrayLiteral(",r=") + m_clientNonce)
{
}

QByteArray ScramClient::clientFirstMessage() const
{
    return m_gs2Header + m_clientFirstBare;
}

Result<QByteArray> ScramClient::clientFinalMessage(const QByteArray &serverFirst)
{
    m_expectedServerSignature.clear();
    const std::optional<QList<Attribute>> attributes = parseAttributes(serverFirst);
    if (!attributes)
        return authFailed(QStringLiteral("The server's SCRAM challenge is malformed."));
    if (attributes->constFirst().name == 'm')
        return authFailed(QStringLiteral("The server's SCRAM challenge requires an unsupported extension."));
    if (!startsWithNames(*attributes, "rsi"))
        return authFailed(QStringLiteral("The server's SCRAM challenge lacks r=, s= or i=."));

    const QByteArray nonce = attributes->at(0).value;
    if (!isValidNonce(nonce) || !nonce.startsWith(m_clientNonce) || nonce.size() == m_clientNonce.size())
        return authFailed(QStringLiteral("The server's SCRAM nonce does not extend the client's nonce."));
    const std::optional<QByteArray> salt = decodeBase64(attributes->at(1).value);
    if (!salt || salt->isEmpty())
        return authFailed(QStringLiteral("The server's SCRAM salt is not base64."));
    const QByteArray iterationText = attributes->at(2).value;
    bool isNumber = !iterationText.isEmpty();
    for (const char c : iterationText)
        isNumber = isNumber && c >= '0' && c <= '9';
    const int iterations = isNumber ? iterationText.toInt(&isNumber) : 0;
    if (!isNumber || iterations < Limits::MinScramIterations || iterations > MaxClientIterations)
        return authFailed(QStringLiteral("The server's SCRAM iteration count %1 is outside %2..%3.")
                              .arg(QString::fromLatin1(iterationText))
                              .arg(Limits::MinScramIterations)
                              .arg(MaxClientIterations));

    const QByteArray salted = saltedPassword(m_password, *salt, iterations);
    const QByteArray clientKey = hmac(salted, QByteArrayLiteral("Client Key"));
    const QByteArray storedKey = sha256(clientKey);
    const QByteArray withoutProof = QByteArrayLiteral("c=") + channelBindingAttribute(m_gs2Header, m_channelBinding)
        + QByteArrayLiteral(",r=") + nonce;
    const QByteArray authMessage = m_clientFirstBare + ',' + serverFirst + ',' + withoutProof;
    const QByteArray clientProof = xorBytes(clientKey, hmac(storedKey, authMessage));
    m_expectedServerSignature = hmac(hmac(salted, QByteArrayLiteral("Server Key")), authMessage);
    return QByteArray(withoutProof + QByteArrayLiteral(",p=") + clientProof.toBase64());
}

bool ScramClient::verifyServerFinal(const QByteArray &serverFinal) const
{
    if (m_expectedServerSignature.isEmpty())
        return false;
    const std::optional<QList<Attribute>> attributes = parseAttributes(serverFinal);
    if (!attributes || attributes->constFirst().name != 'v')
        return false;
    const std::optional<QByteArray> signature = decodeBase64(attributes->constFirst().value);
    return signature && constantTimeEquals(*signature, m_expectedServerSignature);
}

// ---- server ----

ScramServer::ScramServer(const QByteArray &serverNonce, const QByteArray &channelBinding)
    : m_channelBinding(channelBinding), m_serverNonce(serverNonce.isEmpty() ? randomNonce() : serverNonce)
{
}

Result<QString> ScramServer::receiveClientFirst(const QByteArray &clientFirst)
{
    m_bindingFailed = false;
    const QByteArray expected = m_channelBinding.isEmpty() ? UnboundHeader : BoundHeader;
    if (!clientFirst.startsWith(expected)) {
        if (!m_channelBinding.isEmpty()) {
            // n,, / y,, (no binding) or another binding type: the login is not bound to this channel.
            m_bindingFailed = clientFirst.startsWith("n,") || clientFirst.startsWith("y,") || clientFirst.startsWith("p=");
            if (m_bindingFailed)
                return authFailed(QStringLiteral("SCRAM-SHA-256-PLUS with tls-server-end-point channel binding is required: "
                                                 "the message must start with \"p=tls-server-end-point,,\"."));
            return badRequest(QStringLiteral("Not a SCRAM client-first message: it must start with \"p=tls-server-end-point,,\"."));
        }
        if (clientFirst.startsWith("p=") || clientFirst.startsWith("y,"))
            return badRequest(QStringLiteral("SCRAM channel binding is not supported: the message must start with \"n,,\"."));
        if (clientFirst.startsWith("n,"))
            return badRequest(QStringLiteral("SCRAM authorization identities are not supported: the message must start with \"n,,\"."));
        return badRequest(QStringLiteral("Not a SCRAM client-first message: it must start with \"n,,\"."));
    }
    m_gs2Header = expected;
    const QByteArray bare = clientFirst.mid(expected.size());
    const std::optional<QList<Attribute>> attributes = parseAttributes(bare);
    if (!attributes)
        return badRequest(QStringLiteral("The SCRAM client-first message is malformed."));
    if (attributes->constFirst().name == 'm')
        return badRequest(QStringLiteral("SCRAM mandatory extensions are not supported."));
    if (!startsWithNames(*attributes, "nr"))
        return badRequest(QStringLiteral("The SCRAM client-first message must be \"n,,n=<user>,r=<nonce>\"."));
    const std::optional<QString> user = scramUnescapeName(attributes->at(0).value);
    if (!user)
        return badRequest(QStringLiteral("The SCRAM user name is empty, not UTF-8 or badly escaped."));
    if (!isValidNonce(attributes->at(1).value))
        return badRequest(QStringLiteral("The SCRAM client nonce is empty or not printable."));

    m_user = *user;
    m_clientFirstBare = bare;
    m_clientNonce = attributes->at(1).value;
    m_serverFirst.clear();
    return *user;
}

QByteArray ScramServer::serverFirstMessage(const ScramCredentials &credentials)
{
    if (m_clientNonce.isEmpty())
        return {};
    m_credentials = credentials;
    m_serverFirst = QByteArrayLiteral("r=") + m_clientNonce + m_serverNonce + QByteArrayLiteral(",s=")
        + credentials.salt.toBase64() + QByteArrayLiteral(",i=") + QByteArray::number(credentials.iterations);
    return m_serverFirst;
}

Result<QByteArray> ScramServer::receiveClientFinal(const QByteArray &clientFinal)
{
    // One attempt per exchange: a client cannot try several proofs against one challenge.
    const QByteArray serverFirst = std::exchange(m_serverFirst, QByteArray());
    if (serverFirst.isEmpty())
        return authFailed(QStringLiteral("No SCRAM exchange is in progress."));

    const int proofAt = clientFinal.lastIndexOf(",p=");
    if (proofAt < 0)
        return authFailed(QStringLiteral("The SCRAM client-final message has no proof."));
    const QByteArray withoutProof = clientFinal.left(proofAt);
    const std::optional<QList<Attribute>> attributes = parseAttributes(withoutProof);
    if (!attributes || !startsWithNames(*attributes, "cr"))
        return authFailed(QStringLiteral("The SCRAM client-final message must be \"c=<binding>,r=<nonce>,p=<proof>\"."));
    if (attributes->at(0).value != channelBindingAttribute(m_gs2Header, m_channelBinding)) {
        m_bindingFailed = !m_channelBinding.isEmpty();
        return authFailed(m_channelBinding.isEmpty()
                              ? QStringLiteral("SCRAM channel binding is not supported: c= must be \"biws\".")
                              : QStringLiteral("SCRAM channel binding mismatch: c= does not carry this server's certificate."));
    }
    if (attributes->at(1).value != m_clientNonce + m_serverNonce)
        return authFailed(QStringLiteral("The SCRAM nonce does not match the challenge."));
    const std::optional<QByteArray> proof = decodeBase64(clientFinal.mid(proofAt + 3));
    if (!proof || proof->size() != KeyBytes)
        return authFailed(QStringLiteral("The SCRAM proof is not 32 bytes of base64."));

    const QByteArray authMessage = m_clientFirstBare + ',' + serverFirst + ',' + withoutProof;
    const QByteArray clientKey = xorBytes(*proof, hmac(m_credentials.storedKey, authMessage));
    if (m_credentials.storedKey.size() != KeyBytes || !constantTimeEquals(sha256(clientKey), m_credentials.storedKey))
        return authFailed(QStringLiteral("Wrong user name or password."));
    return QByteArray(QByteArrayLiteral("v=") + hmac(m_credentials.serverKey, authMessage).toBase64());
}

} // namespace ferry
