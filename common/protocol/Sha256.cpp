#include "Sha256.h"

#include <QFile>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace ferry {

namespace {
// Fetched once: EVP_sha256() makes OpenSSL 3 look the implementation up again at every init, and a transfer
// of many small files starts (and finishes) a hash per file on each side.
const EVP_MD *sha256Algorithm()
{
    static EVP_MD *const algorithm = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return algorithm ? algorithm : EVP_sha256();
}
} // namespace

Sha256::Sha256() : m_context(EVP_MD_CTX_new())
{
    reset();
}

Sha256::~Sha256()
{
    EVP_MD_CTX_free(m_context);
}

Sha256::Sha256(const Sha256 &other) : m_context(EVP_MD_CTX_new())
{
    EVP_MD_CTX_copy_ex(m_context, other.m_context);
}

Sha256 &Sha256::operator=(const Sha256 &other)
{
    if (this != &other)
        EVP_MD_CTX_copy_ex(m_context, other.m_context);
    return *this;
}

void Sha256::reset()
{
    EVP_DigestInit_ex(m_context, sha256Algorithm(), nullptr);
}

void Sha256::update(const char *data, qint64 size)
{
    if (size > 0)
        EVP_DigestUpdate(m_context, data, size_t(size));
}

QByteArray Sha256::hexDigest() const
{
    // Finalise a copy so that the running hash can continue (prefix hashes on resume). The copy's context is the
    // thread's own, kept: one allocation per thread instead of one per digest.
    thread_local const std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX *)> copy(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    EVP_MD_CTX_copy_ex(copy.get(), m_context);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(copy.get(), digest, &length);
    return QByteArray(reinterpret_cast<const char *>(digest), int(length)).toHex();
}

QByteArray Sha256::hex(const QByteArray &data)
{
    Sha256 hash;
    hash.update(data);
    return hash.hexDigest();
}

bool Sha256::addFile(Sha256 &hash, const QString &path, qint64 length)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    QByteArray buffer(1024 * 1024, Qt::Uninitialized);
    qint64 remaining = length < 0 ? file.size() : length;
    while (remaining > 0) {
        const qint64 read = file.read(buffer.data(), qMin<qint64>(remaining, buffer.size()));
        if (read <= 0)
            return false;
        hash.update(buffer.constData(), read);
        remaining -= read;
    }
    return true;
}

QByteArray Sha256::hexOfFile(const QString &path, qint64 length)
{
    Sha256 hash;
    if (!addFile(hash, path, length))
        return {};
    return hash.hexDigest();
}

bool constantTimeEquals(const QByteArray &a, const QByteArray &b)
{
    if (a.size() != b.size())
        return false;
    return CRYPTO_memcmp(a.constData(), b.constData(), size_t(a.size())) == 0;
}

} // namespace ferry
