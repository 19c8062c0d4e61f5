#pragma once
// A ferryd's identity (docs/PROTOCOL.md, "Transport security"): SHA-256 of its certificate's DER
// SubjectPublicKeyInfo, shown as 64 hex digits (fingerprint) and as a short code people compare
// (first 80 bits in Crockford base32, "XXXX-XXXX-XXXX-XXXX"). Also the tls-server-end-point channel
// binding data (RFC 5929), which hashes the whole certificate instead.

#include <QByteArray>
#include <QString>

class QSslCertificate;

namespace ferry {

class ServerIdentity {
public:
    ServerIdentity() = default;
    // From the raw 32-byte SHA-256 of the SubjectPublicKeyInfo.
    static ServerIdentity fromDigest(const QByteArray &digest);
    // From a certificate; an invalid identity when the certificate cannot be parsed.
    static ServerIdentity fromCertificate(const QSslCertificate &certificate);
    static ServerIdentity fromCertificateDer(const QByteArray &der);
    // From 64 hex digits (as stored by clients); invalid on anything else.
    static ServerIdentity fromFingerprint(const QString &hex);

    bool isValid() const { return m_digest.size() == 32; }
    QByteArray digest() const { return m_digest; }
    QString fingerprint() const;   // 64 lowercase hex digits
    QString code() const;          // e.g. "7Q2M-K9XD-4RTA-HW3E"

    bool operator==(const ServerIdentity &other) const { return m_digest == other.m_digest; }
    bool operator!=(const ServerIdentity &other) const { return !(*this == other); }

    // "7q2m k9xd…" or "7Q2MK9XD…" as typed by a person, to the canonical code; empty when not a code.
    static QString normalizeCode(const QString &typed);

private:
    QByteArray m_digest;
};

// tls-server-end-point channel binding data: SHA-256 of the certificate's DER encoding.
QByteArray tlsServerEndPoint(const QSslCertificate &certificate);
QByteArray tlsServerEndPointFromDer(const QByteArray &certificateDer);

} // namespace ferry
