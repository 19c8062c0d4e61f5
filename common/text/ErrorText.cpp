#include "ErrorText.h"

#include "Frame.h"
#include "Protocol.h"
#include "SizeText.h"

#include <QCoreApplication>

namespace ferry {

namespace {

// The server's own words, for codes whose details only it knows (an OS error, a malformed field).
QString withDetail(const QString &phrase, const Error &error)
{
    return error.message.isEmpty() ? phrase : ErrorText::tr("%1 (%2)").arg(phrase, error.message);
}

} // namespace

QString ErrorText::reason(const Error &error)
{
    const QString &code = error.code;
    if (code == ErrorCode::NotFound)
        return tr("no such file or folder");
    if (code == ErrorCode::Exists)
        return tr("already exists");
    if (code == ErrorCode::NotADirectory)
        return tr("not a folder");
    if (code == ErrorCode::IsADirectory)
        return tr("is a folder");
    if (code == ErrorCode::NotEmpty)
        return tr("folder is not empty");
    if (code == ErrorCode::InvalidPath)
        return tr("not a valid path (names cannot be empty, \".\" or \"..\", contain \"/\" or control "
                  "characters, or start with \".ferry-\")");
    if (code == ErrorCode::PermissionDenied)
        return tr("permission denied");
    if (code == ErrorCode::Busy && error.extra.value(ErrorExtra::Local).toBool())
        return tr("another transfer on this computer is downloading to this file right now");
    if (code == ErrorCode::Busy)
        return tr("another session is writing this file right now");
    if (code == ErrorCode::QuotaExceeded) {
        const std::optional<qint64> needed = jsonInteger(error.extra, Field::Needed);
        return needed ? tr("not enough space left in your quota (%1 more needed)").arg(formatSize(*needed))
                      : tr("not enough space left in your quota");
    }
    if (code == ErrorCode::SizeMismatch)
        return tr("the file's size changed during the transfer");
    if (code == ErrorCode::ChecksumMismatch)
        return tr("the data arrived damaged (checksum mismatch)");
    if (code == ErrorCode::ResumeMismatch)
        return tr("the partial file no longer matches the original, so it cannot be resumed");
    if (code == ErrorCode::Cancelled)
        return tr("cancelled");
    if (code == ErrorCode::IoError)
        return withDetail(tr("the server could not read or write its disk"), error);
    if (code == ErrorCode::NotAuthenticated)
        return tr("not logged in");
    if (code == ErrorCode::AuthFailed || code == ErrorCode::Throttled)
        return loginReason(error);
    if (code == ErrorCode::BadRequest)
        return withDetail(tr("the server did not understand the request"), error);
    if (code == ErrorCode::Unsupported)
        return tr("the server does not support this operation");
    if (code == ErrorCode::ProtocolError)
        return withDetail(tr("the server broke the protocol"), error);
    if (code == ErrorCode::ConnectionLost)   // the engine's message already names the server and the cause
        return error.message.isEmpty() ? tr("the connection to the server was lost") : error.message;
    // A code newer than this client: say what the server said.
    return withDetail(tr("the server refused (%1)").arg(code), error);
}

QString ErrorText::loginReason(const Error &error)
{
    if (error.code == ErrorCode::AuthFailed) {
        if (error.extra.contains(ErrorExtra::ServerSignature))
            return tr("the server could not prove that it knows your password; it may be an impostor");
        return tr("wrong user name or password");
    }
    if (error.code == ErrorCode::Throttled) {
        const std::optional<qint64> seconds = jsonInteger(error.extra, Field::RetryAfter);
        return seconds ? tr("too many failed logins from this address; try again in %1 s").arg(*seconds)
                       : tr("too many failed logins from this address; try again later");
    }
    return reason(error);
}

} // namespace ferry
