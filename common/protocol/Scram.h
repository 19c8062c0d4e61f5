#pragma once
// The client side of SCRAM-SHA-256 (RFC 5802 + RFC 7677), and SCRAM-SHA-256-PLUS with tls-server-end-point
// channel binding (RFC 5929) when binding data is given, plus the name escaping both sides use. The server side
// is ferryd's (server/ScramServer.h). The messages are the RFC's byte for byte, so any standard SCRAM
// implementation interoperates. Pure: no sockets, no storage.

#include "Result.h"

#include <QByteArray>
#include <QString>

#include <future>
#include <optional>

namespace ferry {

// The salt and iteration count of a server-first message: what PBKDF2 needs besides the password.
struct ScramSalt {
    QByteArray salt;
    int iterations = 0;
    // Bounds the work a hostile server (or a tampered LoginSalts file) can make a client do: PBKDF2 runs on
    // the client.
    static constexpr int MaxIterations = 1000000;
    // A salt, and an iteration count from WIRE.md's minimum up to MaxIterations.
    bool isValid() const;
    bool operator==(const ScramSalt &other) const { return salt == other.salt && iterations == other.iterations; }
    bool operator!=(const ScramSalt &other) const { return !(*this == other); }
};

// SaltedPassword derived on a thread of its own for a salt the server is expected to send (the one it sent
// last time), so that PBKDF2's rounds (~14 ms here for 100 000) run while the connection is being made
// rather than after the server's challenge.
class SaltedPasswordGuess {
public:
    SaltedPasswordGuess() = default;
    static SaltedPasswordGuess start(const QString &password, const ScramSalt &salt);
    const ScramSalt &salt() const { return m_salt; }
    // Waits for the derivation if it is still running.
    QByteArray value() const { return m_value.valid() ? m_value.get() : QByteArray(); }

private:
    ScramSalt m_salt;
    std::shared_future<QByteArray> m_value;
};

// The client side of one authentication exchange.
class ScramClient {
public:
    // clientNonce empty: a random one (tests pass the RFC's). channelBinding: the tls-server-end-point data
    // (SHA-256 of the server certificate as received); empty: no binding ("n,,", plain SCRAM-SHA-256).
    ScramClient(const QString &user, const QString &password, const QByteArray &clientNonce = {},
                const QByteArray &channelBinding = {});

    // Used by clientFinalMessage() when server-first names the guess's salt and iteration count; it must have
    // been started with this client's password.
    void setGuess(SaltedPasswordGuess guess) { m_guess = std::move(guess); }

    QByteArray clientFirstMessage() const;                        // "p=tls-server-end-point,,n=user,r=nonce"
    // From server-first ("r=…,s=…,i=…") to client-final ("c=biws,r=…,p=…"); auth_failed on a bad message.
    Result<QByteArray> clientFinalMessage(const QByteArray &serverFirst);
    // Mutual authentication: true only when server-final's "v=" is the expected server signature.
    bool verifyServerFinal(const QByteArray &serverFinal) const;
    // What server-first named (invalid before it came or when it was malformed).
    const ScramSalt &serverSalt() const { return m_serverSalt; }

private:
    QString m_user;
    QString m_password;
    QByteArray m_gs2Header;
    QByteArray m_channelBinding;
    QByteArray m_clientNonce;
    QByteArray m_clientFirstBare;
    QByteArray m_expectedServerSignature;
    SaltedPasswordGuess m_guess;
    ScramSalt m_serverSalt;
};

// SASL name escaping of RFC 5802 ("," -> "=2C", "=" -> "=3D") and back (nullopt on a bad escape).
QByteArray scramEscapeName(const QString &name);
std::optional<QString> scramUnescapeName(const QByteArray &escaped);

} // namespace ferry
