// HomeWalker's two ways of resolving a path: the kernel's one-call walk (openat2, RESOLVE_BENEATH and
// RESOLVE_NO_SYMLINKS) for plain names through real folders, and the component walk for everything else.
// Whichever runs, the same path must lead to the same entry, or to the same refusal.

#include "HomeWalker.h"
#include "Protocol.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <unistd.h>

using namespace ferry;

namespace {

QByteArrayList segments(const char *path)
{
    return QByteArray(path).split('/');
}

struct Outcome {
    bool ok = false;
    QString errorCode;
    QByteArrayList names;
    bool exists = false;
    ino_t inode = 0;
    mode_t mode = 0;
    QByteArrayList unwalked;
    bool blockedByFile = false;
    ino_t folderInode = 0;
    QString location;

    bool operator==(const Outcome &other) const
    {
        return ok == other.ok && errorCode == other.errorCode && names == other.names && exists == other.exists
            && inode == other.inode && mode == other.mode && unwalked == other.unwalked
            && blockedByFile == other.blockedByFile && folderInode == other.folderInode && location == other.location;
    }
};

QString describe(const Outcome &o)
{
    return QStringLiteral("ok=%1 error=%2 names=%3 exists=%4 inode=%5 unwalked=%6 blocked=%7 folder=%8 at=%9")
        .arg(o.ok).arg(o.errorCode).arg(QString::fromUtf8(o.names.join('/'))).arg(o.exists).arg(o.inode)
        .arg(QString::fromUtf8(o.unwalked.join('/'))).arg(o.blockedByFile).arg(o.folderInode).arg(o.location);
}

Outcome resolveWith(const HomeWalker &walker, const QByteArrayList &path, HomeWalker::Final final, bool kernel)
{
    HomeWalker::setKernelWalksAllowed(kernel);
    const Result<HomeEntry> entry = walker.resolve(path, final);
    HomeWalker::setKernelWalksAllowed(true);
    Outcome outcome;
    outcome.ok = entry.ok();
    if (!entry) {
        outcome.errorCode = entry.error().code;
        return outcome;
    }
    outcome.names = entry->names;
    outcome.exists = entry->exists;
    outcome.inode = entry->exists ? entry->info.st_ino : 0;
    outcome.mode = entry->exists ? entry->info.st_mode : 0;
    outcome.unwalked = entry->unwalked;
    outcome.blockedByFile = entry->blockedByFile;
    struct stat folder {};
    if (::fstat(entry->folder(), &folder) == 0)
        outcome.folderInode = folder.st_ino;
    outcome.location = walker.realLocation(*entry);
    return outcome;
}

} // namespace

class TestHomeWalker : public QObject {
    Q_OBJECT

private:
    QTemporaryDir m_root;
    QString m_home;

