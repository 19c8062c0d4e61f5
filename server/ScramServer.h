#pragma once
// The server side of SCRAM-SHA-256-PLUS (RFC 5802, RFC 7677, RFC 5929): the credentials ferryd stores per
// user, one exchange's checks, and the fake credentials that keep unknown names from showing. Pure: no
// sockets, no storage. The client side and the shared parts are in common/protocol (Scram.h).

#include "Result.h"
#include "Scram.h"

#include <QByteArray>
#include <QString>

namespace ferry {

// What a server stores per user: never the password.
struct ScramCredentials {
    QByteArray salt;        // raw bytes
    int iterations = 0;
    QByteArray storedKey;   // raw 32 bytes: H(ClientKey)
    QByteArray serverKey;   // raw 32 bytes: HMAC(SaltedPassword, "Server Key")

    static ScramCredentials derive(const QString &password, const QByteArray &salt, int iterations);
    // A new random 16-byte salt and the default iteration count.
    static ScramCredentials create(const QString &password);
    // New and changed passwords (docs/PROTOCOL.md: at least 100 000); existing entries keep their count.
    static constexpr int DefaultIterations = 100000;
};

// The server side of one authentication exchange.
class ScramServer {
public:
    // serverNonce empty: a random one (tests pass the RFC's). channelBinding: the tls-server-end-point data
    // of the server's own certificate; when given, only SCRAM-SHA-256-PLUS with that binding is accepted.
    explicit ScramServer(const QByteArray &serverNonce = {}, const QByteArray &channelBinding = {});

    // Parses client-first ("n,,n=user,r=nonce"); returns the user name, or bad_request.
    Result<QString> receiveClientFirst(const QByteArray &clientFirst);
    // server-first for these credentials (the real ones, or fake ones for an unknown user).
    QByteArray serverFirstMessage(const ScramCredentials &credentials);
    // Checks client-final's proof; returns server-final ("v=…") or auth_failed (also for a malformed
    // message). One exchange per object: a second call fails.
    Result<QByteArray> receiveClientFinal(const QByteArray &clientFinal);
    // The user name from client-first.
    QString user() const { return m_user; }
    // True when the last failure was about channel binding (missing, another type, or other data): a
    // sign of a man in the middle, which the server logs as such.
    bool bindingFailed() const { return m_bindingFailed; }

private:
    QString m_user;
    QByteArray m_channelBinding;
    QByteArray m_gs2Header;
    bool m_bindingFailed = false;
    QByteArray m_clientFirstBare;
    QByteArray m_clientNonce;
    QByteArray m_serverNonce;
    QByteArray m_serverFirst;
    ScramCredentials m_credentials;
};

// Credentials for an unknown user: a salt derived from the server's secret and the name (stable across
// restarts), and keys that no password matches, so replies do not tell which names exist.
ScramCredentials fakeScramCredentials(const QByteArray &serverSecret, const QString &user);

} // namespace ferry
