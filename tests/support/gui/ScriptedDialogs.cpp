#include "ScriptedDialogs.h"

#include <QTimer>

namespace ferry::gui {

template <typename T>
T ScriptedDialogs::next(QQueue<T> &queue, const QString &question, T fallback)
{
    m_asked.append(question);
    if (queue.isEmpty()) {
        m_unanswered.append(question);
        return fallback;
    }
    return queue.dequeue();
}

std::optional<QString> ScriptedDialogs::askText(QWidget *, const QString &title, const QString &, const QString &)
{
    return next(m_texts, title, std::optional<QString>());
}

std::optional<QString> ScriptedDialogs::askPassword(QWidget *, const QString &title, const QString &)
{
    return next(m_passwords, title, std::optional<QString>());
}

bool ScriptedDialogs::confirm(QWidget *, const QString &title, const QString &, const QString &)
{
    return next(m_confirms, title, false);
}

void ScriptedDialogs::askConflict(QWidget *, const ConflictResolver::Conflict &conflict, ConflictAnswer answer)
{
    m_conflictsAsked.append(conflict);
    const ConflictReply reply =
            next(m_conflicts, QStringLiteral("conflict: ") + conflict.item.name(), ConflictReply{});
    // Like a real dialog, the answer comes from the event loop, not from inside the question.
    QTimer::singleShot(0, [answer, reply] { answer(reply.policy, reply.applyToAll); });
}

std::optional<ConnectionParams> ScriptedDialogs::askConnection(QWidget *, const ConnectionParams &)
{
    return next(m_connections, QStringLiteral("connect"), std::optional<ConnectionParams>());
}

bool ScriptedDialogs::askTrustServer(QWidget *, const IdentityCheck &check)
{
    m_identitiesShown.append(check);
    return next(m_trusts, QStringLiteral("trust: ") + check.identity.code(), false);
}

void ScriptedDialogs::showIdentityChanged(QWidget *, const IdentityCheck &check)
{
    m_identitiesShown.append(check);
    m_asked.append(QStringLiteral("changed: ") + check.identity.code());
}

} // namespace ferry::gui
