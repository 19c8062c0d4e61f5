#pragma once
// The client side of SCRAM-SHA-256 (RFC 5802 + RFC 7677), and SCRAM-SHA-256-PLUS with tls-server-end-point
// channel binding (RFC 5929) when binding data is given, plus the name escaping both sides use. The server side
// is ferryd's (server/ScramServer.h). The messages are the RFC's byte for byte, so any standard SCRAM
// implementation interoperates. Pure: no sockets, no storage.

#include "Result.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace ferry {

// The client side of one authentication exchange.
class ScramClient {
public:
    // clientNonce empty: a random one (tests pass the RFC's). channelBinding: the tls-server-end-point data
    // (SHA-256 of the server certificate as received); empty: no binding ("n,,", plain SCRAM-SHA-256).
    ScramClient(const QString &user, const QString &password, const QByteArray &clientNonce = {},
                const QByteArray &channelBinding = {});

    QByteArray clientFirstMessage() const;                        // "p=tls-server-end-point,,n=user,r=nonce"
    // From server-first ("r=…,s=…,i=…") to client-final ("c=biws,r=…,p=…"); auth_failed on a bad message.
    Result<QByteArray> clientFinalMessage(const QByteArray &serverFirst);
    // Mutual authentication: true only when server-final's "v=" is the expected server signature.
    bool verifyServerFinal(const QByteArray &serverFinal) const;

private:
    QString m_user;
    QString m_password;
    QByteArray m_gs2Header;
    QByteArray m_channelBinding;
    QByteArray m_clientNonce;
    QByteArray m_clientFirstBare;
    QByteArray m_expectedServerSignature;
};

// SASL name escaping of RFC 5802 ("," -> "=2C", "=" -> "=3D") and back (nullopt on a bad escape).
QByteArray scramEscapeName(const QString &name);
std::optional<QString> scramUnescapeName(const QByteArray &escaped);

} // namespace ferry
