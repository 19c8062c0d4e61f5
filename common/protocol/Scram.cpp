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
#include "ScramPrimitives.h"
#include "Sha256.h"

#include <QStringDecoder>

namespace ferry {

using namespace scram;

bool ScramSalt::isValid() const
{
    return !salt.isEmpty() && iterations >= Limits::MinScramIterations && iterations <= MaxIterations;
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

SaltedPasswordGuess SaltedPasswordGuess::start(const QString &password, const ScramSalt &salt)
{
    SaltedPasswordGuess guess;
    guess.m_salt = salt;
    guess.m_value = std::async(std::launch::async, saltedPassword, password, salt.salt, salt.iterations).share();
    return guess;
}

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
    m_serverSalt = {};
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
    const ScramSalt named{*salt, iterations};
    if (!isNumber || !named.isValid())
        return authFailed(QStringLiteral("The server's SCRAM iteration count %1 is outside %2..%3.")
                              .arg(QString::fromLatin1(iterationText))
                              .arg(Limits::MinScramIterations)
                              .arg(ScramSalt::MaxIterations));

    m_serverSalt = named;
    const QByteArray salted = m_guess.salt() == m_serverSalt ? m_guess.value() : saltedPassword(m_password, *salt, iterations);
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

} // namespace ferry
