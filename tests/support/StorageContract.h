#pragma once
// Test support for the tests that run on every kind of Storage (tst_storagecontract, tst_storagefiles,
// tst_storageseam): a fresh one from StorageFixture for each case, with the few things a test does behind a
// storage's back.

#include "Storage.h"

#include <QTest>

namespace ferry::test {

class StorageFixture {
public:
    virtual ~StorageFixture() = default;
    // The kinds of storage the contract runs on: "local" (LocalStorage in a temporary folder) and "memory".
    static QStringList kinds();
    static std::unique_ptr<StorageFixture> make(const QString &kind);

    virtual Storage &storage() = 0;
    // Everything in the home ages by `ms` (part files become stale), as if that much time passed.
    virtual void passTime(const QString &user, qint64 ms) = 0;
    // Someone edits a file behind ferryd's back: new bytes and mtime in the same file.
    virtual void alterFile(const QString &user, const VirtualPath &path, const QByteArray &bytes, qint64 mtimeMs) = 0;
    // Where the storage keeps its data; no error message may name it (empty: nowhere to name).
    virtual QString dataLocation() const = 0;
};

// A checked virtual path from its text; aborts the test program on a bad one (a mistake in the test).
VirtualPath vp(const char *text);

// Stores a file as an upload does: a part file truncated, written, given its mtime and SHA-256, committed over
// whatever file is there. The error of the first step that fails.
Status storeFile(StorageHome &home, const VirtualPath &path, const QByteArray &bytes, qint64 mtimeMs = 1700000000000);
// The whole file, read through openRead; empty on any error.
QByteArray readAll(StorageHome &home, const VirtualPath &path);
// The names a listing gives, sorted; "<error CODE>" when it cannot be opened or fails.
QStringList listNames(const StorageHome &home, const VirtualPath &path);

// A data row per kind of storage for initTestCase_data(): every case of the test runs on each, and reads the kind
// with QFETCH_GLOBAL(QString, storage).
void addStorageRows();

// A test whose every case runs on every kind of storage, each time on a fresh one with the home of "alice" open.
class StorageTestCase : public QObject {
    Q_OBJECT

protected:
    static inline const QString Alice = QStringLiteral("alice");

    StorageFixture &fixture() { return *m_fixture; }
    StorageHome &home() { return *m_home; }
    // The code must be `code`, and the message say something without naming where the storage keeps its data.
    void expect(const Error &error, QLatin1String code);

private slots:
    void initTestCase_data() { addStorageRows(); }
    void init();
    void cleanup();

private:
    std::unique_ptr<StorageFixture> m_fixture;
    std::shared_ptr<StorageHome> m_home;
};

} // namespace ferry::test
