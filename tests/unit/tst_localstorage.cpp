// LocalStorage on real temporary folders: the jail against hostile symlinks, every operation and its
// error codes, hidden part files, byte accounting and a streamed large folder.

#include "BulkWriteGate.h"
#include "LocalStorage.h"
#include "PartFileWriter.h"
#include "Protocol.h"
#include "Sha256.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <thread>

#include <fcntl.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/xattr.h>
#include <unistd.h>

using namespace ferry;

namespace {

VirtualPath vp(const char *text)
{
    Result<VirtualPath> path = VirtualPath::fromWire(QString::fromUtf8(text));
    if (!path.ok())
        qFatal("bad test path %s", text);
    return *path;
}

void writeFile(const QString &path, qint64 size)
{
    QFile file(path);
    QVERIFY2(file.open(QIODevice::WriteOnly), qPrintable(path));
    QCOMPARE(file.write(QByteArray(size, 'x')), size);
}

// Makes a file that ferryd cannot give an attribute, as one placed by another user: read-only, and for root
// (who may write any file) immutable too. The flag is cleared again when the object goes.
class UnlabelableFile {
public:
    explicit UnlabelableFile(const QString &path) : m_path(QFile::encodeName(path))
    {
        ::chmod(m_path.constData(), 0444);
        if (::geteuid() == 0)
            setImmutable(true);
    }
    ~UnlabelableFile() { setImmutable(false); }
    bool cannotCarryAttributes() const
    {
        return ::setxattr(m_path.constData(), "user.ferry.probe", "1", 1, 0) != 0;
    }

private:
    void setImmutable(bool on)
    {
        const int fd = ::open(m_path.constData(), O_RDONLY | O_CLOEXEC);
        int flags = 0;
        if (fd >= 0 && ::ioctl(fd, FS_IOC_GETFLAGS, &flags) == 0) {
            flags = on ? flags | FS_IMMUTABLE_FL : flags & ~FS_IMMUTABLE_FL;
            ::ioctl(fd, FS_IOC_SETFLAGS, &flags);
        }
        if (fd >= 0)
            ::close(fd);
    }
    QByteArray m_path;
};

void makeLink(const QString &target, const QString &link)
{
    QVERIFY2(::symlink(QFile::encodeName(target).constData(), QFile::encodeName(link).constData()) == 0,
             qPrintable(link));
}

// The tests name a home folder per call; each call goes through a LocalHome for that folder.
struct Homes {
    Result<EntryInfo> stat(const QString &home, const VirtualPath &path) const { return LocalHome(home).stat(path); }
    Result<std::unique_ptr<DirectoryCursor>> openDirectory(const QString &home, const VirtualPath &path) const
    {
        return LocalHome(home).openDirectory(path);
    }
    Status makeDirectory(const QString &home, const VirtualPath &path, bool parents) const
    {
        return LocalHome(home).makeDirectory(path, parents);
    }
    Result<qint64> rename(const QString &home, const VirtualPath &from, const VirtualPath &to, bool overwrite) const
    {
        return LocalHome(home).rename(from, to, overwrite);
    }
    Result<qint64> remove(const QString &home, const VirtualPath &path, bool recursive) const
    {
        return LocalHome(home).remove(path, recursive);
    }
    qint64 usage(const QString &home) const { return LocalHome(home).usage(); }
    // Where a path leads (the lock key is the real location), or the error a stat gets.
    Result<QString> resolve(const QString &home, const VirtualPath &path) const
    {
        const QString key = LocalHome(home).lockKey(path);
        if (key.isEmpty())
            return LocalHome(home).stat(path).error();
        return key;
    }
};

QStringList listNames(const Homes &storage, const QString &home, const VirtualPath &path)
{
    QStringList names;
    Result<std::unique_ptr<DirectoryCursor>> cursor = storage.openDirectory(home, path);
    if (!cursor.ok())
        return {QStringLiteral("<error ") + cursor.error().code + QLatin1Char('>')};
    while (std::optional<EntryInfo> entry = (*cursor)->next())
        names.append(entry->name);
    names.sort();
    return names;
}

// syncfs waits while this is set, as a group sync beside a busy disk would.
std::atomic<bool> g_holdSyncfs{false};
std::atomic<int> g_syncfsHeld{0};

} // namespace

extern "C" int syncfs(int fd)
{
    if (g_holdSyncfs) {
        ++g_syncfsHeld;
        while (g_holdSyncfs)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        --g_syncfsHeld;
    }
    return int(::syscall(SYS_syncfs, fd));
}

class TestLocalStorage : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_root;
    QString m_home;     // <root>/home
    QString m_outside;  // <root>/outside, with a file "secret"
    Homes m_storage;

    QString real(const QString &relative) const { return m_home + QLatin1Char('/') + relative; }
    void expectError(const Error &error, QLatin1String code)
    {
        QCOMPARE(error.code, QString(code));
        QVERIFY(!error.message.isEmpty());
        // Messages name virtual paths only: the server's folders never reach the client.
        QVERIFY2(!error.message.contains(m_root.path()), qPrintable(error.message));
    }

