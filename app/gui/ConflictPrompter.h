#pragma once
// The transfer queue's ConflictResolver in the GUI: asks the user through the DialogProvider, one
// question at a time (a folder upload may hit many conflicts at once; they wait their turn).

#include "DialogProvider.h"

#include <QPointer>
#include <QQueue>
#include <QWidget>

namespace ferry::gui {

class ConflictPrompter : public ConflictResolver {
public:
    ConflictPrompter(DialogProvider *dialogs, QWidget *parent);
    ~ConflictPrompter() override;

    void resolve(const Conflict &conflict, std::function<void(ConflictPolicy, bool)> decide) override;
    int pending() const { return int(m_waiting.size()) + (m_asking ? 1 : 0); }

private:
    struct Question {
        Conflict conflict;
        std::function<void(ConflictPolicy, bool)> decide;
    };
    void askNext();
    void answerWaiting(qint64 jobId, ConflictPolicy policy);

    DialogProvider *m_dialogs;
    QPointer<QWidget> m_parent;
    QQueue<Question> m_waiting;
    bool m_asking = false;
    std::shared_ptr<bool> m_alive;   // answers arriving after this object died are dropped
};

} // namespace ferry::gui
