#pragma once
// The seam between the window and its questions to the user. The app asks through real dialogs
// (WidgetDialogs); tests answer through ScriptedDialogs (tests/support/gui), so no test ever clicks blindly on a modal box.

#include "ConnectionParams.h"
#include "KnownServers.h"
#include "TransferQueue.h"

#include <QString>

#include <functional>
#include <optional>

class QWidget;

namespace ferry::gui {

class DialogProvider {
public:
    virtual ~DialogProvider() = default;

    // A line of text (a new folder's name, a new name); nullopt when cancelled.
    virtual std::optional<QString> askText(QWidget *parent, const QString &title, const QString &label,
                                           const QString &initial) = 0;
    virtual std::optional<QString> askPassword(QWidget *parent, const QString &title, const QString &label) = 0;
    // Before something that cannot be undone; true to go ahead.
    virtual bool confirm(QWidget *parent, const QString &title, const QString &text, const QString &acceptLabel) = 0;
    // A transfer's target exists. The answer may come later (the window stays usable meanwhile).
    using ConflictAnswer = std::function<void(ConflictPolicy policy, bool applyToAll)>;
    virtual void askConflict(QWidget *parent, const ConflictResolver::Conflict &conflict, ConflictAnswer answer) = 0;
    // Where to connect; nullopt when cancelled.
    virtual std::optional<ConnectionParams> askConnection(QWidget *parent, const ConnectionParams &suggestion) = 0;
    // First contact with a server: show its identity code; true to trust it.
    virtual bool askTrustServer(QWidget *parent, const IdentityCheck &check) = 0;
    // The server's identity is not the remembered one: say so (there is no "connect anyway").
    virtual void showIdentityChanged(QWidget *parent, const IdentityCheck &check) = 0;
};

} // namespace ferry::gui
