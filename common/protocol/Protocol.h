#pragma once
// The Ferry wire vocabulary (docs/PROTOCOL.md): limits, op names, field keys, error codes and put modes.
// Product code spells the wire only through these names; tests spell it out, so they check the contract.

#include <QLatin1String>
#include <QString>
#include <QtGlobal>

#include <optional>

namespace ferry {

namespace Limits {
constexpr int ProtocolVersion = 2;
constexpr quint16 DefaultPort = 7420;
constexpr qint64 MaxHeaderBytes = 65536;
constexpr qint64 MaxPayloadBytes = 4 * 1024 * 1024;
constexpr qint64 MaxInteger = qint64(1) << 53;
constexpr int MaxPathBytes = 4096;
constexpr int MaxSegmentBytes = 255;
constexpr int MaxUserNameBytes = 64;
constexpr int MaxListPageEntries = 1000;
constexpr int MinScramIterations = 4096;
constexpr int UnauthenticatedTimeoutMs = 30 * 1000;
// A TLS handshake that has not finished by then is dropped, like an idle unauthenticated session.
constexpr int TlsHandshakeTimeoutMs = 10 * 1000;
// Size of a data frame's payload for file transfers: large enough for loopback speed, small for memory.
constexpr qint64 DataChunkBytes = 1024 * 1024;
// Write to a socket while fewer than this many bytes are pending; continue on bytesWritten.
constexpr qint64 WriteWatermarkBytes = 4 * 1024 * 1024;
} // namespace Limits

// Names of files the server keeps for itself; a path segment starting with this is invalid on the wire.
inline constexpr QLatin1String ReservedPrefix{".ferry-"};
inline constexpr QLatin1String PartFilePrefix{".ferry-part-"};

inline constexpr QLatin1String ScramMechanism{"SCRAM-SHA-256-PLUS"};

namespace Op {
inline constexpr QLatin1String Hello{"hello"};
inline constexpr QLatin1String Auth{"auth"};
inline constexpr QLatin1String Challenge{"challenge"};
inline constexpr QLatin1String Ok{"ok"};
inline constexpr QLatin1String Error{"error"};
inline constexpr QLatin1String Ping{"ping"};
inline constexpr QLatin1String Bye{"bye"};
inline constexpr QLatin1String List{"list"};
inline constexpr QLatin1String Entries{"entries"};
inline constexpr QLatin1String Stat{"stat"};
inline constexpr QLatin1String Mkdir{"mkdir"};
inline constexpr QLatin1String Rename{"rename"};
inline constexpr QLatin1String Remove{"remove"};
inline constexpr QLatin1String Quota{"quota"};
inline constexpr QLatin1String Put{"put"};
inline constexpr QLatin1String Get{"get"};
inline constexpr QLatin1String Data{"data"};
inline constexpr QLatin1String End{"end"};
inline constexpr QLatin1String Cancel{"cancel"};
inline constexpr QLatin1String Discover{"discover"};
inline constexpr QLatin1String Here{"here"};
} // namespace Op

// Keys of frame headers (requests, replies, hello, discovery datagrams) and of listing entries.
namespace Field {
inline constexpr QLatin1String Op{"op"};
inline constexpr QLatin1String Id{"id"};
inline constexpr QLatin1String Re{"re"};
inline constexpr QLatin1String Bytes{"bytes"};
inline constexpr QLatin1String Code{"code"};
inline constexpr QLatin1String Message{"message"};
// hello and here
inline constexpr QLatin1String Proto{"proto"};
inline constexpr QLatin1String Server{"server"};
inline constexpr QLatin1String Name{"name"};
inline constexpr QLatin1String Auth{"auth"};
inline constexpr QLatin1String Tls{"tls"};
inline constexpr QLatin1String Identity{"identity"};
inline constexpr QLatin1String Fingerprint{"fingerprint"};
inline constexpr QLatin1String MaxHeader{"max_header"};
inline constexpr QLatin1String MaxPayload{"max_payload"};
inline constexpr QLatin1String Port{"port"};
// authentication and quota
inline constexpr QLatin1String Mech{"mech"};
inline constexpr QLatin1String Data{"data"};
inline constexpr QLatin1String User{"user"};
inline constexpr QLatin1String Used{"used"};
inline constexpr QLatin1String Limit{"limit"};
inline constexpr QLatin1String Needed{"needed"};
inline constexpr QLatin1String RetryAfter{"retry_after"};
// requests on paths
inline constexpr QLatin1String Path{"path"};
inline constexpr QLatin1String From{"from"};
inline constexpr QLatin1String To{"to"};
inline constexpr QLatin1String Overwrite{"overwrite"};
inline constexpr QLatin1String Parents{"parents"};
inline constexpr QLatin1String Recursive{"recursive"};
inline constexpr QLatin1String Entries{"entries"};
inline constexpr QLatin1String More{"more"};
inline constexpr QLatin1String Entry{"entry"};
// transfers
inline constexpr QLatin1String Size{"size"};
inline constexpr QLatin1String Mtime{"mtime"};
inline constexpr QLatin1String Mode{"mode"};
inline constexpr QLatin1String Offset{"offset"};
inline constexpr QLatin1String PrefixSha256{"prefix_sha256"};
inline constexpr QLatin1String Sha256{"sha256"};
inline constexpr QLatin1String Target{"target"};
inline constexpr QLatin1String Discard{"discard"};
// an entry E = {name, type, size, mtime}
inline constexpr QLatin1String Type{"type"};
} // namespace Field

// Values of an entry's "type".
namespace EntryType {
inline constexpr QLatin1String File{"file"};
inline constexpr QLatin1String Dir{"dir"};
} // namespace EntryType

// A put's "mode": what happens when the target or a part file for it exists.
enum class PutMode { New, Overwrite, Resume };

inline QLatin1String putModeName(PutMode mode)
{
    switch (mode) {
    case PutMode::New:
        return QLatin1String("new");
    case PutMode::Overwrite:
        return QLatin1String("overwrite");
    case PutMode::Resume:
        break;
    }
    return QLatin1String("resume");
}

// nullopt for anything but the three names.
inline std::optional<PutMode> parsePutMode(const QString &name)
{
    for (PutMode mode : {PutMode::New, PutMode::Overwrite, PutMode::Resume}) {
        if (name == putModeName(mode))
            return mode;
    }
    return std::nullopt;
}

namespace ErrorCode {
inline constexpr QLatin1String BadRequest{"bad_request"};
inline constexpr QLatin1String Unsupported{"unsupported"};
inline constexpr QLatin1String NotAuthenticated{"not_authenticated"};
inline constexpr QLatin1String AuthFailed{"auth_failed"};
inline constexpr QLatin1String Throttled{"throttled"};
inline constexpr QLatin1String InvalidPath{"invalid_path"};
inline constexpr QLatin1String PermissionDenied{"permission_denied"};
inline constexpr QLatin1String NotFound{"not_found"};
inline constexpr QLatin1String Exists{"exists"};
inline constexpr QLatin1String NotADirectory{"not_a_directory"};
inline constexpr QLatin1String IsADirectory{"is_a_directory"};
inline constexpr QLatin1String NotEmpty{"not_empty"};
inline constexpr QLatin1String Busy{"busy"};
inline constexpr QLatin1String QuotaExceeded{"quota_exceeded"};
inline constexpr QLatin1String SizeMismatch{"size_mismatch"};
inline constexpr QLatin1String ChecksumMismatch{"checksum_mismatch"};
inline constexpr QLatin1String ResumeMismatch{"resume_mismatch"};
inline constexpr QLatin1String Cancelled{"cancelled"};
inline constexpr QLatin1String IoError{"io_error"};
inline constexpr QLatin1String ProtocolError{"protocol_error"};
// Sent (with "re": null) instead of hello when the server or this address has too many sessions.
inline constexpr QLatin1String TooManySessions{"too_many_sessions"};
// Client-side only (never on the wire): the connection failed or dropped.
inline constexpr QLatin1String ConnectionLost{"connection_lost"};
// Client-side only: the server's TLS identity is not one the user accepted (unknown or changed).
inline constexpr QLatin1String IdentityUnknown{"identity_unknown"};
inline constexpr QLatin1String IdentityChanged{"identity_changed"};
} // namespace ErrorCode

// Keys of Result::extra that only the client engine sets (never on the wire).
namespace ErrorExtra {
// Set on auth_failed when the server's SCRAM signature did not verify (the server is not who it claims).
inline constexpr QLatin1String ServerSignature{"server_signature"};
// Set (true) on busy when the lock is on this machine (a part file another client process holds), so
// waiting for the server would not help.
inline constexpr QLatin1String Local{"local"};
} // namespace ErrorExtra

} // namespace ferry
