#include "ServerTrust.h"

#include "Console.h"
#include "Terminal.h"

namespace ferry::cli {

ClientSession::IdentityVerifier ServerTrust::verifier(const QString &trustCode,
                                                     const std::shared_ptr<bool> &refusalExplained)
{
    return [trustCode, refusalExplained](const IdentityCheck &check) {
        return KnownServers().verify(check, [trustCode, refusalExplained](const IdentityCheck &unknown) {
            const auto explained = [&refusalExplained] {
                if (refusalExplained)
                    *refusalExplained = true;
                return false;
            };
            const QString code = unknown.identity.code();
            if (!trustCode.isEmpty()) {
                if (trustCode == code)
                    return true;
                Console::error(tr("the identity of %1 is %2, not %3 as given with --trust")
                                   .arg(unknown.address(), code, trustCode));
                return explained();
            }
            const QString text = tr("The server %1 is new to this computer. Its identity is:\n\n    %2\n\n"
                                    "Compare it with the code the server shows (ferryd prints it when it starts, and\n"
                                    "'ferryd identity' prints it any time). Accept only if they are the same.\n")
                                     .arg(unknown.address(), code);
            const std::optional<QString> answer = askOnTerminal(text, tr("Trust this server? [y/N] "));
            if (!answer) {
                Console::error(tr("the identity of %1 (%2) is not trusted yet, and there is no terminal to ask: "
                                  "run with --trust %2 (or FERRY_TRUST=%2) after checking the code with the server's admin")
                                   .arg(unknown.address(), code));
                return explained();
            }
            const QString lower = answer->toLower();
            return lower == QLatin1String("y") || lower == QLatin1String("yes") || lower == tr("y");
        });
    };
}

int ServerTrust::forget(const ServerAddress &server)
{
    const Result<bool> removed = KnownServers().forget(server.host, server.port);
    const QString address = KnownServers::key(server.host, server.port);
    if (!removed) {
        Console::error(removed.error().message);
        return ExitFailed;
    }
    if (*removed)
        Console::out() << tr("Forgot the identity of %1; the next connection asks again.").arg(address) << '\n';
    else
        Console::out() << tr("No identity was remembered for %1.").arg(address) << '\n';
    Console::flush();
    return ExitOk;
}

IdentityProbe::IdentityProbe(const ServerAddress &server, QObject *parent)
    : QObject(parent), m_server(server), m_session(new ClientSession(this))
{
    // Accept for this connection only (nothing is remembered and no password goes out), to read the code.
    m_session->setIdentityVerifier([this](const IdentityCheck &check) {
        m_seen = check;
        m_seen.known = KnownServers().find(check.host, check.port);
        return Status();
    });
    connect(m_session, &ClientSession::connected, this, [this] {
        Console::out() << m_seen.identity.code() << '\n' << m_seen.identity.fingerprint() << '\n';
        if (!m_seen.known.isValid())
            Console::err() << tr("%1 is not trusted on this computer yet.").arg(m_seen.address()) << '\n';
        else if (m_seen.known == m_seen.identity)
            Console::err() << tr("This is the identity remembered for %1.").arg(m_seen.address()) << '\n';
        else
            Console::err() << tr("WARNING: this is NOT the identity remembered for %1 (%2).")
                                  .arg(m_seen.address(), m_seen.known.code())
                           << '\n';
        Console::flush();
        m_session->disconnectFromServer();
        emit finished(m_seen.known.isValid() && m_seen.known != m_seen.identity ? ExitIdentity : ExitOk);
    });
    connect(m_session, &ClientSession::connectionFailed, this, [this](const Error &error) {
        Console::error(error.message);
        emit finished(ExitCannotConnect);
    });
}

void IdentityProbe::start()
{
    m_session->connectToServer(m_server.host, m_server.port);
}

} // namespace ferry::cli
