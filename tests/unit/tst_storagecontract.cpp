// The storage contract (server/Storage.h, docs/PROTOCOL.md §10-12) on every Storage the sessions may be given:
// LocalStorage in a temporary folder and the tests' MemoryStorage run the same cases, one global data row each,
// and must agree, error codes included. Here: homes, stat, list, mkdir, rename, remove, usage and lock keys;
// file contents and part files are in tst_storagefiles. Symlinks are LocalStorage's alone (tst_localstorage).

#include "Protocol.h"
#include "StorageContract.h"

#include <QSet>

using namespace ferry;
using namespace ferry::test;

class TestStorageContract : public StorageTestCase {
    Q_OBJECT

private:
    void store(const char *path, qint64 size) { QVERIFY(storeFile(home(), vp(path), QByteArray(size, 'x')).ok()); }
    qint64 sizeOf(const char *path) { return home().stat(vp(path)).ok() ? home().stat(vp(path))->size : -1; }

private slots:
    // --- homes ---

    void homesAreCreatedOpenedAndRemoved()
    {
        Storage &storage = fixture().storage();
        expect(storage.openHome(QStringLiteral("bob")).error(), ErrorCode::IoError);
        QVERIFY(storage.createHome(QStringLiteral("bob")).ok());
        QVERIFY(storage.createHome(QStringLiteral("bob")).ok());   // again: nothing changes
        const Result<std::shared_ptr<StorageHome>> bob = storage.openHome(QStringLiteral("bob"));
        QVERIFY(bob.ok());
        QCOMPARE(listNames(**bob, vp("/")), QStringList());
        QCOMPARE((*bob)->usage(), qint64(0));

        // Two handles of one home share its files; another home sees none of them.
        store("/shared", 5);
        QCOMPARE((*storage.openHome(Alice))->stat(vp("/shared"))->size, qint64(5));
        expect((*bob)->stat(vp("/shared")).error(), ErrorCode::NotFound);

        for (const char *name : {"..", ".", "a/b", ".ferry-x", ""}) {
            expect(storage.openHome(QString::fromLatin1(name)).error(), ErrorCode::PermissionDenied);
            expect(storage.createHome(QString::fromLatin1(name)).error(), ErrorCode::IoError);
        }
        QVERIFY(storage.removeHome(QStringLiteral("bob")).ok());
        expect(storage.openHome(QStringLiteral("bob")).error(), ErrorCode::IoError);
        QCOMPARE(sizeOf("/shared"), qint64(5));
    }

    // --- stat and list ---

    void statReportsFilesFoldersAndTheHome()
    {
        QVERIFY(storeFile(home(), vp("/f.txt"), QByteArray(1234, 'x'), 1600000000123).ok());
        QVERIFY(home().makeDirectory(vp("/d"), false).ok());
        const Result<EntryInfo> file = home().stat(vp("/f.txt"));
        QVERIFY(file.ok());
        QCOMPARE(file->name, QStringLiteral("f.txt"));
        QVERIFY(!file->isDir);
        QCOMPARE(file->size, qint64(1234));
        QCOMPARE(file->mtimeMs, qint64(1600000000123));
        const Result<EntryInfo> folder = home().stat(vp("/d"));
        QVERIFY(folder->isDir);
        QCOMPARE(folder->size, qint64(0));
        QVERIFY(folder->mtimeMs > 0);
        QCOMPARE(home().stat(vp("/"))->name, QStringLiteral("/"));
        QVERIFY(home().stat(vp("/"))->isDir);
    }

    void missingPathsSayWhy()
    {
        store("/f.txt", 1);
        expect(home().stat(vp("/nope")).error(), ErrorCode::NotFound);
        expect(home().stat(vp("/nope/deeper")).error(), ErrorCode::NotFound);
        expect(home().stat(vp("/f.txt/x")).error(), ErrorCode::NotADirectory);
        expect(home().stat(vp("/f.txt/x/y")).error(), ErrorCode::NotADirectory);
        const Error error = home().stat(vp("/nope")).error();
        QVERIFY2(error.message.contains(QStringLiteral("\"/nope\"")), qPrintable(error.message));
        QCOMPARE(listNames(home(), vp("/f.txt")), QStringList{QStringLiteral("<error not_a_directory>")});
        QCOMPARE(listNames(home(), vp("/none")), QStringList{QStringLiteral("<error not_found>")});
        QCOMPARE(listNames(home(), vp("/none/x")), QStringList{QStringLiteral("<error not_found>")});
        QCOMPARE(listNames(home(), vp("/f.txt/x")), QStringList{QStringLiteral("<error not_a_directory>")});
    }