private slots:
    void init()
    {
        QVERIFY(m_root.isValid());
        QDir(m_root.path()).removeRecursively();
        QVERIFY(QDir().mkpath(m_root.path()));
        m_home = m_root.path() + QStringLiteral("/home");
        m_outside = m_root.path() + QStringLiteral("/outside");
        QVERIFY(QDir().mkpath(m_home));
        QVERIFY(QDir().mkpath(m_outside));
        writeFile(m_outside + QStringLiteral("/secret"), 7);
    }

    // --- the jail ---

    void symlinkToEtcIsNotListedAndRefused()
    {
        makeLink(QStringLiteral("/etc"), real(QStringLiteral("etc")));
        writeFile(real(QStringLiteral("visible")), 1);
        QCOMPARE(listNames(m_storage, m_home, vp("/")), QStringList{QStringLiteral("visible")});
        expectError(m_storage.stat(m_home, vp("/etc")).error(), ErrorCode::PermissionDenied);
        expectError(m_storage.stat(m_home, vp("/etc/passwd")).error(), ErrorCode::PermissionDenied);
        expectError(m_storage.openDirectory(m_home, vp("/etc")).error(), ErrorCode::PermissionDenied);
        expectError(m_storage.resolve(m_home, vp("/etc/passwd")).error(), ErrorCode::PermissionDenied);
        expectError(m_storage.resolve(m_home, vp("/etc/no-such-file")).error(), ErrorCode::PermissionDenied);
        expectError(m_storage.remove(m_home, vp("/etc/hostname"), false).error(), ErrorCode::PermissionDenied);
        QVERIFY(QFileInfo::exists(QStringLiteral("/etc/hostname")));
    }

    void siblingFolderSharingTheHomePrefixIsOutside()
    {
        // <root>/home2 starts with the string "<root>/home": only a "/"-terminated prefix means inside.
        const QString sibling = m_root.path() + QStringLiteral("/home2");
        QVERIFY(QDir().mkpath(sibling));
        writeFile(sibling + QStringLiteral("/theirs"), 3);
        makeLink(sibling, real(QStringLiteral("absolute")));
        makeLink(QStringLiteral("../home2"), real(QStringLiteral("relative")));
        QCOMPARE(listNames(m_storage, m_home, vp("/")), QStringList());
        for (const char *path : {"/absolute", "/relative", "/absolute/theirs", "/relative/theirs", "/relative/new"})
            expectError(m_storage.resolve(m_home, vp(path)).error(), ErrorCode::PermissionDenied);
        expectError(m_storage.stat(m_home, vp("/relative/theirs")).error(), ErrorCode::PermissionDenied);
    }

    void homeGivenThroughASymlinkOrWithTrailingSlashStillWorks()
    {
        const QString linkedHome = m_root.path() + QStringLiteral("/linked-home");
        makeLink(m_home, linkedHome);
        writeFile(real(QStringLiteral("f")), 2);
        QCOMPARE(m_storage.stat(linkedHome, vp("/f"))->size, qint64(2));
        QCOMPARE(m_storage.stat(m_home + QLatin1Char('/'), vp("/f"))->size, qint64(2));
        QCOMPARE(*m_storage.resolve(linkedHome, vp("/f")), QFileInfo(real(QStringLiteral("f"))).canonicalFilePath());
    }

    void relativeSymlinkUpIsRefusedButBackInsideIsShown()
    {
        writeFile(m_root.path() + QStringLiteral("/x"), 5);
        makeLink(QStringLiteral("../x"), real(QStringLiteral("up")));
        writeFile(real(QStringLiteral("data.bin")), 11);
        makeLink(QStringLiteral("../home/data.bin"), real(QStringLiteral("roundtrip")));
        QCOMPARE(listNames(m_storage, m_home, vp("/")), (QStringList{QStringLiteral("data.bin"), QStringLiteral("roundtrip")}));
        expectError(m_storage.stat(m_home, vp("/up")).error(), ErrorCode::PermissionDenied);
        QCOMPARE(m_storage.stat(m_home, vp("/roundtrip"))->size, qint64(11));
    }

    void symlinkToAFileInsideIsListedAsThatFile()
    {
        writeFile(real(QStringLiteral("data.bin")), 11);
        makeLink(QStringLiteral("data.bin"), real(QStringLiteral("alias")));
        Result<std::unique_ptr<DirectoryCursor>> cursor = m_storage.openDirectory(m_home, vp("/"));
        QVERIFY(cursor.ok());
        int seen = 0;
        while (std::optional<EntryInfo> entry = (*cursor)->next()) {
            QVERIFY(!entry->isDir);
            QCOMPARE(entry->size, qint64(11));
            ++seen;
        }
        QCOMPARE(seen, 2);
        const Result<EntryInfo> alias = m_storage.stat(m_home, vp("/alias"));
        QCOMPARE(alias->name, QStringLiteral("alias"));
        QCOMPARE(alias->size, qint64(11));
        QCOMPARE(*m_storage.resolve(m_home, vp("/alias")), QFileInfo(real(QStringLiteral("data.bin"))).canonicalFilePath());
        QCOMPARE(m_storage.usage(m_home), qint64(11));  // the link is not counted twice
    }

    void outsideFolderLinkCannotBeUsedAsAParent()
    {
        makeLink(m_outside, real(QStringLiteral("out")));
        writeFile(real(QStringLiteral("mine")), 4);
        expectError(m_storage.makeDirectory(m_home, vp("/out/new"), false).error(), ErrorCode::PermissionDenied);
        expectError(m_storage.makeDirectory(m_home, vp("/out/a/b"), true).error(), ErrorCode::PermissionDenied);
        expectError(m_storage.rename(m_home, vp("/mine"), vp("/out/mine"), false).error(), ErrorCode::PermissionDenied);
        expectError(m_storage.rename(m_home, vp("/mine"), vp("/out/secret"), true).error(), ErrorCode::PermissionDenied);
        expectError(m_storage.rename(m_home, vp("/out/secret"), vp("/stolen"), false).error(), ErrorCode::PermissionDenied);
        expectError(m_storage.remove(m_home, vp("/out/secret"), false).error(), ErrorCode::PermissionDenied);
        expectError(m_storage.remove(m_home, vp("/out"), true).error(), ErrorCode::PermissionDenied);
        QCOMPARE(QDir(m_outside).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
                 QStringList{QStringLiteral("secret")});
        QCOMPARE(QFileInfo(m_outside + QStringLiteral("/secret")).size(), qint64(7));
        QVERIFY(QFileInfo::exists(real(QStringLiteral("mine"))));
        QVERIFY(!QFileInfo::exists(real(QStringLiteral("stolen"))));
    }

    void danglingSymlinkLeadingOutsideIsRefused()
    {
        makeLink(m_outside + QStringLiteral("/not-yet"), real(QStringLiteral("dangling")));
        QCOMPARE(listNames(m_storage, m_home, vp("/")), QStringList());
        expectError(m_storage.stat(m_home, vp("/dangling")).error(), ErrorCode::PermissionDenied);
        expectError(m_storage.resolve(m_home, vp("/dangling")).error(), ErrorCode::PermissionDenied);
        expectError(m_storage.makeDirectory(m_home, vp("/dangling"), true).error(), ErrorCode::PermissionDenied);
        QVERIFY(!QFileInfo::exists(m_outside + QStringLiteral("/not-yet")));
    }

    void danglingLinkWithDotDotIsResolvedPhysicallyNotLexically()
    {
        // "hop/../escaped" looks like <home>/escaped, but hop leads to <outside>/deep, so it is <outside>/escaped.
        QVERIFY(QDir().mkpath(m_outside + QStringLiteral("/deep")));
        makeLink(m_outside + QStringLiteral("/deep"), real(QStringLiteral("hop")));
        makeLink(QStringLiteral("hop/../escaped"), real(QStringLiteral("tricky")));
        expectError(m_storage.resolve(m_home, vp("/tricky")).error(), ErrorCode::PermissionDenied);
        expectError(m_storage.makeDirectory(m_home, vp("/tricky/x"), true).error(), ErrorCode::PermissionDenied);
        QVERIFY(!QFileInfo::exists(m_outside + QStringLiteral("/escaped")));
    }

    void symlinkLoopIsRefusedWithoutHanging()
    {
        makeLink(QStringLiteral("loop2"), real(QStringLiteral("loop1")));
        makeLink(QStringLiteral("loop1"), real(QStringLiteral("loop2")));
        QCOMPARE(listNames(m_storage, m_home, vp("/")), QStringList());
        expectError(m_storage.stat(m_home, vp("/loop1")).error(), ErrorCode::PermissionDenied);
        expectError(m_storage.resolve(m_home, vp("/loop1/x")).error(), ErrorCode::PermissionDenied);
    }

    void linksBackInByTheHomesNamesAreInside()
    {
        writeFile(real(QStringLiteral("data.bin")), 11);
        const QString linkedHome = m_root.path() + QStringLiteral("/linked-home");
        makeLink(m_home, linkedHome);
        // Absolute, by the real name and by the name the server was given; relative, up and back in twice.
        makeLink(m_home + QStringLiteral("/data.bin"), real(QStringLiteral("byRealName")));
        makeLink(QStringLiteral("../../") + QFileInfo(m_root.path()).fileName() + QStringLiteral("/home/data.bin"),
                 real(QStringLiteral("upTwice")));
        for (const char *path : {"/byRealName", "/upTwice"})
            QCOMPARE(m_storage.stat(m_home, vp(path))->size, qint64(11));
        makeLink(linkedHome + QStringLiteral("/data.bin"), real(QStringLiteral("byGivenName")));
        QCOMPARE(m_storage.stat(linkedHome, vp("/byGivenName"))->size, qint64(11));
        // Up and into a sibling that merely starts like the home: outside.
        QVERIFY(QDir().mkpath(m_root.path() + QStringLiteral("/homeX")));
        makeLink(QStringLiteral("../homeX"), real(QStringLiteral("sibling")));
        expectError(m_storage.stat(m_home, vp("/sibling")).error(), ErrorCode::PermissionDenied);
    }

    void deepPathsAndLongClimbsBackResolve()
    {
        // 80 folders deep, a link at the bottom climbing 70 of them back: the walk keeps only a few folders
        // open and must find the upper ones again by name.
        QString deep = QStringLiteral("d");
        for (int i = 1; i < 80; ++i)
            deep += QStringLiteral("/d");
        QVERIFY(QDir().mkpath(real(deep)));
        const QString upper = QStringList(10, QStringLiteral("d")).join(QLatin1Char('/'));
        writeFile(real(upper + QStringLiteral("/top.txt")), 9);
        makeLink(QString(QStringLiteral("../")).repeated(70) + QStringLiteral("top.txt"), real(deep + QStringLiteral("/up")));
        const VirtualPath link = *VirtualPath::fromWire(QLatin1Char('/') + deep + QStringLiteral("/up"));
        QCOMPARE(m_storage.stat(m_home, link)->size, qint64(9));
        QCOMPARE(*m_storage.resolve(m_home, link), QFileInfo(real(upper + QStringLiteral("/top.txt"))).canonicalFilePath());
        // Climbing one more than the path is deep leads outside.
        makeLink(QString(QStringLiteral("../")).repeated(81) + QStringLiteral("x"), real(deep + QStringLiteral("/out")));
        expectError(m_storage.stat(m_home, *VirtualPath::fromWire(QLatin1Char('/') + deep + QStringLiteral("/out"))).error(),
                    ErrorCode::PermissionDenied);
    }

    void folderSwappedForAnOutsideLinkDuringOperationsNeverLeadsOutside()
    {
        // Another program (a shell, Samba) swaps /box for a link to outside and back while the server works in
        // it: whatever it sees, nothing may be created, written or removed outside the home.
        QVERIFY(QDir().mkdir(real(QStringLiteral("box"))));
        const QByteArray box = QFile::encodeName(real(QStringLiteral("box")));
        const QByteArray parked = QFile::encodeName(real(QStringLiteral("parked")));
        const QByteArray outside = QFile::encodeName(m_outside);
        std::atomic<bool> done{false};
        std::thread swapper([&] {
            while (!done) {
                if (::rename(box.constData(), parked.constData()) != 0)
                    continue;
                ::symlink(outside.constData(), box.constData());
                ::unlink(box.constData());
                ::rename(parked.constData(), box.constData());
            }
        });
        LocalHome home(m_home);
        for (int i = 0; i < 3000; ++i) {
            const QString name = QStringLiteral("/box/n%1").arg(i);
            const VirtualPath path = *VirtualPath::fromWire(name);
            home.makeDirectory(path, false);
            home.remove(path, true);
            if (Result<std::unique_ptr<PartFile>> part = home.openPart(path, StorageHome::PartMode::Truncate)) {
                (*part)->append(QByteArray("data"));
                (*part)->finishWrites();
                (*part)->commit(true);
            }
            home.remove(path, false);
        }
        done = true;
        swapper.join();
        QCOMPARE(QDir(m_outside).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden | QDir::System),
                 QStringList{QStringLiteral("secret")});
        QCOMPARE(QFileInfo(m_outside + QStringLiteral("/secret")).size(), qint64(7));
    }

    void resolveMapsPathsIntoTheHome()
    {
        const QString canonicalHome = QFileInfo(m_home).canonicalFilePath();
        QCOMPARE(*m_storage.resolve(m_home, vp("/")), canonicalHome);
        QCOMPARE(*m_storage.resolve(m_home, vp("/a/b")), canonicalHome + QStringLiteral("/a/b"));
        expectError(m_storage.resolve(m_root.path() + QStringLiteral("/no-home"), vp("/")).error(), ErrorCode::IoError);
    }

    // --- stat and list ---

    void statReportsTypeSizeAndMtime()
    {
        writeFile(real(QStringLiteral("f.txt")), 1234);
        const QDateTime when = QDateTime::fromMSecsSinceEpoch(1600000000123, Qt::UTC);
        QFile file(real(QStringLiteral("f.txt")));
        QVERIFY(file.open(QIODevice::ReadWrite));
        QVERIFY(file.setFileTime(when, QFileDevice::FileModificationTime));
        file.close();
        QVERIFY(QDir().mkdir(real(QStringLiteral("d"))));

        const Result<EntryInfo> info = m_storage.stat(m_home, vp("/f.txt"));
        QVERIFY(info.ok());
        QCOMPARE(info->name, QStringLiteral("f.txt"));
        QVERIFY(!info->isDir);
        QCOMPARE(info->size, qint64(1234));
        QCOMPARE(info->mtimeMs, qint64(1600000000123));
        const QJsonObject json = info->toJson();
        QCOMPARE(json.value(QStringLiteral("type")).toString(), QStringLiteral("file"));
        QCOMPARE(json.value(QStringLiteral("mtime")).toInteger(), qint64(1600000000123));
        QCOMPARE(json.value(QStringLiteral("size")).toInteger(), qint64(1234));

        QVERIFY(m_storage.stat(m_home, vp("/d"))->isDir);
        QCOMPARE(m_storage.stat(m_home, vp("/d"))->toJson().value(QStringLiteral("type")).toString(), QStringLiteral("dir"));
        QCOMPARE(m_storage.stat(m_home, vp("/"))->name, QStringLiteral("/"));
        QVERIFY(m_storage.stat(m_home, vp("/"))->isDir);
    }

    void statOfMissingPathsSaysWhy()
    {
        writeFile(real(QStringLiteral("f.txt")), 1);
        expectError(m_storage.stat(m_home, vp("/nope")).error(), ErrorCode::NotFound);
        expectError(m_storage.stat(m_home, vp("/nope/deeper")).error(), ErrorCode::NotFound);
        expectError(m_storage.stat(m_home, vp("/f.txt/x")).error(), ErrorCode::NotADirectory);
        const Error error = m_storage.stat(m_home, vp("/nope")).error();
        QVERIFY2(error.message.contains(QStringLiteral("\"/nope\"")), qPrintable(error.message));
    }

    void listingHidesPartFilesAndReservedNames()
    {
        writeFile(real(QStringLiteral("a")), 1);
        writeFile(real(QStringLiteral(".hidden-but-listed")), 1);
        writeFile(real(QStringLiteral(".ferry-part-a")), 100);
        writeFile(real(QStringLiteral(".ferry-other")), 10);
        writeFile(real(QStringLiteral("bad\nname")), 1);  // not addressable on the wire
        QVERIFY(QDir().mkdir(real(QStringLiteral("sub"))));
        QCOMPARE(listNames(m_storage, m_home, vp("/")),
                 (QStringList{QStringLiteral(".hidden-but-listed"), QStringLiteral("a"), QStringLiteral("sub")}));
        QCOMPARE(listNames(m_storage, m_home, vp("/sub")), QStringList());
        QCOMPARE(m_storage.usage(m_home), qint64(1 + 1 + 100 + 10 + 1));
    }

    void listingErrors()
    {
        writeFile(real(QStringLiteral("f")), 1);
        expectError(m_storage.openDirectory(m_home, vp("/f")).error(), ErrorCode::NotADirectory);
        expectError(m_storage.openDirectory(m_home, vp("/none")).error(), ErrorCode::NotFound);
    }

    void largeFolderIsStreamedEntryByEntry()
    {
        constexpr int Count = 1500;
        const QString folder = real(QStringLiteral("many"));
        QVERIFY(QDir().mkdir(folder));
        for (int i = 0; i < Count; ++i)
            writeFile(folder + QStringLiteral("/f%1").arg(i), i % 3);
        writeFile(folder + QStringLiteral("/.ferry-part-f1"), 3);
        Result<std::unique_ptr<DirectoryCursor>> cursor = m_storage.openDirectory(m_home, vp("/many"));
        QVERIFY(cursor.ok());
        QSet<QString> seen;
        qint64 bytes = 0;
        while (std::optional<EntryInfo> entry = (*cursor)->next()) {
            QVERIFY2(!seen.contains(entry->name), qPrintable(entry->name));
            seen.insert(entry->name);
            bytes += entry->size;
        }
        QCOMPARE(seen.size(), Count);
        QCOMPARE(bytes, qint64(1500));  // 500 × (0 + 1 + 2)
        QVERIFY(!(*cursor)->next());
    }

    // A listing page is filled up to the header limit by each entry's JSON size, reckoned without making the JSON:
    // never less than what it takes, and exact for names without control characters.
    void anEntrysJsonSizeIsReckonedWithoutMakingIt()
    {
        const QString names[] = {QStringLiteral("f0001.bin"), QStringLiteral("say \"hi\" \\ back"),
                                 QStringLiteral("中文名字.txt"), QStringLiteral("tab\there\nnew\x01\x1f"),
                                 QString(QChar(0xFFFD)) + QStringLiteral("bad"), QStringLiteral("e\u0301\U0001F600"),
                                 QString(255, QLatin1Char('x'))};
        for (const QString &name : names) {
            for (const bool isDir : {false, true}) {
                const EntryInfo entry{name, isDir, isDir ? 0 : 1234567, 1796502385995};
                const qint64 actual = QJsonDocument(entry.toJson()).toJson(QJsonDocument::Compact).size();
                QVERIFY2(entry.compactJsonBytesAtMost() >= actual, qPrintable(name));
                if (std::none_of(name.begin(), name.end(), [](QChar c) { return c.unicode() < 0x20; })) {
                    QCOMPARE(entry.compactJsonBytesAtMost(), actual);
                }
            }
        }
        const EntryInfo zero{QStringLiteral("z"), false, 0, 0};
        QCOMPARE(zero.compactJsonBytesAtMost(), QJsonDocument(zero.toJson()).toJson(QJsonDocument::Compact).size());
    }

    // --- mkdir ---

    void makeDirectoryCreatesAndReportsConflicts()
    {
        QVERIFY(m_storage.makeDirectory(m_home, vp("/d"), false).ok());
        QVERIFY(QFileInfo(real(QStringLiteral("d"))).isDir());
        expectError(m_storage.makeDirectory(m_home, vp("/d"), false).error(), ErrorCode::Exists);
        QVERIFY(m_storage.makeDirectory(m_home, vp("/d"), true).ok());
        QVERIFY(m_storage.makeDirectory(m_home, vp("/"), true).ok());
        expectError(m_storage.makeDirectory(m_home, vp("/"), false).error(), ErrorCode::Exists);

        expectError(m_storage.makeDirectory(m_home, vp("/x/y/z"), false).error(), ErrorCode::NotFound);
        QVERIFY(!QFileInfo::exists(real(QStringLiteral("x"))));
        QVERIFY(m_storage.makeDirectory(m_home, vp("/x/y/z"), true).ok());
        QVERIFY(QFileInfo(real(QStringLiteral("x/y/z"))).isDir());

        writeFile(real(QStringLiteral("file")), 1);
        expectError(m_storage.makeDirectory(m_home, vp("/file"), false).error(), ErrorCode::Exists);
        expectError(m_storage.makeDirectory(m_home, vp("/file"), true).error(), ErrorCode::Exists);
        expectError(m_storage.makeDirectory(m_home, vp("/file/sub"), false).error(), ErrorCode::NotADirectory);
        expectError(m_storage.makeDirectory(m_home, vp("/file/sub/deeper"), true).error(), ErrorCode::NotADirectory);
    }

    void makeDirectoryThroughAnInsideLinkCreatesInsideTheHome()
    {
        QVERIFY(QDir().mkdir(real(QStringLiteral("target"))));
        makeLink(QStringLiteral("target"), real(QStringLiteral("shortcut")));
        QVERIFY(m_storage.makeDirectory(m_home, vp("/shortcut/new"), false).ok());
        QVERIFY(QFileInfo(real(QStringLiteral("target/new"))).isDir());
        QVERIFY(m_storage.makeDirectory(m_home, vp("/shortcut"), true).ok());
    }

    // --- rename ---

    void renameMovesFilesAndFolders()
    {
        writeFile(real(QStringLiteral("a")), 3);
        QVERIFY(QDir().mkpath(real(QStringLiteral("d/inner"))));
        QCOMPARE(*m_storage.rename(m_home, vp("/a"), vp("/d/b"), false), qint64(0));
        QVERIFY(!QFileInfo::exists(real(QStringLiteral("a"))));
        QCOMPARE(QFileInfo(real(QStringLiteral("d/b"))).size(), qint64(3));
        QCOMPARE(*m_storage.rename(m_home, vp("/d"), vp("/e"), false), qint64(0));
        QVERIFY(QFileInfo(real(QStringLiteral("e/inner"))).isDir());
        QCOMPARE(*m_storage.rename(m_home, vp("/e"), vp("/e"), false), qint64(0));  // itself: nothing to do
    }

    void renameOverAnExistingFileNeedsOverwriteAndFreesItsSize()
    {
        writeFile(real(QStringLiteral("new")), 3);
        writeFile(real(QStringLiteral("old")), 50);
        expectError(m_storage.rename(m_home, vp("/new"), vp("/old"), false).error(), ErrorCode::Exists);
        QCOMPARE(QFileInfo(real(QStringLiteral("old"))).size(), qint64(50));
        QCOMPARE(*m_storage.rename(m_home, vp("/new"), vp("/old"), true), qint64(50));
        QCOMPARE(QFileInfo(real(QStringLiteral("old"))).size(), qint64(3));
        QVERIFY(!QFileInfo::exists(real(QStringLiteral("new"))));
    }

    void renameNeverReplacesOrMovesAFolderOntoAnExistingName()
    {
        QVERIFY(QDir().mkdir(real(QStringLiteral("d1"))));
        QVERIFY(QDir().mkdir(real(QStringLiteral("emptyDir"))));
        writeFile(real(QStringLiteral("f")), 1);
        expectError(m_storage.rename(m_home, vp("/d1"), vp("/emptyDir"), true).error(), ErrorCode::Exists);
        expectError(m_storage.rename(m_home, vp("/d1"), vp("/f"), true).error(), ErrorCode::Exists);
        expectError(m_storage.rename(m_home, vp("/f"), vp("/emptyDir"), true).error(), ErrorCode::IsADirectory);
        expectError(m_storage.rename(m_home, vp("/f"), vp("/emptyDir"), false).error(), ErrorCode::Exists);
        QVERIFY(QFileInfo(real(QStringLiteral("emptyDir"))).isDir());
        QVERIFY(QFileInfo(real(QStringLiteral("d1"))).isDir());
    }

    void renameRefusesTheHomeAndMovesIntoItself()
    {
        QVERIFY(QDir().mkpath(real(QStringLiteral("a/b"))));
        makeLink(QStringLiteral("a/b"), real(QStringLiteral("intoB")));
        expectError(m_storage.rename(m_home, vp("/"), vp("/x"), false).error(), ErrorCode::PermissionDenied);
        expectError(m_storage.rename(m_home, vp("/a"), vp("/"), true).error(), ErrorCode::PermissionDenied);
        expectError(m_storage.rename(m_home, vp("/a"), vp("/a/b/c"), false).error(), ErrorCode::InvalidPath);
        // The same move hidden behind a symlink: /intoB/c is really /a/b/c.
        expectError(m_storage.rename(m_home, vp("/a"), vp("/intoB/c"), false).error(), ErrorCode::InvalidPath);
        QVERIFY(QFileInfo(real(QStringLiteral("a/b"))).isDir());
    }

    void renameOfMissingSourceOrTargetFolder()
    {
        writeFile(real(QStringLiteral("f")), 1);
        writeFile(real(QStringLiteral("g")), 1);
        expectError(m_storage.rename(m_home, vp("/none"), vp("/x"), false).error(), ErrorCode::NotFound);
        expectError(m_storage.rename(m_home, vp("/f"), vp("/no/such"), false).error(), ErrorCode::NotFound);
        expectError(m_storage.rename(m_home, vp("/g"), vp("/f/x"), false).error(), ErrorCode::NotADirectory);
        expectError(m_storage.rename(m_home, vp("/f"), vp("/f/x"), false).error(), ErrorCode::InvalidPath);
        QVERIFY(QFileInfo::exists(real(QStringLiteral("f"))));
        QVERIFY(QFileInfo::exists(real(QStringLiteral("g"))));
    }

    void renameOfASymlinkMovesTheLink()
    {
        writeFile(real(QStringLiteral("data")), 9);
        makeLink(QStringLiteral("data"), real(QStringLiteral("link")));
        QVERIFY(QDir().mkdir(real(QStringLiteral("sub"))));
        QCOMPARE(*m_storage.rename(m_home, vp("/link"), vp("/sub/link2"), false), qint64(0));
        QVERIFY(QFileInfo(real(QStringLiteral("sub/link2"))).isSymLink());
        QCOMPARE(QFileInfo(real(QStringLiteral("data"))).size(), qint64(9));
    }

    // --- remove ---

    void removeFileFreesItsSize()
    {
        writeFile(real(QStringLiteral("f")), 42);
        QCOMPARE(*m_storage.remove(m_home, vp("/f"), false), qint64(42));
        QVERIFY(!QFileInfo::exists(real(QStringLiteral("f"))));
        expectError(m_storage.remove(m_home, vp("/f"), false).error(), ErrorCode::NotFound);
        expectError(m_storage.remove(m_home, vp("/"), true).error(), ErrorCode::PermissionDenied);
        QVERIFY(QFileInfo(m_home).isDir());
    }

    void removeFolderNeedsRecursiveUnlessEmpty()
    {
        QVERIFY(QDir().mkpath(real(QStringLiteral("d/sub/deeper"))));
        writeFile(real(QStringLiteral("d/a")), 10);
        writeFile(real(QStringLiteral("d/sub/b")), 20);
        writeFile(real(QStringLiteral("d/sub/deeper/.ferry-part-c")), 30);
        QVERIFY(QDir().mkdir(real(QStringLiteral("empty"))));

        expectError(m_storage.remove(m_home, vp("/d"), false).error(), ErrorCode::NotEmpty);
        QCOMPARE(QFileInfo(real(QStringLiteral("d/a"))).size(), qint64(10));
        QCOMPARE(*m_storage.remove(m_home, vp("/empty"), false), qint64(0));
        QCOMPARE(*m_storage.remove(m_home, vp("/d"), true), qint64(60));
        QVERIFY(!QFileInfo::exists(real(QStringLiteral("d"))));
        QCOMPARE(m_storage.usage(m_home), qint64(0));
    }

    void folderHoldingOnlyPartFilesCountsAsEmpty()
    {
        QVERIFY(QDir().mkdir(real(QStringLiteral("d"))));
        writeFile(real(QStringLiteral("d/.ferry-part-x")), 25);
        QCOMPARE(listNames(m_storage, m_home, vp("/d")), QStringList());
        QCOMPARE(*m_storage.remove(m_home, vp("/d"), false), qint64(25));
        QVERIFY(!QFileInfo::exists(real(QStringLiteral("d"))));
    }

    void removeOfASymlinkRemovesOnlyTheLink()
    {
        QVERIFY(QDir().mkdir(real(QStringLiteral("target"))));
        writeFile(real(QStringLiteral("target/keep")), 8);
        makeLink(QStringLiteral("target"), real(QStringLiteral("dirlink")));
        makeLink(QStringLiteral("target/keep"), real(QStringLiteral("filelink")));
        QCOMPARE(*m_storage.remove(m_home, vp("/dirlink"), true), qint64(0));
        QCOMPARE(*m_storage.remove(m_home, vp("/filelink"), false), qint64(0));
        QVERIFY(!QFileInfo(real(QStringLiteral("dirlink"))).isSymLink());
        QVERIFY(!QFileInfo(real(QStringLiteral("filelink"))).isSymLink());
        QCOMPARE(QFileInfo(real(QStringLiteral("target/keep"))).size(), qint64(8));
    }

    void recursiveRemoveDoesNotFollowLinksOutside()
    {
        QVERIFY(QDir().mkdir(real(QStringLiteral("d"))));
        makeLink(m_outside, real(QStringLiteral("d/out")));
        writeFile(real(QStringLiteral("d/f")), 5);
        QCOMPARE(*m_storage.remove(m_home, vp("/d"), true), qint64(5));
        QCOMPARE(QFileInfo(m_outside + QStringLiteral("/secret")).size(), qint64(7));
    }

    // --- usage and part file names ---

    void usageCountsRegularFilesOnly()
    {
        QVERIFY(QDir().mkpath(real(QStringLiteral("a/b"))));
        writeFile(real(QStringLiteral("a/b/f")), 100);
        writeFile(real(QStringLiteral("a/.ferry-part-g")), 50);
        writeFile(real(QStringLiteral(".dotfile")), 5);
        makeLink(m_outside + QStringLiteral("/secret"), real(QStringLiteral("outlink")));
        makeLink(m_outside, real(QStringLiteral("outdir")));
        makeLink(QStringLiteral("a"), real(QStringLiteral("inlink")));
        QCOMPARE(m_storage.usage(m_home), qint64(155));
        QCOMPARE(LocalHome(m_root.path() + QStringLiteral("/missing")).usage(), qint64(0));
    }

    void overwriteCommitReplacesAtOnceAndDeletesTheOldFileLater()
    {
        writeFile(real(QStringLiteral("doc")), 5000);
        LocalHome home(m_home);
        Result<std::unique_ptr<PartFile>> part = home.openPart(vp("/doc"), StorageHome::PartMode::Truncate);
        QVERIFY(part.ok());
        QVERIFY((*part)->append(QByteArray("new")).ok());
        QVERIFY((*part)->finishWrites().ok());
        QCOMPARE(*(*part)->commit(true), qint64(5000));   // the bytes it freed
        part->reset();
        QFile doc(real(QStringLiteral("doc")));
        QVERIFY(doc.open(QIODevice::ReadOnly));
        QCOMPARE(doc.readAll(), QByteArray("new"));
        QCOMPARE(home.usage(), qint64(3));   // the replaced file no longer counts, deleted or not
        QTRY_COMPARE(QDir(m_home).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("doc")});
        QCOMPARE(listNames(m_storage, m_home, vp("/")), QStringList{QStringLiteral("doc")});
    }

    void trashLeftByAStopIsNotCountedAndIsSwept()
    {
        writeFile(real(QStringLiteral("kept")), 10);
        writeFile(real(QString::fromLatin1(TrashFilePrefix) + QStringLiteral("42")), 1000);
        LocalHome home(m_home);
        QCOMPARE(home.usage(), qint64(10));
        QCOMPARE(listNames(m_storage, m_home, vp("/")), QStringList{QStringLiteral("kept")});
        QCOMPARE(home.removeStaleParts(7LL * 24 * 3600 * 1000, [](const QString &) { return false; }), qint64(0));
        QCOMPARE(QDir(m_home).entryList(QDir::Files | QDir::Hidden), QStringList{QStringLiteral("kept")});
    }

    void partFileNameIsReservedAndShortEnough()
    {
        QCOMPARE(LocalStorage::partFileName(QStringLiteral("a.txt")), QStringLiteral(".ferry-part-a.txt"));
        const QString longName(243, QLatin1Char('n'));  // 12 + 243 = 255: still fits
        QCOMPARE(LocalStorage::partFileName(longName), QString(PartFilePrefix) + longName);
        const QString tooLong(244, QLatin1Char('n'));
        const QString hashed = LocalStorage::partFileName(tooLong);
        QVERIFY(hashed.startsWith(PartFilePrefix));
        QCOMPARE(hashed.size(), PartFilePrefix.size() + 64);
        QVERIFY(hashed.toUtf8().size() <= Limits::MaxSegmentBytes);
        QVERIFY(hashed != LocalStorage::partFileName(tooLong + QLatin1Char('x')));
        QVERIFY(VirtualPath::checkSegment(hashed).isError());  // clients can never name it
    }

    // LocalHome's one-walk uploadTarget answers exactly as the calls it replaces (StorageHome's default: stat of
    // the parent and the target, lockKey and partSize), for every kind of target and every error.
    void uploadTargetInOneWalkAnswersAsTheSeparateCalls()
    {
        QVERIFY(QDir().mkpath(real(QStringLiteral("dir/sub"))));
        writeFile(real(QStringLiteral("dir/file")), 5);
        makeLink(real(QStringLiteral("dir/file")), real(QStringLiteral("dir/inside")));
        makeLink(m_outside + QStringLiteral("/secret"), real(QStringLiteral("dir/outside")));
        makeLink(QStringLiteral("nothing"), real(QStringLiteral("dir/dangling")));
        QCOMPARE(::mkfifo(QFile::encodeName(real(QStringLiteral("dir/fifo"))).constData(), 0600), 0);
        writeFile(real(QStringLiteral("dir/") + LocalStorage::partFileName(QStringLiteral("new"))), 3);
        writeFile(real(QStringLiteral("dir/") + LocalStorage::partFileName(QStringLiteral("file"))), 7);
        LocalHome home(m_home);
        const char *const targets[] = {"/dir/new", "/dir/file", "/dir/sub", "/dir/inside", "/dir/outside",
                                       "/dir/dangling", "/dir/fifo", "/dir/file/x", "/missing/x", "/dir/outside/x",
                                       "/new", "/dir/sub/new"};
        for (const char *text : targets) {
            const Result<UploadTarget> fast = home.uploadTarget(vp(text));
            const Result<UploadTarget> separate = home.StorageHome::uploadTarget(vp(text));
            QCOMPARE(fast.ok(), separate.ok());
            if (!fast) {
                QCOMPARE(fast.error().code, separate.error().code);
                QCOMPARE(fast.error().message, separate.error().message);
                continue;
            }
            QCOMPARE(fast->lockKey, separate->lockKey);
            QCOMPARE(fast->existing.has_value(), separate->existing.has_value());
            if (fast->existing) {
                QCOMPARE(fast->existing->toJson(), separate->existing->toJson());
            }
        }
        QVERIFY(home.uploadTarget(vp("/dir/file"))->existing);
        QVERIFY(!home.uploadTarget(vp("/dir/new"))->existing);
        // The part file opened where the look was: the one beside what a link leads to, made when missing.
        const auto partBytes = [&home](const char *text) {
            const Result<UploadTarget> found = home.uploadTarget(vp(text));
            Result<std::unique_ptr<PartFile>> part = home.openPart(vp(text), StorageHome::PartMode::Keep, &*found);
            return part ? (*part)->size() : qint64(-1);
        };
        QCOMPARE(partBytes("/dir/new"), 3);
        QCOMPARE(partBytes("/dir/inside"), 7);
        QCOMPARE(partBytes("/dir/sub/new"), 0);
        QVERIFY(QFileInfo::exists(real(QStringLiteral("dir/sub/")) + LocalStorage::partFileName(QStringLiteral("new"))));
        QCOMPARE(home.uploadTarget(vp("/dir/outside")).error().code, QString(ErrorCode::PermissionDenied));
    }

    // While the small files' group sync of the file system runs, a big upload's writes wait (BulkWriteGate), so
    // that the sync does not carry them too; a small file's writes go on.
    void bigWritesWaitForAGroupSyncOfTheirFileSystem()
    {
        LocalHome home(m_home);
        Result<std::unique_ptr<PartFile>> big = home.openPart(vp("/big"), StorageHome::PartMode::Truncate);
        Result<std::unique_ptr<PartFile>> small = home.openPart(vp("/small"), StorageHome::PartMode::Truncate);
        QVERIFY(big.ok() && small.ok());
        QVERIFY((*big)->append(QByteArray(PartFileWriter::DirectFromBytes, 'b')).ok());   // before any sync
        struct stat info {};
        QCOMPARE(::stat(QFile::encodeName(m_home).constData(), &info), 0);

        g_holdSyncfs = true;
        bool synced = false;
        std::thread syncer([&] { synced = home.syncAll(); });
        QTRY_COMPARE(g_syncfsHeld.load(), 1);
        std::atomic<bool> bigWritten{false};
        std::thread writer([&] {
            QVERIFY((*big)->append(QByteArray(1024 * 1024, 'b')).ok());
            bigWritten = true;
        });
        QTRY_COMPARE(BulkWriteGate::waitingWriters(quint64(info.st_dev)), 1);
        QVERIFY((*small)->append(QByteArray("small")).ok());
        QVERIFY(!bigWritten);
        g_holdSyncfs = false;
        QTRY_VERIFY(bigWritten);
        writer.join();
        syncer.join();
        QVERIFY(synced);
        QVERIFY((*big)->finishWrites().ok());
        QCOMPARE((*big)->size(), PartFileWriter::DirectFromBytes + 1024 * 1024);
    }

    // A put opens its part file in the folder its look at the target walked to (that folder's entry was
    // locked and counted), not by walking the path again: a folder renamed in between takes the part file along.
    void partFileIsMadeWhereTheUploadLookedAtItsTarget()
    {
        QVERIFY(QDir().mkpath(real(QStringLiteral("dir/sub"))));
        LocalHome home(m_home);
        const Result<UploadTarget> found = home.uploadTarget(vp("/dir/sub/new"));
        QVERIFY(found);
        QVERIFY(found->place);
        QVERIFY(QDir().rename(real(QStringLiteral("dir")), real(QStringLiteral("moved"))));
        Result<std::unique_ptr<PartFile>> part = home.openPart(vp("/dir/sub/new"), StorageHome::PartMode::Truncate, &*found);
        QVERIFY2(part, qPrintable(part ? QString() : part.error().message));
        QVERIFY(QFileInfo::exists(real(QStringLiteral("moved/sub/")) + LocalStorage::partFileName(QStringLiteral("new"))));
        // Without the look, the path is walked again, and leads nowhere now.
        QCOMPARE(home.openPart(vp("/dir/sub/other"), StorageHome::PartMode::Truncate).error().code,
                 QString(ErrorCode::NotFound));
        // A folder found at the target is refused, as by the walk.
        const Result<UploadTarget> folder = home.uploadTarget(vp("/moved/sub"));
        QCOMPARE(home.openPart(vp("/moved/sub"), StorageHome::PartMode::Truncate, &*folder).error().code,
                 QString(ErrorCode::IsADirectory));
    }

    // --- hashes ---

    // The hash an upload stores takes 48 bytes, which fit inside an ext4 inode: a small file takes no block
    // beyond its data (the text form of earlier versions took a 4 KiB block per file). That text form is still
    // read, and neither is believed once the file's size or mtime differ from the ones it was stored for.
    void theStoredHashIsCompactAndTheOldTextFormIsStillRead()
    {
        LocalHome home(m_home);
        const QByteArray bytes(4096, 'c');
        const QByteArray hash = Sha256::hex(bytes);
        const qint64 mtimeMs = 1700000000123;
        {
            Result<std::unique_ptr<PartFile>> part = home.openPart(vp("/small.bin"), StorageHome::PartMode::Truncate);
            QVERIFY(part);
            QVERIFY((*part)->append(bytes));
            QVERIFY((*part)->finishWrites());
            (*part)->setMtime(mtimeMs);
            (*part)->setKnownSha256(hash);
            QVERIFY((*part)->commit(false));
        }
        const QByteArray path = QFile::encodeName(real(QStringLiteral("small.bin")));
        char value[128];
        const ssize_t length = ::getxattr(path.constData(), "user.ferry.sha256", value, sizeof value);
        if (length < 0 && errno == ENOTSUP)
            QSKIP("this file system has no user attributes");
        QCOMPARE(length, ssize_t(48));
        QCOMPARE((*home.openRead(vp("/small.bin")))->knownSha256(), hash);
        struct statfs fileSystem {};
        struct stat info {};
        QVERIFY(::statfs(path.constData(), &fileSystem) == 0 && ::stat(path.constData(), &info) == 0);
        if (fileSystem.f_type == EXT4_SUPER_MAGIC)
            QCOMPARE(qint64(info.st_blocks) * 512, qint64(bytes.size()));

        const auto storeText = [&](const QByteArray &text) {
            return ::setxattr(path.constData(), "user.ferry.sha256", text.constData(), size_t(text.size()), 0) == 0;
        };
        QVERIFY(storeText("4096:" + QByteArray::number(mtimeMs) + ':' + hash));
        QCOMPARE((*home.openRead(vp("/small.bin")))->knownSha256(), hash);
        QVERIFY(storeText("4095:" + QByteArray::number(mtimeMs) + ':' + hash));
        QCOMPARE((*home.openRead(vp("/small.bin")))->knownSha256(), QByteArray());
        QVERIFY(storeText("4096:" + QByteArray::number(mtimeMs + 1) + ':' + hash));
        QCOMPARE((*home.openRead(vp("/small.bin")))->knownSha256(), QByteArray());
    }

    // A file ferryd cannot label with the hash (placed by another user, say) has it remembered in memory
    // instead, once its ctime has settled too, and forgotten when the file changes.
    void aHashIsRememberedInMemoryForAFileThatCannotCarryIt()
    {
        const QByteArray bytes(5000, 's');
        const QByteArray hash = Sha256::hex(bytes);
        const QString path = real(QStringLiteral("shared.iso"));
        const auto setContents = [&](const QByteArray &contents) {
            QFile file(path);
            QVERIFY(file.open(QIODevice::WriteOnly) && file.write(contents) == contents.size());
            QVERIFY(file.setFileTime(QDateTime::currentDateTimeUtc().addSecs(-3600), QFileDevice::FileModificationTime));
        };
        setContents(bytes);
        std::optional<UnlabelableFile> unlabelable(path);
        if (!unlabelable->cannotCarryAttributes())
            QSKIP("this file system lets the test's user label any file");
        LocalHome home(m_home);
        const auto rememberedAfterARead = [&] {
            Result<std::unique_ptr<ReadFile>> file = home.openRead(vp("/shared.iso"));
            if (!file || !(*file)->knownSha256().isEmpty())
                return QByteArray("<unexpected before>");
            (*file)->rememberSha256(hash);
            return (*home.openRead(vp("/shared.iso")))->knownSha256();
        };
        QCOMPARE(rememberedAfterARead(), QByteArray());   // its ctime is now: not yet
        struct stat info {};
        QVERIFY(::stat(QFile::encodeName(path).constData(), &info) == 0);
        const qint64 ctimeMs = qint64(info.st_ctim.tv_sec) * 1000 + info.st_ctim.tv_nsec / 1000000;
        QTRY_VERIFY_WITH_TIMEOUT(QDateTime::currentMSecsSinceEpoch() - ctimeMs > ReadFile::SettledMtimeMs, 10000);
        QCOMPARE(rememberedAfterARead(), hash);
        QCOMPARE((*home.openRead(vp("/shared.iso")))->knownSha256(), hash);

        unlabelable.reset();
        QVERIFY(QFile::setPermissions(path, QFile::ReadOwner | QFile::WriteOwner));
        setContents(QByteArray(5000, 't'));   // same size, the mtime put back: the ctime tells
        QCOMPARE((*home.openRead(vp("/shared.iso")))->knownSha256(), QByteArray());
    }
};

QTEST_GUILESS_MAIN(TestLocalStorage)
#include "tst_localstorage.moc"
