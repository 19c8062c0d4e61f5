#include "Sha256.h"

#include <QFile>

#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace ferry {

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
    EVP_DigestInit_ex(m_context, EVP_sha256(), nullptr);
}

void Sha256::update(const char *data, qint64 size)
{
    if (size > 0)
        EVP_DigestUpdate(m_context, data, size_t(size));
}

QByteArray Sha256::hexDigest() const
{
    // Finalise a copy so that the running hash can continue (prefix hashes on resume).
    EVP_MD_CTX *copy = EVP_MD_CTX_new();
    EVP_MD_CTX_copy_ex(copy, m_context);
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    EVP_DigestFinal_ex(copy, digest, &length);
    EVP_MD_CTX_free(copy);
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