    void listingShowsFilesAndFoldersButNeverPartFiles()
    {
        store("/a", 1);
        store("/.dotfile", 2);
        QVERIFY(home().makeDirectory(vp("/sub"), false).ok());
        store("/sub/inner", 3);
        Result<std::unique_ptr<PartFile>> pending = home().openPart(vp("/pending"), StorageHome::PartMode::Truncate);
        QVERIFY(pending.ok());
        QVERIFY((*pending)->append(QByteArray(100, 'p')).ok());
        pending->reset();   // an interrupted upload: its part file stays
        QCOMPARE(listNames(home(), vp("/")), (QStringList{QStringLiteral(".dotfile"), QStringLiteral("a"), QStringLiteral("sub")}));
        QCOMPARE(listNames(home(), vp("/sub")), QStringList{QStringLiteral("inner")});

        Result<std::unique_ptr<DirectoryCursor>> cursor = home().openDirectory(vp("/"));
        QVERIFY(cursor.ok());
        QHash<QString, EntryInfo> entries;
        while (const std::optional<EntryInfo> entry = (*cursor)->next())
            entries.insert(entry->name, *entry);
        QVERIFY((*cursor)->error().ok());
        QCOMPARE(entries.value(QStringLiteral("a")).size, qint64(1));
        QVERIFY(!entries.value(QStringLiteral("a")).isDir);
        QVERIFY(entries.value(QStringLiteral("sub")).isDir);
        QCOMPARE(entries.value(QStringLiteral("sub")).size, qint64(0));
        QCOMPARE(home().usage(), qint64(1 + 2 + 3 + 100));   // part files count
    }

    void listingGivesEveryEntryOnce()
    {
        QVERIFY(home().makeDirectory(vp("/many"), false).ok());
        for (int i = 0; i < 300; ++i)
            QVERIFY(storeFile(home(), *vp("/many").child(QStringLiteral("f%1").arg(i)), QByteArray(i % 3, 'x')).ok());
        Result<std::unique_ptr<DirectoryCursor>> cursor = home().openDirectory(vp("/many"));
        QVERIFY(cursor.ok());
        QSet<QString> seen;
        qint64 bytes = 0;
        while (const std::optional<EntryInfo> entry = (*cursor)->next()) {
            QVERIFY2(!seen.contains(entry->name), qPrintable(entry->name));
            seen.insert(entry->name);
            bytes += entry->size;
        }
        QCOMPARE(seen.size(), 300);
        QCOMPARE(bytes, qint64(300));   // 100 × (0 + 1 + 2)
        QVERIFY(!(*cursor)->next());
    }

    // --- mkdir ---

    void makeDirectoryCreatesAndReportsConflicts()
    {
        QVERIFY(home().makeDirectory(vp("/d"), false).ok());
        QVERIFY(home().stat(vp("/d"))->isDir);
        expect(home().makeDirectory(vp("/d"), false).error(), ErrorCode::Exists);
        QVERIFY(home().makeDirectory(vp("/d"), true).ok());
        QVERIFY(home().makeDirectory(vp("/"), true).ok());
        expect(home().makeDirectory(vp("/"), false).error(), ErrorCode::Exists);

        expect(home().makeDirectory(vp("/x/y/z"), false).error(), ErrorCode::NotFound);
        expect(home().stat(vp("/x")).error(), ErrorCode::NotFound);
        QVERIFY(home().makeDirectory(vp("/x/y/z"), true).ok());
        QVERIFY(home().stat(vp("/x/y/z"))->isDir);

        store("/file", 1);
        expect(home().makeDirectory(vp("/file"), false).error(), ErrorCode::Exists);
        expect(home().makeDirectory(vp("/file"), true).error(), ErrorCode::Exists);
        expect(home().makeDirectory(vp("/file/sub"), false).error(), ErrorCode::NotADirectory);
        expect(home().makeDirectory(vp("/file/sub/deeper"), true).error(), ErrorCode::NotADirectory);
        QCOMPARE(sizeOf("/file"), qint64(1));
    }

