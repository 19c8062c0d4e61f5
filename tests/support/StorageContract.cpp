#include "StorageContract.h"

#include "LocalStorage.h"
#include "MemoryStorage.h"
#include "Sha256.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QTemporaryDir>

#include <fcntl.h>
#include <sys/stat.h>

namespace ferry::test {

namespace {

void setMtimeNs(const QString &path, qint64 ns)
{
    const struct timespec times[2] = {{0, UTIME_OMIT}, {time_t(ns / 1000000000), long(ns % 1000000000)}};
    if (::utimensat(AT_FDCWD, QFile::encodeName(path).constData(), times, AT_SYMLINK_NOFOLLOW) != 0)
        qFatal("cannot set the mtime of %s", qPrintable(path));
}

class LocalFixture : public StorageFixture {
public:
    LocalFixture() : m_homes(m_root.path() + QStringLiteral("/homes")), m_storage(m_homes) { QDir().mkpath(m_homes); }
    ~LocalFixture() override
    {
        // A file a commit replaced is deleted on LocalStorage's reclaim thread, maybe while the folder is removed.
        if (!QTest::qWaitFor([this] { return QDir(m_root.path()).removeRecursively(); }, 10000))
            qWarning("cannot remove %s", qPrintable(m_root.path()));
    }

    Storage &storage() override { return m_storage; }
    void passTime(const QString &user, qint64 ms) override
    {
        QDirIterator files(m_homes + u'/' + user, QDir::Files | QDir::Hidden | QDir::System, QDirIterator::Subdirectories);
        while (files.hasNext()) {
            const QString path = files.next();
            struct stat info {};
            if (::lstat(QFile::encodeName(path).constData(), &info) == 0)
                setMtimeNs(path, qint64(info.st_mtim.tv_sec) * 1000000000 + info.st_mtim.tv_nsec - ms * 1000000);
        }
    }
    void alterFile(const QString &user, const VirtualPath &path, const QByteArray &bytes, qint64 mtimeMs) override
    {
        const QString file = m_homes + u'/' + user + path.toString();
        QFile edited(file);
        if (!edited.open(QIODevice::WriteOnly | QIODevice::Truncate) || edited.write(bytes) != bytes.size())
            qFatal("cannot alter %s", qPrintable(file));
        edited.close();
        setMtimeNs(file, mtimeMs * 1000000);
    }
    QString dataLocation() const override { return m_root.path(); }

private:
    QTemporaryDir m_root;
    QString m_homes;
    LocalStorage m_storage;
};

class MemoryFixture : public StorageFixture {
public:
    Storage &storage() override { return m_storage; }
    void passTime(const QString &, qint64 ms) override { m_storage.passTime(ms); }
    void alterFile(const QString &user, const VirtualPath &path, const QByteArray &bytes, qint64 mtimeMs) override
    {
        if (!m_storage.alterFile(user, path, bytes, mtimeMs))
            qFatal("cannot alter %s", qPrintable(path.toString()));
    }
    QString dataLocation() const override { return {}; }

private:
    MemoryStorage m_storage;
};

} // namespace

QStringList StorageFixture::kinds()
{
    return {QStringLiteral("local"), QStringLiteral("memory")};
}

std::unique_ptr<StorageFixture> StorageFixture::make(const QString &kind)
{
    if (kind == QLatin1String("local"))
        return std::make_unique<LocalFixture>();
    if (kind == QLatin1String("memory"))
        return std::make_unique<MemoryFixture>();
    qFatal("no storage of kind %s", qPrintable(kind));
}

VirtualPath vp(const char *text)
{
    const Result<VirtualPath> path = VirtualPath::fromWire(QString::fromUtf8(text));
    if (!path)
        qFatal("bad test path %s", text);
    return *path;
}

Status storeFile(StorageHome &home, const VirtualPath &path, const QByteArray &bytes, qint64 mtimeMs)
{
    Result<std::unique_ptr<PartFile>> opened = home.openPart(path, StorageHome::PartMode::Truncate);
    if (!opened)
        return opened.error();
    PartFile &part = **opened;
    if (const Status appended = part.append(bytes); !appended)
        return appended;
    if (const Status finished = part.finishWrites(); !finished)
        return finished;
    part.setMtime(mtimeMs);
    part.setKnownSha256(Sha256::hex(bytes));
    const Result<qint64> committed = part.commit(true);
    return committed ? Status::success() : Status(committed.error());
}

QByteArray readAll(StorageHome &home, const VirtualPath &path)
{
    const Result<std::unique_ptr<ReadFile>> file = home.openRead(path);
    if (!file)
        return {};
    QByteArray bytes((*file)->size(), Qt::Uninitialized);
    return (*file)->readAt(bytes.data(), bytes.size(), 0) == bytes.size() ? bytes : QByteArray();
}

QStringList listNames(const StorageHome &home, const VirtualPath &path)
{
    Result<std::unique_ptr<DirectoryCursor>> cursor = home.openDirectory(path);
    if (!cursor)
        return {QStringLiteral("<error ") + cursor.error().code + u'>'};
    QStringList names;
    while (const std::optional<EntryInfo> entry = (*cursor)->next())
        names.append(entry->name);
    if (const Status status = (*cursor)->error(); !status)
        names.append(QStringLiteral("<error ") + status.error().code + u'>');
    names.sort();
    return names;
}

void addStorageRows()
{
    QTest::addColumn<QString>("storage");
    for (const QString &kind : StorageFixture::kinds())
        QTest::newRow(qPrintable(kind)) << kind;
}

void StorageTestCase::init()
{
    QFETCH_GLOBAL(QString, storage);
    m_fixture = StorageFixture::make(storage);
    QVERIFY(m_fixture->storage().createHome(Alice).ok());
    Result<std::shared_ptr<StorageHome>> home = m_fixture->storage().openHome(Alice);
    QVERIFY(home.ok());
    m_home = *home;
}

void StorageTestCase::cleanup()
{
    m_home.reset();
    m_fixture.reset();
}

void StorageTestCase::expect(const Error &error, QLatin1String code)
{
    QCOMPARE(error.code, QString(code));
    QVERIFY(!error.message.isEmpty());
    const QString location = m_fixture->dataLocation();
    QVERIFY2(location.isEmpty() || !error.message.contains(location), qPrintable(error.message));
}

} // namespace ferry::test
