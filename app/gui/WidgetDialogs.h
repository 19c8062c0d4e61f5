#pragma once
// The app's DialogProvider: real dialogs (QInputDialog, QMessageBox, ConflictDialog, ConnectDialog).

#include "DialogProvider.h"

namespace ferry::gui {

class PasswordStore;
class SiteStore;

class WidgetDialogs : public DialogProvider {
public:
    WidgetDialogs(SiteStore *sites, PasswordStore *passwords) : m_sites(sites), m_passwords(passwords) {}

    std::optional<QString> askText(QWidget *parent, const QString &title, const QString &label,
                                   const QString &initial) override;
    std::optional<QString> askPassword(QWidget *parent, const QString &title, const QString &label) override;
    bool confirm(QWidget *parent, const QString &title, const QString &text, const QString &acceptLabel) override;
    void askConflict(QWidget *parent, const ConflictResolver::Conflict &conflict, ConflictAnswer answer) override;
    std::optional<ConnectionParams> askConnection(QWidget *parent, const ConnectionParams &suggestion) override;
    bool askTrustServer(QWidget *parent, const IdentityCheck &check) override;
    void showIdentityChanged(QWidget *parent, const IdentityCheck &check) override;

private:
    SiteStore *m_sites;
    PasswordStore *m_passwords;
};

} // namespace ferry::gui
