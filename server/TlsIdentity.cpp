#include "TlsIdentity.h"

#include "Protocol.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <memory>

namespace ferry {

namespace {

constexpr long ValidityDays = 100L * 365;   // identity is the key, not the dates: clients ignore them

template <typename T, void (*Free)(T *)>
struct Deleter {
    void operator()(T *p) const { Free(p); }
};
using KeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using CertPtr = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;

Error ioError(const QString &message)
{
    return Error::make(ErrorCode::IoError, message);
}

QByteArray bioBytes(BIO *bio)
{
    char *data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, int(size));
}

// A self-signed certificate for the key; its fields carry no meaning (clients check the key alone).
CertPtr makeCertificate(EVP_PKEY *key)
{
    CertPtr cert(X509_new());
    unsigned char serial[16];
    RAND_bytes(serial, sizeof serial);
    serial[0] &= 0x7f;   // positive
    BIGNUM *number = BN_bin2bn(serial, sizeof serial, nullptr);
    BN_to_ASN1_INTEGER(number, X509_get_serialNumber(cert.get()));
    BN_free(number);
    X509_set_version(cert.get(), 2);
    X509_gmtime_adj(X509_getm_notBefore(cert.get()), -24 * 3600);
    X509_time_adj_ex(X509_getm_notAfter(cert.get()), int(ValidityDays), 0, nullptr);
    X509_set_pubkey(cert.get(), key);
    X509_NAME *name = X509_get_subject_name(cert.get());
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char *>("ferryd"), -1, -1, 0);
    X509_set_issuer_name(cert.get(), name);
    if (X509_sign(cert.get(), key, EVP_sha256()) <= 0)
        return nullptr;
    return cert;
}

// Writes a new file that nobody else can read, refusing to replace an existing one.
Status writeNewPrivateFile(const QString &path, const QByteArray &bytes)
{
    const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return ioError(QStringLiteral("cannot create %1: %2").arg(path, QString::fromLocal8Bit(strerror(errno))));
    const bool ok = ::write(fd, bytes.constData(), size_t(bytes.size())) == bytes.size() && ::fsync(fd) == 0;
    ::close(fd);
    if (!ok)
        return ioError(QStringLiteral("cannot write %1").arg(path));
    return {};
}

Status create(const QString &dataDir)
{
    KeyPtr key(EVP_EC_gen("P-256"));
    if (!key)
        return ioError(QStringLiteral("cannot generate an ECDSA P-256 key"));
    CertPtr cert = makeCertificate(key.get());
    if (!cert)
        return ioError(QStringLiteral("cannot sign the TLS certificate"));
    BioPtr keyBio(BIO_new(BIO_s_mem()));
    BioPtr certBio(BIO_new(BIO_s_mem()));
    if (!PEM_write_bio_PrivateKey(keyBio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr)
        || !PEM_write_bio_X509(certBio.get(), cert.get()))
        return ioError(QStringLiteral("cannot encode the TLS key"));
    // The certificate goes first: a crash between the two leaves no key, so the next start begins again.
    QSaveFile certFile(TlsIdentity::certificatePath(dataDir));
    if (!certFile.open(QIODevice::WriteOnly) || certFile.write(bioBytes(certBio.get())) < 0 || !certFile.commit())
        return ioError(QStringLiteral("cannot write %1").arg(TlsIdentity::certificatePath(dataDir)));
    return writeNewPrivateFile(TlsIdentity::keyPath(dataDir), bioBytes(keyBio.get()));
}

Status checkKeyMode(const QString &path)
{
    struct stat info {};
    if (::lstat(QFile::encodeName(path).constData(), &info) != 0)
        return ioError(QStringLiteral("cannot read %1: %2").arg(path, QString::fromLocal8Bit(strerror(errno))));
    if (!S_ISREG(info.st_mode))
        return ioError(QStringLiteral("%1 is not a regular file").arg(path));
    if (info.st_mode & 0077)
        return Error::make(ErrorCode::PermissionDenied,
                           QStringLiteral("the TLS private key %1 is readable by other users (mode %2); "
                                          "run: chmod 600 %1")
                               .arg(path)
                               .arg(info.st_mode & 0777, 4, 8, QLatin1Char('0')));
    return {};
}

} // namespace

QString TlsIdentity::keyPath(const QString &dataDir)
{
    return dataDir + QStringLiteral("/tls/server.key");
}

QString TlsIdentity::certificatePath(const QString &dataDir)
{
    return dataDir + QStringLiteral("/tls/server.crt");
}

Result<TlsIdentity> TlsIdentity::load(const QString &dataDir)
{
    const QString path = keyPath(dataDir);
    if (!QFileInfo::exists(path))
        return Error::make(ErrorCode::NotFound, QStringLiteral("there is no TLS key in %1 yet (start ferryd once)").arg(dataDir));
    if (const Status mode = checkKeyMode(path); !mode)
        return mode.error();
    QFile keyFile(path);
    if (!keyFile.open(QIODevice::ReadOnly))
        return ioError(QStringLiteral("cannot read %1: %2").arg(path, keyFile.errorString()));
    const QByteArray keyPem = keyFile.readAll();
    BioPtr keyBio(BIO_new_mem_buf(keyPem.constData(), int(keyPem.size())));
    KeyPtr key(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr));
    if (!key || EVP_PKEY_get_base_id(key.get()) != EVP_PKEY_EC)
        return ioError(QStringLiteral("the TLS private key %1 is corrupt (not a PEM EC key). It was left as it is: "
                                      "restore it from a backup, or move it away to make a new identity "
                                      "(clients will then see a changed identity)").arg(path));
    QFile certFile(certificatePath(dataDir));
    QByteArray certPem = certFile.open(QIODevice::ReadOnly) ? certFile.readAll() : QByteArray();
    BioPtr certBio(BIO_new_mem_buf(certPem.constData(), int(certPem.size())));
    CertPtr cert(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr));
    if (!cert || X509_check_private_key(cert.get(), key.get()) != 1) {
        // The certificate is derived data: remake it for the same key, so the identity stays.
        cert = makeCertificate(key.get());
        BioPtr out(BIO_new(BIO_s_mem()));
        if (!cert || !PEM_write_bio_X509(out.get(), cert.get()))
            return ioError(QStringLiteral("cannot sign the TLS certificate"));
        certPem = bioBytes(out.get());
        QSaveFile save(certificatePath(dataDir));
        if (!save.open(QIODevice::WriteOnly) || save.write(certPem) < 0 || !save.commit())
            return ioError(QStringLiteral("cannot write %1").arg(certificatePath(dataDir)));
    }
    TlsIdentity identity;
    identity.privateKey = QSslKey(keyPem, QSsl::Ec, QSsl::Pem, QSsl::PrivateKey);
    identity.certificate = QSslCertificate(certPem, QSsl::Pem);
    if (identity.privateKey.isNull() || identity.certificate.isNull())
        return ioError(QStringLiteral("Qt's TLS backend cannot use the key in %1").arg(path));
    return identity;
}

Result<TlsIdentity> TlsIdentity::loadOrCreate(const QString &dataDir)
{
    if (!QDir().mkpath(dataDir + QStringLiteral("/tls")))
        return ioError(QStringLiteral("cannot create %1/tls").arg(dataDir));
    QFile::setPermissions(dataDir + QStringLiteral("/tls"), QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
    if (!QFileInfo::exists(keyPath(dataDir))) {
        if (const Status created = create(dataDir); !created)
            return created.error();
    }
    return load(dataDir);
}

} // namespace ferry
