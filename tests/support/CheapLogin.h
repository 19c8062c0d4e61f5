#pragma once
// Test support: an account whose login costs the fewest PBKDF2 rounds ferryd accepts (4096, not the 100 000
// of a real account), for tests that bound a session's time before login or while idle: there the client's
// key derivation (hundreds of ms of CPU, seconds on a loaded or sanitized run) must not race the limit.

#include "Protocol.h"
#include "ScramPrimitives.h"
#include "ScramServer.h"
#include "TestServer.h"
#include "UsersFile.h"

#include <QDir>

namespace ferry::test {

inline bool addCheapLoginUser(const TestServer &server, const QString &name, const QString &password)
{
    const ScramCredentials credentials =
        ScramCredentials::derive(password, scram::randomBytes(scram::SaltBytes), Limits::MinScramIterations);
    UsersFile users(server.dataDir());
    const Status status = users.add(UserAccount{name, credentials, std::nullopt});
    if (!status) {
        qWarning("addCheapLoginUser(%s): %s", qPrintable(name), qPrintable(status.error().message));
        return false;
    }
    return QDir().mkpath(server.home(name));
}

} // namespace ferry::test
