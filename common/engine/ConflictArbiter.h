#pragma once
// Settles conflicts (a target that exists) for the transfer queue: the item's policy decides, and Ask
// consults the ConflictResolver one conflict at a time. An answer given "for all" is remembered for the
// rest of that job, including the conflicts already waiting behind the one that was asked.

#include "TransferQueue.h"

#include <QHash>
#include <QList>
#include <QObject>
#include <QPointer>

namespace ferry {

class ConflictArbiter : public QObject {
    Q_OBJECT
public:
    using Answer = std::function<void(ConflictPolicy policy)>;

    explicit ConflictArbiter(QObject *parent = nullptr);

    void setResolver(ConflictResolver *resolver) { m_resolver = resolver; }

    // Calls `answer` later, from the event loop, with a policy other than Ask — unless `context` is gone
    // by then. Without a resolver, Ask becomes Fail.
    void decide(const ConflictResolver::Conflict &conflict, QObject *context, Answer answer);
    // Forgets what "apply to all" said for a job (when it is removed from the queue).
    void forgetJob(qint64 jobId) { m_answerForJob.remove(jobId); }

private:
    struct Pending {
        ConflictResolver::Conflict conflict;
        QPointer<QObject> context;
        Answer answer;
    };
    void askNext();
    void deliver(const Pending &pending, ConflictPolicy policy);

    ConflictResolver *m_resolver = nullptr;
    QHash<qint64, ConflictPolicy> m_answerForJob;
    QList<Pending> m_waiting;
    bool m_asking = false;
    quint64 m_question = 0;   // identifies the outstanding question, so a late or repeated answer is ignored
};

} // namespace ferry
