#include "ServerIdentity.h"

#include <QCryptographicHash>
#include <QSslCertificate>

#include <openssl/x509.h>

namespace ferry {

namespace {

const char CrockfordAlphabet[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
constexpr int CodeBits = 80;

// The DER SubjectPublicKeyInfo of a DER certificate, through OpenSSL (Qt has no accessor for it).
QByteArray subjectPublicKeyInfo(const QByteArray &certificateDer)
{
    const auto *bytes = reinterpret_cast<const unsigned char *>(certificateDer.constData());
    X509 *x509 = d2i_X509(nullptr, &bytes, long(certificateDer.size()));
    if (!x509)
        return {};
    QByteArray spki;
    unsigned char *out = nullptr;
    const int length = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(x509), &out);
    if (length > 0)
        spki = QByteArray(reinterpret_cast<const char *>(out), length);
    OPENSSL_free(out);
    X509_free(x509);
    return spki;
}

} // namespace

ServerIdentity ServerIdentity::fromDigest(const QByteArray &digest)
{
    ServerIdentity identity;
    if (digest.size() == 32)
        identity.m_digest = digest;
    return identity;
}

ServerIdentity ServerIdentity::fromCertificate(const QSslCertificate &certificate)
{
    return certificate.isNull() ? ServerIdentity() : fromCertificateDer(certificate.toDer());
}

ServerIdentity ServerIdentity::fromCertificateDer(const QByteArray &der)
{
    const QByteArray spki = subjectPublicKeyInfo(der);
    return spki.isEmpty() ? ServerIdentity() : fromDigest(QCryptographicHash::hash(spki, QCryptographicHash::Sha256));
}

ServerIdentity ServerIdentity::fromFingerprint(const QString &hex)
{
    if (hex.size() != 64)
        return {};
    for (const QChar c : hex) {
        if (!((c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f') || (c >= u'A' && c <= u'F')))
            return {};
    }
    return fromDigest(QByteArray::fromHex(hex.toLatin1()));
}

QString ServerIdentity::fingerprint() const
{
    return QString::fromLatin1(m_digest.toHex());
}

QString ServerIdentity::code() const
{
    if (!isValid())
        return {};
    QString code;
    // 80 bits = 16 groups of 5, most significant bit first.
    for (int group = 0; group < CodeBits / 5; ++group) {
        int value = 0;
        for (int bit = group * 5; bit < group * 5 + 5; ++bit)
            value = (value << 1) | ((quint8(m_digest.at(bit / 8)) >> (7 - bit % 8)) & 1);
        if (group > 0 && group % 4 == 0)
            code += u'-';
        code += QLatin1Char(CrockfordAlphabet[value]);
    }
    return code;
}

QString ServerIdentity::normalizeCode(const QString &typed)
{
    QString letters;
    for (const QChar c : typed) {
        if (c == u'-' || c.isSpace())
            continue;
        QChar upper = c.toUpper();
        // Crockford's decoding rules: O reads as 0, I and L as 1.
        if (upper == u'O')
            upper = u'0';
        else if (upper == u'I' || upper == u'L')
            upper = u'1';
        if (!QByteArray(CrockfordAlphabet).contains(char(upper.toLatin1())) || upper.unicode() > 0x7f)
            return {};
        letters += upper;
    }
    if (letters.size() != CodeBits / 5)
        return {};
    return letters.mid(0, 4) + u'-' + letters.mid(4, 4) + u'-' + letters.mid(8, 4) + u'-' + letters.mid(12, 4);
}

QByteArray tlsServerEndPoint(const QSslCertificate &certificate)
{
    return certificate.isNull() ? QByteArray() : tlsServerEndPointFromDer(certificate.toDer());
}

QByteArray tlsServerEndPointFromDer(const QByteArray &certificateDer)
{
    return certificateDer.isEmpty() ? QByteArray() : QCryptographicHash::hash(certificateDer, QCryptographicHash::Sha256);
}

} // namespace ferry