    // --- rename ---

    void renameMovesFilesAndFolders()
    {
        store("/a", 3);
        QVERIFY(home().makeDirectory(vp("/d/inner"), true).ok());
        QCOMPARE(*home().rename(vp("/a"), vp("/d/b"), false), qint64(0));
        expect(home().stat(vp("/a")).error(), ErrorCode::NotFound);
        QCOMPARE(sizeOf("/d/b"), qint64(3));
        QCOMPARE(*home().rename(vp("/d"), vp("/e"), false), qint64(0));   // with everything in it
        QVERIFY(home().stat(vp("/e/inner"))->isDir);
        QCOMPARE(sizeOf("/e/b"), qint64(3));
        expect(home().stat(vp("/d")).error(), ErrorCode::NotFound);
        // Onto itself: nothing to do, also with overwrite.
        QCOMPARE(*home().rename(vp("/e"), vp("/e"), false), qint64(0));
        QCOMPARE(*home().rename(vp("/e/b"), vp("/e/b"), true), qint64(0));
        QCOMPARE(sizeOf("/e/b"), qint64(3));
        QCOMPARE(home().usage(), qint64(3));
    }

    void renameOverAFileNeedsOverwriteAndFreesItsSize()
    {
        store("/new", 3);
        store("/old", 50);
        expect(home().rename(vp("/new"), vp("/old"), false).error(), ErrorCode::Exists);
        QCOMPARE(sizeOf("/old"), qint64(50));
        QCOMPARE(*home().rename(vp("/new"), vp("/old"), true), qint64(50));
        QCOMPARE(sizeOf("/old"), qint64(3));
        expect(home().stat(vp("/new")).error(), ErrorCode::NotFound);
        QCOMPARE(home().usage(), qint64(3));
    }

    void renameNeverReplacesOrMovesAFolderOntoAnExistingName()
    {
        QVERIFY(home().makeDirectory(vp("/d1"), false).ok());
        QVERIFY(home().makeDirectory(vp("/emptyDir"), false).ok());
        store("/f", 1);
        expect(home().rename(vp("/d1"), vp("/emptyDir"), true).error(), ErrorCode::Exists);
        expect(home().rename(vp("/d1"), vp("/f"), true).error(), ErrorCode::Exists);
        expect(home().rename(vp("/f"), vp("/emptyDir"), true).error(), ErrorCode::IsADirectory);
        expect(home().rename(vp("/f"), vp("/emptyDir"), false).error(), ErrorCode::Exists);
        QVERIFY(home().stat(vp("/emptyDir"))->isDir);
        QVERIFY(home().stat(vp("/d1"))->isDir);
        QCOMPARE(sizeOf("/f"), qint64(1));
    }

    void renameRefusesTheHomeAndMovesIntoItself()
    {
        QVERIFY(home().makeDirectory(vp("/a/b"), true).ok());
        expect(home().rename(vp("/"), vp("/x"), false).error(), ErrorCode::PermissionDenied);
        expect(home().rename(vp("/a"), vp("/"), true).error(), ErrorCode::PermissionDenied);
        expect(home().rename(vp("/a"), vp("/a/b/c"), false).error(), ErrorCode::InvalidPath);
        expect(home().rename(vp("/a"), vp("/a/b"), true).error(), ErrorCode::InvalidPath);
        QVERIFY(home().stat(vp("/a/b"))->isDir);
    }

    void renameOfAMissingSourceOrTargetFolder()
    {
        store("/f", 1);
        store("/g", 1);
        expect(home().rename(vp("/none"), vp("/x"), false).error(), ErrorCode::NotFound);
        expect(home().rename(vp("/no/such"), vp("/x"), false).error(), ErrorCode::NotFound);
        expect(home().rename(vp("/f/x"), vp("/x"), false).error(), ErrorCode::NotADirectory);
        expect(home().rename(vp("/f"), vp("/no/such"), false).error(), ErrorCode::NotFound);
        expect(home().rename(vp("/g"), vp("/f/x"), false).error(), ErrorCode::NotADirectory);
        expect(home().rename(vp("/f"), vp("/f/x"), false).error(), ErrorCode::InvalidPath);
        QCOMPARE(sizeOf("/f"), qint64(1));
        QCOMPARE(sizeOf("/g"), qint64(1));
    }

