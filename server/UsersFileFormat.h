#pragma once
// The JSON of <dataDir>/users.json, version 1; the field names live here and nowhere else:
//   {"version":1,"users":[{"name","salt","iterations","stored_key","server_key","quota":bytes|null}]}
// salt and keys in base64, quota null for unlimited. Only SCRAM's derived keys: never a password.

#include "AccountStore.h"

#include <QMap>

namespace ferry::UsersFileFormat {

// The accounts by name, or io_error with a sentence naming `path` and what is wrong in it.
Result<QMap<QString, UserAccount>> parse(const QByteArray &bytes, const QString &path);
QByteArray serialize(const QMap<QString, UserAccount> &users);
// What makes an account unfit to store (too few iterations, wrong key sizes, negative quota); empty when fine.
QString accountProblem(const UserAccount &account);

} // namespace ferry::UsersFileFormat
