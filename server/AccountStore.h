#pragma once
// Seam: where user accounts live. Today a JSON file (UsersFile); a SQL database later.

#include "Result.h"
#include "ScramServer.h"

#include <QList>
#include <QString>

#include <optional>

namespace ferry {

struct UserAccount {
    QString name;
    ScramCredentials credentials;
    std::optional<qint64> quotaBytes;   // nullopt: unlimited
};

class AccountStore {
public:
    virtual ~AccountStore() = default;

    // Thread-safe; sees changes other processes (the admin subcommands) made since the last call.
    virtual std::optional<UserAccount> find(const QString &name) = 0;
    virtual Result<QList<UserAccount>> list() = 0;
    // exists when the name is taken; bad_request for an invalid name.
    virtual Status add(const UserAccount &account) = 0;
    // not_found when the name is unknown.
    virtual Status update(const UserAccount &account) = 0;
    virtual Status remove(const QString &name) = 0;
    // A secret that stays the same across restarts, for fake salts of unknown names.
    virtual QByteArray serverSecret() = 0;
};

// Null error when `name` follows the user-name rules of the wire (1..64 UTF-8 bytes, no control chars,
// no "/", not "." or "..", not starting with "."), else bad_request saying why.
Error checkUserName(const QString &name);

} // namespace ferry
