#include "ConflictArbiter.h"

namespace ferry {

ConflictArbiter::ConflictArbiter(QObject *parent) : QObject(parent)
{
}

void ConflictArbiter::decide(const ConflictResolver::Conflict &conflict, QObject *context, Answer answer)
{
    const ConflictPolicy policy = conflict.item.conflict;
    Pending pending{conflict, context, std::move(answer)};
    if (policy != ConflictPolicy::Ask) {
        deliver(pending, policy);
        return;
    }
    if (const auto remembered = m_answerForJob.constFind(conflict.item.jobId); remembered != m_answerForJob.constEnd()) {
        deliver(pending, *remembered);
        return;
    }
    if (!m_resolver) {
        deliver(pending, ConflictPolicy::Fail);
        return;
    }
    m_waiting.append(std::move(pending));
    askNext();
}

void ConflictArbiter::askNext()
{
    while (!m_asking && !m_waiting.isEmpty() && m_resolver) {
        const Pending pending = m_waiting.takeFirst();
        if (!pending.context)
            continue;   // the item was paused or cancelled while it waited
        if (const auto remembered = m_answerForJob.constFind(pending.conflict.item.jobId);
            remembered != m_answerForJob.constEnd()) {
            deliver(pending, *remembered);
            continue;
        }
        m_asking = true;
        const quint64 question = ++m_question;
        QPointer<ConflictArbiter> self(this);
        m_resolver->resolve(pending.conflict, [self, question, pending](ConflictPolicy policy, bool applyToAll) {
            if (!self || !self->m_asking || self->m_question != question)
                return;
            if (policy == ConflictPolicy::Ask)
                policy = ConflictPolicy::Fail;   // a resolver that cannot decide refuses
            if (applyToAll)
                self->m_answerForJob.insert(pending.conflict.item.jobId, policy);
            self->m_asking = false;
            self->deliver(pending, policy);
            // The next question comes from the event loop, not from inside the resolver's callback.
            QMetaObject::invokeMethod(self, &ConflictArbiter::askNext, Qt::QueuedConnection);
        });
    }
}

void ConflictArbiter::deliver(const Pending &pending, ConflictPolicy policy)
{
    QObject *context = pending.context;
    if (!context)
        return;
    QMetaObject::invokeMethod(context, [answer = pending.answer, policy] { answer(policy); }, Qt::QueuedConnection);
}

} // namespace ferry