    // --- remove and usage ---

    void removeOfAFileFreesItsSize()
    {
        store("/f", 42);
        QCOMPARE(*home().remove(vp("/f"), false), qint64(42));
        expect(home().stat(vp("/f")).error(), ErrorCode::NotFound);
        expect(home().remove(vp("/f"), false).error(), ErrorCode::NotFound);
        expect(home().remove(vp("/no/f"), false).error(), ErrorCode::NotFound);
        expect(home().remove(vp("/"), true).error(), ErrorCode::PermissionDenied);
        QVERIFY(home().stat(vp("/"))->isDir);
        QCOMPARE(home().usage(), qint64(0));
    }

    void removeOfAFolderNeedsRecursiveUnlessEmptyAndFreesItsPartFiles()
    {
        QVERIFY(home().makeDirectory(vp("/d/sub/deeper"), true).ok());
        store("/d/a", 10);
        store("/d/sub/b", 20);
        Result<std::unique_ptr<PartFile>> part = home().openPart(vp("/d/sub/deeper/c"), StorageHome::PartMode::Truncate);
        QVERIFY(part.ok());
        QVERIFY((*part)->append(QByteArray(30, 'c')).ok());
        part->reset();
        QVERIFY(home().makeDirectory(vp("/empty"), false).ok());
        store("/kept", 7);

        expect(home().remove(vp("/d"), false).error(), ErrorCode::NotEmpty);
        QCOMPARE(sizeOf("/d/a"), qint64(10));
        QCOMPARE(*home().remove(vp("/empty"), false), qint64(0));
        QCOMPARE(home().usage(), qint64(67));
        QCOMPARE(*home().remove(vp("/d"), true), qint64(60));
        expect(home().stat(vp("/d")).error(), ErrorCode::NotFound);
        QCOMPARE(home().usage(), qint64(7));
    }

    void aFolderHoldingOnlyPartFilesCountsAsEmpty()
    {
        QVERIFY(home().makeDirectory(vp("/d"), false).ok());
        Result<std::unique_ptr<PartFile>> part = home().openPart(vp("/d/x"), StorageHome::PartMode::Truncate);
        QVERIFY(part.ok());
        QVERIFY((*part)->append(QByteArray(25, 'x')).ok());
        part->reset();
        QCOMPARE(listNames(home(), vp("/d")), QStringList());
        QCOMPARE(*home().remove(vp("/d"), false), qint64(25));
        expect(home().stat(vp("/d")).error(), ErrorCode::NotFound);
        QCOMPARE(home().usage(), qint64(0));
    }

    // --- lock keys ---

    void lockKeysNameWhatAPathDesignates()
    {
        QVERIFY(home().makeDirectory(vp("/d"), false).ok());
        store("/d/f", 1);
        const QString file = home().lockKey(vp("/d/f"));
        QVERIFY(!file.isEmpty());
        QCOMPARE(home().lockKey(vp("/d/f")), file);
        QCOMPARE((*fixture().storage().openHome(Alice))->lockKey(vp("/d/f")), file);   // any handle of the home
        QVERIFY(home().lockKey(vp("/d/g")) != file);
        // A folder's key, then "/", begins the keys of the paths below it; the home's too.
        QVERIFY(file.startsWith(home().lockKey(vp("/d")) + u'/'));
        QVERIFY(home().lockKey(vp("/d")).startsWith(home().lockKey(vp("/")) + u'/'));
        QVERIFY(!home().lockKey(vp("/dd")).startsWith(home().lockKey(vp("/d")) + u'/'));
        // Paths that do not exist yet have keys (an upload locks its target before creating it).
        QVERIFY(home().lockKey(vp("/no/such/file")).startsWith(home().lockKey(vp("/no")) + u'/'));
        // Another user's same path is another thing.
        QVERIFY(fixture().storage().createHome(QStringLiteral("bob")).ok());
        QVERIFY((*fixture().storage().openHome(QStringLiteral("bob")))->lockKey(vp("/d/f")) != file);
    }
};

QTEST_GUILESS_MAIN(TestStorageContract)
#include "tst_storagecontract.moc"