    void makeLink(const QString &target, const QString &link)
    {
        QVERIFY2(::symlink(QFile::encodeName(target).constData(), QFile::encodeName(m_home + link).constData()) == 0,
                 qPrintable(link));
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_root.isValid());
        m_home = m_root.path() + QStringLiteral("/home/");
        QVERIFY(QDir().mkpath(m_home + QStringLiteral("a/b/c")));
        QVERIFY(QDir().mkpath(m_root.path() + QStringLiteral("/outside/c")));
        const QStringList files = {m_home + QStringLiteral("a/b/c/file"), m_home + QStringLiteral("a/file"),
                                   m_root.path() + QStringLiteral("/outside/c/file")};
        for (const QString &file : files) {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("x");
        }
        makeLink(QStringLiteral("b"), QStringLiteral("a/inside"));                      // relative, inside
        makeLink(m_home + QStringLiteral("a/b"), QStringLiteral("a/absolute"));         // absolute, inside
        makeLink(m_root.path() + QStringLiteral("/outside"), QStringLiteral("a/out"));  // leads outside
        makeLink(QStringLiteral("../../outside"), QStringLiteral("a/up"));              // ".." out of the home
        makeLink(QStringLiteral("nothing"), QStringLiteral("a/b/dangling"));
    }

    void bothWalksReachTheSameEntry_data()
    {
        QTest::addColumn<QByteArray>("path");
        QTest::addColumn<bool>("follow");
        const char *const paths[] = {
            "a/b/c/file",      // plain, exists
            "a/b/c/new",       // plain, the entry to create
            "a/b/c",           // plain, a folder last
            "a/b/missing/x",   // a missing folder on the way
            "a/file/x",        // a file on the way
            "a/inside/c/file", // a relative link on the way
            "a/absolute/c",    // an absolute link inside, on the way
            "a/absolute",      // an absolute link last
            "a/b/dangling",    // a dangling link last
            "a/out/c/file",    // a link outside on the way
            "a/out",           // a link outside last
            "a/up/c",          // ".." out of the home in a link
            "a/b/../b/c/file", // ".." in the path
            "a/./b//c/file",   // "." and an empty component
        };
        for (const char *path : paths) {
            QTest::addRow("%s, follow", path) << QByteArray(path) << true;
            QTest::addRow("%s, no follow", path) << QByteArray(path) << false;
        }
    }

    void bothWalksReachTheSameEntry()
    {
        QFETCH(QByteArray, path);
        QFETCH(bool, follow);
        const HomeWalker walker(m_home);
        QVERIFY(walker.isOpen());
        const HomeWalker::Final final = follow ? HomeWalker::Final::Follow : HomeWalker::Final::NoFollow;
        const Outcome byKernel = resolveWith(walker, segments(path), final, true);
        const Outcome byComponents = resolveWith(walker, segments(path), final, false);
        QVERIFY2(byKernel == byComponents,
                 qPrintable(QStringLiteral("kernel: %1\ncomponents: %2").arg(describe(byKernel), describe(byComponents))));
    }

    void thePlainCaseIsOneKernelWalk()
    {
        // The kernel's walk opens only the folder that holds the entry: the folders passed are not held open.
        const HomeWalker walker(m_home);
        const Result<HomeEntry> entry = walker.resolve(segments("a/b/c/file"), HomeWalker::Final::Follow);
        QVERIFY(entry.ok());
        QVERIFY(entry->exists);
        QCOMPARE(entry->folders.size(), std::size_t(4));
        QVERIFY(!entry->folders[1]);
        QVERIFY(!entry->folders[2]);
        QVERIFY(entry->folders[3]);
        struct stat here {}, expected {};
        QCOMPARE(::fstat(entry->folder(), &here), 0);
        QCOMPARE(::stat(QFile::encodeName(m_home + QStringLiteral("a/b/c")).constData(), &expected), 0);
        QCOMPARE(here.st_ino, expected.st_ino);
    }

    void aFolderSwappedForALinkIsNeverPassedByTheKernel()
    {
        // The same path, before and after a folder on it became a link outside: the second resolve must not
        // pass it (RESOLVE_NO_SYMLINKS), and the component walk refuses it.
        QVERIFY(QDir().mkpath(m_home + QStringLiteral("swap/c")));
        const HomeWalker walker(m_home);
        QVERIFY(walker.resolve(segments("swap/c/file"), HomeWalker::Final::Follow).ok());
        QVERIFY(QDir(m_home + QStringLiteral("swap")).removeRecursively());
        makeLink(m_root.path() + QStringLiteral("/outside"), QStringLiteral("swap"));
        const Result<HomeEntry> swapped = walker.resolve(segments("swap/c/file"), HomeWalker::Final::Follow);
        QVERIFY(!swapped.ok());
        QCOMPARE(swapped.error().code, ErrorCode::PermissionDenied);
    }
};

QTEST_GUILESS_MAIN(TestHomeWalker)
#include "tst_homewalker.moc"
