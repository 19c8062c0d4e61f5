#pragma once
// `ferryd --demo`: a demo account with a home holding a few sample files and a quota, made once.

#include <QString>

namespace ferry {

struct DemoAccount {
    QString user;
    QString password;
};

// Creates (only the first time) the demo user and its sample files in dataDir; error text on failure.
bool ensureDemoAccount(const QString &dataDir, DemoAccount *account, QString *error);

} // namespace ferry
