#include "ClientContext.h"

#include "ClientSession.h"
#include "ConnectionController.h"
#include "ConnectionParams.h"
#include "SessionKeeper.h"
#include "StateFileLock.h"
#include "TransferQueue.h"

#include <QDir>
#include <QFileInfo>
#include <QStandardPaths>

#include <algorithm>

namespace ferry::gui {

ClientContext::ClientContext(const QString &queueStateFile, QObject *parent)
    : QObject(parent), m_session(new ClientSession), m_keeper(new SessionKeeper(m_session)),
      m_connection(new ConnectionController(m_keeper)), m_queue(new TransferQueue(m_session))
{
    connect(m_session, &ClientSession::quotaChanged, this, [this](const QuotaInfo &quota) { m_quota = quota; });
    connect(m_session, &ClientSession::stateChanged, this, [this](ClientSession::State state) {
        if (state != ClientSession::State::Ready)
            m_quota.reset();
    });
    const QString preferred = queueStateFile.isEmpty() ? defaultQueueStateFile() : queueStateFile;
    QDir().mkpath(QFileInfo(preferred).absolutePath());
    m_queueLock = StateFileLock::acquire(preferred);
    if (!m_queueLock) {
        qWarning("Cannot lock a transfer queue file beside %s; transfers will not be remembered.",
                 qPrintable(preferred));
        return;
    }
    m_queue->setStateFile(m_queueLock->path());
    m_queue->restore();   // unfinished transfers of the last run; they start once logged in to their account
}

ClientContext::~ClientContext()
{
    // The queue goes before the session it uses (it saves what is unfinished), the lock after both.
    delete m_queue;
    delete m_connection;
    delete m_keeper;
    delete m_session;
}

QString ClientContext::defaultQueueStateFile()
{
    return QDir(QStandardPaths::writableLocation(QStandardPaths::AppDataLocation)).filePath(QStringLiteral("transfers.json"));
}

QString ClientContext::queueStateFile() const
{
    return m_queueLock ? m_queueLock->path() : QString();
}

QList<ClientContext::Waiting> ClientContext::waitingAccounts() const
{
    const bool loggedIn = m_session->state() == ClientSession::State::Ready;
    const QString current = loggedIn ? m_session->user() + QLatin1Char('@') + m_session->host() + QLatin1Char(':')
                                               + QString::number(m_session->port())
                                     : QString();
    QList<Waiting> waiting;
    for (int row = 0; row < m_queue->count(); ++row) {
        const TransferItem &item = m_queue->at(row);
        if (item.isFinished() || item.user.isEmpty() || item.account().compare(current, Qt::CaseInsensitive) == 0)
            continue;
        const auto same = [&item](const Waiting &w) {
            return w.user == item.user && (w.host + QLatin1Char(':') + QString::number(w.port)) == item.server;
        };
        auto it = std::find_if(waiting.begin(), waiting.end(), same);
        if (it == waiting.end()) {
            const int colon = item.server.lastIndexOf(QLatin1Char(':'));
            Waiting entry;
            entry.host = item.server.left(colon);
            entry.port = quint16(item.server.mid(colon + 1).toUInt());
            entry.user = item.user;
            it = waiting.insert(waiting.end(), entry);
        }
        ++it->count;
    }
    return waiting;
}

ConnectionParams ClientContext::paramsOf(const Waiting &waiting)
{
    ConnectionParams params;
    params.host = waiting.host;
    params.port = waiting.port;
    params.user = waiting.user;
    return params;
}

} // namespace ferry::gui
