#include "SessionAuth.h"

#include "AccountStore.h"
#include "AuthThrottle.h"
#include "OpLog.h"
#include "Protocol.h"
#include "RequestFields.h"
#include "ScramServer.h"
#include "ServerConfig.h"

namespace ferry {

SessionAuth::SessionAuth(ServerServices &services, const QString &peer) : m_services(services), m_peer(peer)
{
}

SessionAuth::~SessionAuth() = default;

SessionAuth::Step SessionAuth::handle(const QJsonObject &request)
{
    const QJsonValue data = request.value(Field::Data);
    if (!data.isString())
        return Step{badField(Field::Data, QStringLiteral("must be a SCRAM message string")), {}, {}, {}};
    // Per address at every auth, whether or not the password is right (docs/PROTOCOL.md).
    const QString account = m_scram ? m_scram->user() : QString();
    const int wait = m_services.throttle->retryAfterSeconds(m_peer, account);
    if (wait > 0) {
        m_scram.reset();
        writeOpLog(OpLogLine{m_peer, account, QString(Op::Auth), {}, -1, QString(ErrorCode::Throttled)});
        return Step{Error::make(ErrorCode::Throttled,
                                QStringLiteral("Too many failed logins; try again in %1 s.").arg(wait),
                                QJsonObject{{Field::RetryAfter, wait}}),
                    {}, {}, {}};
    }
    const QByteArray message = data.toString().toUtf8();
    const QJsonValue mech = request.value(Field::Mech);
    if (!mech.isUndefined())
        return first(mech.toString(), message);   // "mech" starts a new exchange
    return final(message);
}

SessionAuth::Step SessionAuth::first(const QString &mech, const QByteArray &message)
{
    m_scram.reset();
    if (mech != ScramMechanism)
        return Step{Error::make(ErrorCode::Unsupported, QStringLiteral("Only SCRAM-SHA-256-PLUS is supported.")), {}, {}, {}};
    auto scram = std::make_unique<ScramServer>(QByteArray(), m_services.channelBinding);
    const Result<QString> user = scram->receiveClientFirst(message);
    if (!user) {
        if (scram->bindingFailed())
            return fail(scram->user(), true);
        return Step{user.error(), {}, {}, {}};
    }
    // The account's own throttle, now that the name is known.
    if (const int wait = m_services.throttle->retryAfterSeconds(m_peer, *user); wait > 0) {
        writeOpLog(OpLogLine{m_peer, *user, QString(Op::Auth), {}, -1, QString(ErrorCode::Throttled)});
        return Step{Error::make(ErrorCode::Throttled, QStringLiteral("Too many failed logins; try again in %1 s.").arg(wait),
                                QJsonObject{{Field::RetryAfter, wait}}),
                    {}, {}, {}};
    }
    const std::optional<UserAccount> account = m_services.accounts->find(*user);
    const ScramCredentials credentials = account ? account->credentials
                                                 : fakeScramCredentials(m_services.accounts->serverSecret(), *user);
    const QJsonObject challenge{{Field::Data, QString::fromUtf8(scram->serverFirstMessage(credentials))}};
    m_scram = std::move(scram);
    return Step{{}, challenge, {}, {}};
}

SessionAuth::Step SessionAuth::final(const QByteArray &message)
{
    if (!m_scram)
        return Step{Error::make(ErrorCode::BadRequest, QStringLiteral("No authentication exchange is open; send \"mech\" first.")),
                    {}, {}, {}};
    const std::unique_ptr<ScramServer> scram = std::move(m_scram);
    const Result<QByteArray> serverFinal = scram->receiveClientFinal(message);
    const std::optional<UserAccount> account = m_services.accounts->find(scram->user());
    if (!serverFinal || !account)
        return fail(scram->user(), scram->bindingFailed());
    m_services.throttle->recordSuccess(m_peer);
    writeOpLog(OpLogLine{m_peer, scram->user(), QString(Op::Auth), {}, -1, QStringLiteral("ok")});
    return Step{{}, {}, scram->user(), *serverFinal};
}

SessionAuth::Step SessionAuth::fail(const QString &user, bool bindingFailed)
{
    m_services.throttle->recordFailure(m_peer, user);
    writeOpLog(OpLogLine{m_peer, user, QString(Op::Auth), {}, -1, QString(ErrorCode::AuthFailed)});
    // An admin reading the log must see an interception, not just a wrong password (logged even with --quiet).
    if (bindingFailed)
        qWarning("ferryd: login of \"%s\" from %s refused: channel binding mismatch (a man in the middle, "
                 "or a client that does not bind the login to TLS)", qPrintable(user), qPrintable(m_peer));
    return Step{Error::make(ErrorCode::AuthFailed, QStringLiteral("Wrong user name or password.")), {}, {}, {}};
}

} // namespace ferry
