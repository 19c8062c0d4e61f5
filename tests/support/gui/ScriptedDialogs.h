#pragma once
// DialogProvider for tests: answers come from a script queued beforehand, and every question asked is
// recorded, so a test states both what the user answers and what the window asked.
// A question without a queued answer gets the "cancel" answer and is recorded in unanswered().

#include "DialogProvider.h"

#include <QList>
#include <QQueue>
#include <QStringList>

namespace ferry::gui {

class ScriptedDialogs : public DialogProvider {
public:
    struct ConflictReply {
        ConflictPolicy policy = ConflictPolicy::Skip;
        bool applyToAll = false;
    };

    void answerText(const std::optional<QString> &text) { m_texts.enqueue(text); }
    void answerPassword(const std::optional<QString> &password) { m_passwords.enqueue(password); }
    void answerConfirm(bool yes) { m_confirms.enqueue(yes); }
    void answerConflict(ConflictPolicy policy, bool applyToAll = false) { m_conflicts.enqueue({policy, applyToAll}); }
    void answerConnection(const std::optional<ConnectionParams> &params) { m_connections.enqueue(params); }
    void answerTrust(bool trust) { m_trusts.enqueue(trust); }
    // Identities shown in the first-contact and changed-identity questions, in order.
    QList<IdentityCheck> identitiesShown() const { return m_identitiesShown; }

    // Titles of the questions asked, in order ("conflict: <file name>" for conflicts).
    QStringList asked() const { return m_asked; }
    QStringList unanswered() const { return m_unanswered; }
    QList<ConflictResolver::Conflict> conflictsAsked() const { return m_conflictsAsked; }

    std::optional<QString> askText(QWidget *parent, const QString &title, const QString &label,
                                   const QString &initial) override;
    std::optional<QString> askPassword(QWidget *parent, const QString &title, const QString &label) override;
    bool confirm(QWidget *parent, const QString &title, const QString &text, const QString &acceptLabel) override;
    void askConflict(QWidget *parent, const ConflictResolver::Conflict &conflict, ConflictAnswer answer) override;
    std::optional<ConnectionParams> askConnection(QWidget *parent, const ConnectionParams &suggestion) override;
    bool askTrustServer(QWidget *parent, const IdentityCheck &check) override;
    void showIdentityChanged(QWidget *parent, const IdentityCheck &check) override;

private:
    template <typename T>
    T next(QQueue<T> &queue, const QString &question, T fallback);

    QQueue<std::optional<QString>> m_texts;
    QQueue<std::optional<QString>> m_passwords;
    QQueue<bool> m_confirms;
    QQueue<ConflictReply> m_conflicts;
    QQueue<std::optional<ConnectionParams>> m_connections;
    QQueue<bool> m_trusts;
    QList<IdentityCheck> m_identitiesShown;
    QStringList m_asked;
    QStringList m_unanswered;
    QList<ConflictResolver::Conflict> m_conflictsAsked;
};

} // namespace ferry::gui
