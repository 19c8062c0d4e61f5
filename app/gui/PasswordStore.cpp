#include "PasswordStore.h"

#ifdef FERRY_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace ferry::gui {

namespace {
const QString ServiceName = QStringLiteral("Ferry");
}

#ifdef FERRY_HAVE_KEYCHAIN

PasswordStore::PasswordStore(QObject *parent, bool useKeyring) : QObject(parent), m_available(useKeyring)
{
}

void PasswordStore::read(const QString &key, std::function<void(std::optional<QString>)> done)
{
    if (!m_available) {
        done(std::nullopt);
        return;
    }
    auto *job = new QKeychain::ReadPasswordJob(ServiceName, this);
    job->setInsecureFallback(false);   // never a plain-text copy
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [this, job, done] {
        if (job->error() == QKeychain::NoBackendAvailable || job->error() == QKeychain::NotImplemented)
            m_available = false;
        done(job->error() == QKeychain::NoError ? std::optional<QString>(job->textData()) : std::nullopt);
    });
    job->start();
}

void PasswordStore::write(const QString &key, const QString &password, std::function<void(const QString &)> done)
{
    if (!m_available) {
        const QString reason = tr("The system keyring is not available, so the password was not saved.");
        emit notSaved(reason);
        if (done)
            done(reason);
        return;
    }
    auto *job = new QKeychain::WritePasswordJob(ServiceName, this);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->setTextData(password);
    connect(job, &QKeychain::Job::finished, this, [this, job, done] {
        QString error;
        if (job->error() == QKeychain::NoBackendAvailable || job->error() == QKeychain::NotImplemented) {
            m_available = false;
            error = tr("The system keyring is not available, so the password was not saved.");
        } else if (job->error() != QKeychain::NoError) {
            error = tr("The password was not saved in the system keyring: %1").arg(job->errorString());
        }
        if (!error.isEmpty())
            emit notSaved(error);
        if (done)
            done(error);
    });
    job->start();
}

void PasswordStore::remove(const QString &key)
{
    if (!m_available)
        return;
    auto *job = new QKeychain::DeletePasswordJob(ServiceName, this);
    job->setInsecureFallback(false);
    job->setKey(key);
    job->start();
}

#else

PasswordStore::PasswordStore(QObject *parent, bool) : QObject(parent), m_available(false)
{
}

void PasswordStore::read(const QString &, std::function<void(std::optional<QString>)> done)
{
    done(std::nullopt);
}

void PasswordStore::write(const QString &, const QString &, std::function<void(const QString &)> done)
{
    const QString reason = tr("This build of Ferry cannot use the system keyring, so the password was not saved.");
    emit notSaved(reason);
    if (done)
        done(reason);
}

void PasswordStore::remove(const QString &)
{
}

#endif

} // namespace ferry::gui
