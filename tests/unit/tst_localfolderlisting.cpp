// LocalFolderReader (common/fileio): what a folder upload takes from a local folder. Regular files with their size
// and time, a link to a file as that file, folders, hidden names; not linked folders, dangling links, special
// files or our own part files.

#include "LocalFolderListing.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

#include <sys/stat.h>
#include <unistd.h>

using namespace ferry;

namespace {

bool writeFile(const QString &path, const QByteArray &bytes)
{
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(bytes) == bytes.size();
}

bool link(const QString &target, const QString &path)
{
    return ::symlink(QFile::encodeName(target).constData(), QFile::encodeName(path).constData()) == 0;
}

// Both of the reader's steps for every entry, as a folder upload takes them: unsorted, in the order the file
// system gives them; empty when the folder cannot be read.
QList<LocalFolderEntry> listLocalFolder(const QString &folder)
{
    const LocalFolderReader reader(folder);
    QList<LocalFolderEntry> entries;
    for (LocalFolderEntry entry : reader.entries()) {
        if (entry.isDir || reader.lookAt(entry))
            entries.append(std::move(entry));
    }
    return entries;
}

} // namespace

class TestLocalFolderListing : public QObject {
    Q_OBJECT
private slots:
    void takesFilesAndFoldersAndLeavesTheRest()
    {
        QTemporaryDir temp;
        QVERIFY(temp.isValid());
        const QString root = temp.path() + QStringLiteral("/up");
        const QString outside = temp.path() + QStringLiteral("/outside");
        QVERIFY(QDir().mkpath(root + QStringLiteral("/sub")));
        QVERIFY(QDir().mkpath(outside));
        QVERIFY(writeFile(root + QStringLiteral("/a.txt"), "12345"));
        QVERIFY(writeFile(root + QStringLiteral("/.hidden"), "h"));
        QVERIFY(writeFile(root + QStringLiteral("/.ferry-part-b.bin"), "partial"));
        QVERIFY(writeFile(outside + QStringLiteral("/target.bin"), QByteArray(300, 't')));
        QVERIFY(link(outside + QStringLiteral("/target.bin"), root + QStringLiteral("/to-file")));
        QVERIFY(link(outside, root + QStringLiteral("/to-folder")));
        QVERIFY(link(root + QStringLiteral("/nowhere"), root + QStringLiteral("/dangling")));
        QCOMPARE(::mkfifo(QFile::encodeName(root + QStringLiteral("/fifo")).constData(), 0600), 0);
        const QDateTime stamp = QDateTime::fromMSecsSinceEpoch(1'600'000'000'123);
        {
            QFile file(root + QStringLiteral("/a.txt"));
            QVERIFY(file.open(QIODevice::ReadWrite) && file.setFileTime(stamp, QFileDevice::FileModificationTime));
        }

        QList<LocalFolderEntry> entries = listLocalFolder(root);
        std::sort(entries.begin(), entries.end(),
                  [](const LocalFolderEntry &x, const LocalFolderEntry &y) { return x.name < y.name; });
        QStringList names;
        for (const LocalFolderEntry &entry : std::as_const(entries))
            names.append(entry.name);
        QCOMPARE(names, QStringList({QStringLiteral(".hidden"), QStringLiteral("a.txt"), QStringLiteral("sub"),
                                     QStringLiteral("to-file")}));
        QCOMPARE(entries[1].path, root + QStringLiteral("/a.txt"));
        QVERIFY(!entries[1].isDir);
        QCOMPARE(entries[1].size, 5);
        QCOMPARE(entries[1].mtimeMs, stamp.toMSecsSinceEpoch());
        QVERIFY(entries[2].isDir);
        QCOMPARE(entries[3].size, 300);   // the link's target
        QVERIFY(!entries[3].isDir);
    }

    // The two steps a folder upload takes: names and kinds first (files not looked at), then each file's size
    // and time; a file gone or turned into something else meanwhile is dropped then.
    void theReaderGivesKindsFirstAndLooksAtFilesLater()
    {
        QTemporaryDir temp;
        const QString root = temp.path();
        QVERIFY(QDir().mkpath(root + QStringLiteral("/sub")));
        QVERIFY(writeFile(root + QStringLiteral("/a"), "123"));
        QVERIFY(writeFile(root + QStringLiteral("/gone"), "x"));
        QVERIFY(writeFile(root + QStringLiteral("/turned"), "x"));
        QVERIFY(link(root + QStringLiteral("/a"), root + QStringLiteral("/to-a")));
        QVERIFY(link(root + QStringLiteral("/sub"), root + QStringLiteral("/to-sub")));
        const LocalFolderReader reader(root);
        QList<LocalFolderEntry> entries = reader.entries();
        std::sort(entries.begin(), entries.end(),
                  [](const LocalFolderEntry &x, const LocalFolderEntry &y) { return x.name < y.name; });
        QStringList names;
        for (const LocalFolderEntry &entry : std::as_const(entries)) {
            names.append(entry.name + (entry.isDir ? QStringLiteral("/") : QString()));
            QCOMPARE(entry.size, 0);   // not looked at yet
        }
        QCOMPARE(names, QStringList({QStringLiteral("a"), QStringLiteral("gone"), QStringLiteral("sub/"),
                                     QStringLiteral("to-a"), QStringLiteral("turned")}));

        QVERIFY(writeFile(root + QStringLiteral("/a"), "12345"));   // grew after the first step
        QVERIFY(QFile::remove(root + QStringLiteral("/gone")));
        QVERIFY(QFile::remove(root + QStringLiteral("/turned")));
        QVERIFY(QDir().mkpath(root + QStringLiteral("/turned")));
        QVERIFY(reader.lookAt(entries[0]));
        QCOMPARE(entries[0].size, 5);
        QVERIFY(entries[0].mtimeMs > 0);
        QVERIFY(!reader.lookAt(entries[1]));
        QVERIFY(reader.lookAt(entries[3]));   // through the link
        QCOMPARE(entries[3].size, 5);
        QVERIFY(!reader.lookAt(entries[4]));
    }

    void aFolderThatCannotBeReadListsNothing()
    {
        QTemporaryDir temp;
        QVERIFY(listLocalFolder(temp.path() + QStringLiteral("/missing")).isEmpty());
        QVERIFY(writeFile(temp.path() + QStringLiteral("/plain"), "x"));
        QVERIFY(listLocalFolder(temp.path() + QStringLiteral("/plain")).isEmpty());
    }

    void aTrailingSlashMakesNoDoubleSlash()
    {
        QTemporaryDir temp;
        QVERIFY(writeFile(temp.path() + QStringLiteral("/f"), "x"));
        const QList<LocalFolderEntry> entries = listLocalFolder(temp.path() + QStringLiteral("/"));
        QCOMPARE(entries.size(), 1);
        QCOMPARE(entries[0].path, temp.path() + QStringLiteral("/f"));
    }
};

QTEST_GUILESS_MAIN(TestLocalFolderListing)
#include "tst_localfolderlisting.moc"
