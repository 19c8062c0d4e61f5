#pragma once
// Passwords of saved connections, only in the system keyring (QtKeychain: Secret Service, KWallet,
// macOS Keychain, Windows Credential Store). There is no plain-text fallback: without a working keyring
// (or a build without QtKeychain) nothing is stored and the user types the password each time.

#include <QObject>

#include <functional>
#include <optional>

namespace ferry::gui {

class PasswordStore : public QObject {
    Q_OBJECT
public:
    // useKeyring false: never touch the keyring (tests, or a user who said no).
    explicit PasswordStore(QObject *parent = nullptr, bool useKeyring = true);

    // False when built without QtKeychain or after the keyring said it is not there.
    bool isAvailable() const { return m_available; }

    // `done` gets the password, or nullopt when there is none (or no keyring).
    void read(const QString &key, std::function<void(std::optional<QString>)> done);
    // `done` gets an empty string on success, else why it failed (in plain words).
    void write(const QString &key, const QString &password, std::function<void(const QString &error)> done = {});
    void remove(const QString &key);

signals:
    // A password the user asked to remember could not be stored (in plain words, for the message bar).
    void notSaved(const QString &reason);
    // The keyring turned out not to answer (probed at start, or on first use).
    void availabilityChanged(bool available);

private:
    void setUnavailable();

    bool m_available;
};

} // namespace ferry::gui
