#pragma once
// Where to connect: host, port, user, password, with saved sites, recent connections and the servers
// that answered LAN discovery ("Nearby") in one list on the left. Click fills the form, double-click
// connects. Passwords are remembered only in the system keyring (PasswordStore), never in settings. The form
// also shows the identity remembered for the server (KnownServers) and forgets it on request: the one way to
// accept a server whose identity changed (ServerIdentityDialog says so).

#include "ConnectionParams.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTreeWidget;
class QTreeWidgetItem;

namespace ferry {
class NearbyServers;
struct DiscoveredServer;
}

namespace ferry::gui {

class PasswordStore;
class SiteStore;

class ConnectDialog : public QDialog {
    Q_OBJECT
public:
    ConnectDialog(SiteStore *sites, PasswordStore *passwords, QWidget *parent = nullptr);
    ~ConnectDialog() override;

    void setParams(const ConnectionParams &params);
    ConnectionParams params() const;

    // The remembered identity's code as shown, and the button that forgets it (tests).
    QLabel *identityLabel() const { return m_identity; }
    QPushButton *forgetIdentityButton() const { return m_forgetIdentity; }

    // Tests point discovery elsewhere and look at the list.
    NearbyServers *discovery() const { return m_discovery; }
    QTreeWidget *serverList() const { return m_list; }
    void searchNearby();

    void accept() override;

protected:
    void showEvent(QShowEvent *event) override;

private:
    enum ItemKind { SiteItem = 1, RecentItem, NearbyItem };
    // The constructor's parts: the list of sites, the form, the buttons under it, and the connections.
    void buildList();
    QLayout *buildForm();
    QLayout *buildSiteButtons(QPushButton *refresh);
    void wire(QPushButton *refresh);
    void reloadSavedAndRecent();
    void addNearby(const DiscoveredServer &server);
    void updateNearby(int index, const DiscoveredServer &server);
    void onItemSelected(QTreeWidgetItem *item);
    void saveAsSite();
    void deleteSite();
    void updateButtons();
    void updateIdentity();
    void forgetIdentity();

    SiteStore *m_sites;
    PasswordStore *m_passwords;
    NearbyServers *m_discovery;
    QTreeWidget *m_list;
    QTreeWidgetItem *m_savedGroup;
    QTreeWidgetItem *m_recentGroup;
    QTreeWidgetItem *m_nearbyGroup;
    QTreeWidgetItem *m_searching = nullptr;
    QLineEdit *m_host;
    QSpinBox *m_port;
    QLineEdit *m_user;
    QLineEdit *m_password;
    QCheckBox *m_remember;
    QLabel *m_identity;
    QPushButton *m_forgetIdentity;
    QPushButton *m_connect;
    QPushButton *m_save;
    QPushButton *m_delete;
    bool m_searchedOnce = false;
};

} // namespace ferry::gui
