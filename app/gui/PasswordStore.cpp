#include "PasswordStore.h"

#ifdef FERRY_HAVE_KEYCHAIN
#include <qt6keychain/keychain.h>
#endif

namespace ferry::gui {

namespace {
const QString ServiceName = QStringLiteral("Ferry");
}

#ifdef FERRY_HAVE_KEYCHAIN

namespace {
// Errors that mean there is no keyring to talk to (no Secret Service on the session bus answers with
// OtherError, "Unknown error"), as opposed to a missing entry.
bool meansNoKeyring(QKeychain::Error error)
{
    return error == QKeychain::NoBackendAvailable || error == QKeychain::NotImplemented
           || error == QKeychain::OtherError;
}
} // namespace

PasswordStore::PasswordStore(QObject *parent, bool useKeyring) : QObject(parent), m_available(useKeyring)
{
    if (!m_available)
        return;
    // Ask once at start whether a keyring answers, so "Remember" is not offered where it cannot work.
    auto *probe = new QKeychain::ReadPasswordJob(ServiceName, this);
    probe->setInsecureFallback(false);
    probe->setKey(QStringLiteral("ferry-keyring-probe"));
    connect(probe, &QKeychain::Job::finished, this, [this, probe] {
        if (meansNoKeyring(probe->error()))
            setUnavailable();
    });
    probe->start();
}

void PasswordStore::setUnavailable()
{
    if (!m_available)
        return;
    m_available = false;
    emit availabilityChanged(false);
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
        if (meansNoKeyring(job->error()))
            setUnavailable();
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
        if (meansNoKeyring(job->error())) {
            setUnavailable();
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

void PasswordStore::setUnavailable()
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
