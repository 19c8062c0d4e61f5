#pragma once
// Saved sites and recent connections, in QSettings. Never passwords: those go to the system keyring
// (PasswordStore) or nowhere.

#include "ConnectionParams.h"

#include <QList>

namespace ferry::gui {

struct SavedSite {
    QString name;
    ConnectionParams params;   // password always empty
};

class SiteStore {
public:
    static constexpr int MaxRecent = 8;

    QList<SavedSite> sites() const;
    // Adds or replaces the site of that name.
    void saveSite(const SavedSite &site);
    void removeSite(const QString &name);

    // Most recent first, one per server and user.
    QList<ConnectionParams> recent() const;
    void addRecent(const ConnectionParams &params);
    void clearRecent();

private:
    void writeSites(const QList<SavedSite> &sites);
};

} // namespace ferry::gui
