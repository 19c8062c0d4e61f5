#pragma once
// ferry-cli's side of server identities: the check run after the TLS handshake (known servers, then
// --trust CODE / FERRY_TRUST, then a question on the terminal, else refusal), `forget HOST[:PORT]`, and
// `identity URL` (show a server's code without logging in).

#include "CliOptions.h"
#include "ClientSession.h"

#include <QCoreApplication>
#include <QObject>

#include <memory>

namespace ferry::cli {

class ServerTrust {
    Q_DECLARE_TR_FUNCTIONS(ferry::cli::ServerTrust)
public:
    // The verifier for ClientSession; trustCode: the canonical code from --trust, or empty. When it refuses an
    // unknown server with an explanation of its own (no terminal, or not the --trust code), it sets
    // `*refusalExplained`, so the caller does not repeat the engine's shorter error after it.
    static ClientSession::IdentityVerifier verifier(const QString &trustCode,
                                                    const std::shared_ptr<bool> &refusalExplained = {});
    // `ferry-cli forget HOST[:PORT]`: exit code.
    static int forget(const ServerAddress &server);
};

// `ferry-cli identity URL`: connects, prints the code (line 1) and fingerprint (line 2), and whether it is
// the one remembered; never logs in.
class IdentityProbe : public QObject {
    Q_OBJECT
public:
    explicit IdentityProbe(const ServerAddress &server, QObject *parent = nullptr);
    void start();

signals:
    void finished(int exitCode);

private:
    ServerAddress m_server;
    ClientSession *m_session;
    IdentityCheck m_seen;
};

} // namespace ferry::cli
