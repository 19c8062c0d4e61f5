#pragma once
// The SCRAM salt and iteration count each account's server named at its last login, per "user@host:port", so
// that the next login can derive its salted password (PBKDF2, ~14 ms here for WIRE.md's 100 000 rounds)
// while the connection is being made instead of after the server's challenge. Nothing secret: a server
// names them to whoever tries to log in as that user; no password or key derived from one is written.
// A JSON object {"user@host:port": {"salt": "<base64>", "i": N}} in the user's config folder, written
// atomically, only when a server names another salt.

#include "ConnectionParams.h"
#include "Scram.h"

#include <QString>

namespace ferry {

class LoginSalts {
public:
    // path empty: login_salts.json in QStandardPaths::AppConfigLocation.
    explicit LoginSalts(const QString &path = {});
    static QString defaultPath();
    QString path() const { return m_path; }

    // Invalid when none is known (or the file is unreadable: the login then derives it after the challenge).
    ScramSalt find(const ConnectionParams &account) const;
    // False when the file cannot be written: logins then derive the salted password after the challenge.
    bool remember(const ConnectionParams &account, const ScramSalt &salt);

private:
    static QString key(const ConnectionParams &account);

    QString m_path;
};

} // namespace ferry
