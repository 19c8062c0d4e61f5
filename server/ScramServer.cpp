// The server side of SCRAM-SHA-256-PLUS (the message grammar is in common/protocol/Scram.cpp's header comment).

#include "ScramServer.h"

#include "ScramPrimitives.h"
#include "Sha256.h"

#include <utility>

namespace ferry {

using namespace scram;

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
