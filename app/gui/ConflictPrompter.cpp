#include "ConflictPrompter.h"

namespace ferry::gui {

ConflictPrompter::ConflictPrompter(DialogProvider *dialogs, QWidget *parent)
    : m_dialogs(dialogs), m_parent(parent), m_alive(std::make_shared<bool>(true))
{
}

ConflictPrompter::~ConflictPrompter()
{
    *m_alive = false;
}

void ConflictPrompter::resolve(const Conflict &conflict, std::function<void(ConflictPolicy, bool)> decide)
{
    m_waiting.enqueue(Question{conflict, std::move(decide)});
    if (!m_asking)
        askNext();
}

void ConflictPrompter::askNext()
{
    if (m_waiting.isEmpty()) {
        m_asking = false;
        return;
    }
    m_asking = true;
    Question question = m_waiting.dequeue();
    std::weak_ptr<bool> alive = m_alive;
    const qint64 jobId = question.conflict.item.jobId;
    m_dialogs->askConflict(m_parent, question.conflict,
                           [this, alive, jobId, decide = question.decide](ConflictPolicy policy, bool applyToAll) {
                               decide(policy, applyToAll);
                               const auto stillAlive = alive.lock();
                               if (!stillAlive || !*stillAlive)
                                   return;
                               if (applyToAll)
                                   answerWaiting(jobId, policy);
                               askNext();
                           });
}

void ConflictPrompter::answerWaiting(qint64 jobId, ConflictPolicy policy)
{
    // Questions of that job that were already waiting get the same answer without asking again.
    QQueue<Question> others;
    while (!m_waiting.isEmpty()) {
        Question question = m_waiting.dequeue();
        if (question.conflict.item.jobId == jobId)
            question.decide(policy, true);
        else
            others.enqueue(std::move(question));
    }
    m_waiting = std::move(others);
}

} // namespace ferry::gui
