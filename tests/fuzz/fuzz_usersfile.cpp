// Fuzzes the users file parser (server/UsersFileFormat.*) with arbitrary file contents. Invariants:
//  - a refused file is io_error with a message naming the file;
//  - every accepted account is fit to store (accountProblem() is empty);
//  - what was accepted serializes to a file that parses back to the same accounts, and that file
//    serializes to the very same bytes (serialize is canonical).

#include "FuzzCheck.h"
#include "Protocol.h"
#include "UsersFileFormat.h"

#include <cstdint>

using namespace ferry;

namespace {

const QString FilePath = QStringLiteral("/fuzz/users.json");

bool sameAccount(const UserAccount &a, const UserAccount &b)
{
    return a.name == b.name && a.quotaBytes == b.quotaBytes && a.credentials.salt == b.credentials.salt
        && a.credentials.iterations == b.credentials.iterations
        && a.credentials.storedKey == b.credentials.storedKey && a.credentials.serverKey == b.credentials.serverKey;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char *>(data), qsizetype(size));
    const Result<QMap<QString, UserAccount>> users = UsersFileFormat::parse(bytes, FilePath);
    if (!users) {
        FUZZ_CHECK(users.error().code == ErrorCode::IoError);
        FUZZ_CHECK(users.error().message.contains(FilePath));
        return 0;
    }
    for (auto it = users->cbegin(); it != users->cend(); ++it) {
        FUZZ_CHECK(it.key() == it->name);
        FUZZ_CHECK(UsersFileFormat::accountProblem(*it).isEmpty());
    }

    const QByteArray written = UsersFileFormat::serialize(*users);
    const Result<QMap<QString, UserAccount>> reread = UsersFileFormat::parse(written, FilePath);
    FUZZ_CHECK(reread.ok());
    FUZZ_CHECK(reread->size() == users->size());
    for (auto it = users->cbegin(); it != users->cend(); ++it) {
        FUZZ_CHECK(reread->contains(it.key()));
        FUZZ_CHECK(sameAccount(*it, reread->value(it.key())));
    }
    FUZZ_CHECK(UsersFileFormat::serialize(*reread) == written);
    return 0;
}
