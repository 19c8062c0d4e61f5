#include "ClientSession.h"

#include "Protocol.h"
#include "Scram.h"

// ClientSession's login: SCRAM-SHA-256-PLUS carried in two auth requests, bound to the TLS channel by the
// server certificate's hash (docs/PROTOCOL.md, "Authentication"): a relay showing another certificate
// cannot complete it.
// The server must prove that it knows the password too (server-final "v=…"); a session whose server
// cannot is dropped.

namespace ferry {

void ClientSession::login(const QString &user, const QString &password, SaltedPasswordGuess guess)
{
    Error refusal;
    if (m_state == State::Ready)
        refusal = Error::make(ErrorCode::BadRequest, tr("Already logged in as %1.").arg(m_user));
    else if (m_state != State::Authenticating)
        refusal = Error::make(ErrorCode::ConnectionLost, tr("Not connected to a server."));
    else if (m_scram)
        refusal = Error::make(ErrorCode::BadRequest, tr("A login is already in progress."));
    if (refusal.isError()) {
        QMetaObject::invokeMethod(this, [this, refusal] { emit loginFailed(refusal); }, Qt::QueuedConnection);
        return;
    }

    m_loginUser = user;
    m_scram = std::make_unique<ScramClient>(user, password, QByteArray(), m_channelBinding);
    m_scram->setGuess(std::move(guess));
    QJsonObject header{{Field::Op, QString(Op::Auth)},
                       {Field::Mech, QString(ScramMechanism)},
                       {Field::Data, QString::fromUtf8(m_scram->clientFirstMessage())}};
    request(header, [this](const Frame &frame) {
        onLoginChallenge(frame);
        return false;
    });
}

void ClientSession::onLoginChallenge(const Frame &frame)
{
    if (frame.op() == Op::Error) {
        finishLoginWithError(errorFromFrame(frame));
        return;
    }
    Result<QByteArray> clientFinal = frame.op() == Op::Challenge
            ? m_scram->clientFinalMessage(frame.header.value(Field::Data).toString().toUtf8())
            : Result<QByteArray>(Error::make(ErrorCode::AuthFailed, tr("The server did not send a challenge.")));
    m_lastLoginSalt = m_scram->serverSalt();
    if (!clientFinal) {
        // A server that cannot run SCRAM correctly is not one to keep talking to.
        const Error error = clientFinal.error();
        finishLoginWithError(error);
        shutDown(error, false);
        return;
    }
    request(QJsonObject{{Field::Op, QString(Op::Auth)}, {Field::Data, QString::fromUtf8(*clientFinal)}},
            [this](const Frame &reply) {
                onLoginFinal(reply);
                return false;
            });
}

void ClientSession::onLoginFinal(const Frame &frame)
{
    if (frame.op() == Op::Error) {
        finishLoginWithError(errorFromFrame(frame));
        return;
    }
    const QByteArray serverFinal = frame.header.value(Field::Data).toString().toUtf8();
    if (frame.op() != Op::Ok || !m_scram || !m_scram->verifyServerFinal(serverFinal)) {
        // Mutual authentication: the server does not know our password, so it is not the server we meant.
        const Error error = Error::make(ErrorCode::AuthFailed, tr("server signature invalid"),
                                        QJsonObject{{ServerSignatureKey, QStringLiteral("invalid")}});
        finishLoginWithError(error);
        shutDown(error, false);
        return;
    }
    m_scram.reset();
    const QString user = frame.header.value(Field::User).toString();
    m_user = user.isEmpty() ? m_loginUser : user;
    const QuotaInfo quota = quotaFromReply(frame.header);
    setState(State::Ready);
    emit quotaChanged(quota);
    emit loggedIn(m_user, quota);
}

void ClientSession::finishLoginWithError(const Error &error)
{
    m_scram.reset();   // the session stays open for another try
    emit loginFailed(error);
}

} // namespace ferry
