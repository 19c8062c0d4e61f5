// The storage contract for file contents (server/Storage.h: ReadFile, PartFile, partSize, removeStaleParts) on
// every Storage the sessions may be given: LocalStorage in a temporary folder and the tests' MemoryStorage run
// the same cases, one global data row each, and must agree, error codes included (names: tst_storagecontract).

#include "Protocol.h"
#include "Sha256.h"
#include "StorageContract.h"

#include <QDateTime>

#include <functional>

using namespace ferry;
using namespace ferry::test;

namespace {
constexpr qint64 HourMs = 3600 * 1000;

QByteArray patterned(qint64 size, char seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    for (qint64 i = 0; i < size; ++i)
        bytes[i] = char(seed + i * 7);
    return bytes;
}
} // namespace

class TestStorageFiles : public StorageTestCase {
    Q_OBJECT

private:
    // An interrupted upload's part file: `size` bytes written, then left.
    void leavePart(const char *target, qint64 size)
    {
        Result<std::unique_ptr<PartFile>> part = home().openPart(vp(target), StorageHome::PartMode::Truncate);
        QVERIFY(part.ok());
        QVERIFY((*part)->append(QByteArray(size, 'p')).ok());
    }
    std::unique_ptr<PartFile> openPart(const char *target, StorageHome::PartMode mode = StorageHome::PartMode::Truncate)
    {
        Result<std::unique_ptr<PartFile>> part = home().openPart(vp(target), mode);
        return part.ok() ? std::move(*part) : nullptr;
    }

private slots:
    // --- reads ---

    void readsGiveTheBytesSizeAndMtime()
    {
        const QByteArray bytes = patterned(3000, 'a');
        QVERIFY(storeFile(home(), vp("/f"), bytes, 1650000000456).ok());
        Result<std::unique_ptr<ReadFile>> file = home().openRead(vp("/f"));
        QVERIFY(file.ok());
        QCOMPARE((*file)->size(), qint64(3000));
        QCOMPARE((*file)->mtimeMs(), qint64(1650000000456));
        QByteArray buffer(500, Qt::Uninitialized);
        QCOMPARE((*file)->readAt(buffer.data(), 500, 1000), qint64(500));
        QCOMPARE(buffer, bytes.mid(1000, 500));
        QCOMPARE((*file)->readAt(buffer.data(), 500, 2800), qint64(200));
        QCOMPARE(buffer.left(200), bytes.mid(2800));
        QCOMPARE((*file)->readAt(buffer.data(), 500, 3000), qint64(0));
        QCOMPARE(readAll(home(), vp("/f")), bytes);
    }

    void readsRefuseFoldersAndMissingFiles()
    {
        QVERIFY(home().makeDirectory(vp("/d"), false).ok());
        QVERIFY(storeFile(home(), vp("/f"), "x").ok());
        expect(home().openRead(vp("/d")).error(), ErrorCode::IsADirectory);
        expect(home().openRead(vp("/")).error(), ErrorCode::IsADirectory);
        expect(home().openRead(vp("/none")).error(), ErrorCode::NotFound);
        expect(home().openRead(vp("/none/x")).error(), ErrorCode::NotFound);
        expect(home().openRead(vp("/f/x")).error(), ErrorCode::NotADirectory);
    }

    void aReaderKeepsTheVersionItOpened()
    {
        // PROTOCOL.md §14.2: an upload that replaces the file meanwhile does not mix into a running download.
        QVERIFY(storeFile(home(), vp("/f"), "the old contents").ok());
        Result<std::unique_ptr<ReadFile>> reader = home().openRead(vp("/f"));
        QVERIFY(reader.ok());
        QVERIFY(storeFile(home(), vp("/f"), "new").ok());
        QByteArray buffer(16, Qt::Uninitialized);
        QCOMPARE((*reader)->readAt(buffer.data(), 16, 0), qint64(16));
        QCOMPARE(buffer, QByteArray("the old contents"));
        QCOMPARE(readAll(home(), vp("/f")), QByteArray("new"));
    }

    void theHashRememberedAtUploadHoldsWhileSizeAndMtimeMatch()
    {
        const QByteArray bytes = patterned(100, 'h');
        QVERIFY(storeFile(home(), vp("/f"), bytes, 1700000000000).ok());
        QCOMPARE((*home().openRead(vp("/f")))->knownSha256(), Sha256::hex(bytes));
        fixture().alterFile(Alice, vp("/f"), bytes, 1700000005000);   // touched
        QCOMPARE((*home().openRead(vp("/f")))->knownSha256(), QByteArray());

        QVERIFY(storeFile(home(), vp("/g"), bytes, 1700000000000).ok());
        fixture().alterFile(Alice, vp("/g"), bytes + "!", 1700000000000);   // grown, the mtime put back
        QCOMPARE((*home().openRead(vp("/g")))->knownSha256(), QByteArray());

        std::unique_ptr<PartFile> unhashed = openPart("/u");
        QVERIFY(unhashed);
        QVERIFY(unhashed->append(bytes).ok());
        QVERIFY(unhashed->commit(false).ok());
        QCOMPARE((*home().openRead(vp("/u")))->knownSha256(), QByteArray());
    }

    // A download that read a whole file hands its hash back: kept only for a file whose mtime had settled before
    // the read and that did not change meanwhile (else a change within the mtime's granularity could hide).
    void aHashFromAFullReadIsRememberedOnlyWhenSettledAndUnchanged()
    {
        const QByteArray bytes = patterned(100, 'r');
        const QByteArray hash = Sha256::hex(bytes);
        const qint64 minuteAgo = QDateTime::currentMSecsSinceEpoch() - 60 * 1000;
        const auto remembered = [&](const char *path, const std::function<void()> &whileOpen = {}) {
            Result<std::unique_ptr<ReadFile>> file = home().openRead(vp(path));
            if (!file || !(*file)->knownSha256().isEmpty())
                return QByteArray("<unexpected before>");
            if (whileOpen)
                whileOpen();
            (*file)->rememberSha256(hash);
            return (*home().openRead(vp(path)))->knownSha256();
        };
        // Placed behind ferryd's back (no hash of its own), a minute ago.
        const auto place = [&](const char *path, qint64 mtimeMs) {
            QVERIFY(storeFile(home(), vp(path), "other").ok());
            fixture().alterFile(Alice, vp(path), bytes, mtimeMs);
        };

        place("/settled", minuteAgo);
        QCOMPARE(remembered("/settled"), hash);

        place("/fresh", QDateTime::currentMSecsSinceEpoch());
        QCOMPARE(remembered("/fresh"), QByteArray());
        fixture().passTime(Alice, 2 * ReadFile::SettledMtimeMs);   // the same file later: settled now
        QCOMPARE(remembered("/fresh"), hash);

        place("/grown", minuteAgo);
        QCOMPARE(remembered("/grown", [&] { fixture().alterFile(Alice, vp("/grown"), bytes + "!", minuteAgo); }), QByteArray());
        place("/touched", minuteAgo);
        QCOMPARE(remembered("/touched", [&] { fixture().alterFile(Alice, vp("/touched"), bytes, minuteAgo + 1000); }), QByteArray());
    }

    // --- part files ---

    void partFilesAreTruncatedOrKept()
    {
        leavePart("/f", 3);
        QCOMPARE(home().partSize(vp("/f")), qint64(3));
        std::unique_ptr<PartFile> kept = openPart("/f", StorageHome::PartMode::Keep);
        QVERIFY(kept);
        QCOMPARE(kept->size(), qint64(3));
        Sha256 prefix;
        QVERIFY(kept->hashContents(prefix).ok());
        QCOMPARE(prefix.hexDigest(), Sha256::hex("ppp"));
        QVERIFY(kept->append("more").ok());
        QVERIFY(kept->finishWrites().ok());
        QCOMPARE(kept->size(), qint64(7));
        QCOMPARE(home().partSize(vp("/f")), qint64(7));
        kept.reset();
        std::unique_ptr<PartFile> resumed = openPart("/f", StorageHome::PartMode::Keep);
        QVERIFY(resumed->commit(false).ok());
        QCOMPARE(readAll(home(), vp("/f")), QByteArray("pppmore"));
        std::unique_ptr<PartFile> truncated = openPart("/f", StorageHome::PartMode::Truncate);
        QVERIFY(truncated);
        QCOMPARE(truncated->size(), qint64(0));
        QCOMPARE(home().partSize(vp("/f")), qint64(0));
        QVERIFY(truncated->append("x").ok());
        QCOMPARE(*truncated->commit(true), qint64(7));
        QCOMPARE(readAll(home(), vp("/f")), QByteArray("x"));
        QCOMPARE(home().partSize(vp("/none")), qint64(0));
        QCOMPARE(home().partSize(vp("/")), qint64(0));
        QCOMPARE(home().partSize(vp("/no/such")), qint64(0));
    }

    void partFilesRefuseFoldersAndMissingParents()
    {
        QVERIFY(home().makeDirectory(vp("/d"), false).ok());
        QVERIFY(storeFile(home(), vp("/f"), "x").ok());
        expect(home().openPart(vp("/"), StorageHome::PartMode::Truncate).error(), ErrorCode::IsADirectory);
        expect(home().openPart(vp("/d"), StorageHome::PartMode::Keep).error(), ErrorCode::IsADirectory);
        expect(home().openPart(vp("/none/x"), StorageHome::PartMode::Truncate).error(), ErrorCode::NotFound);
        expect(home().openPart(vp("/f/x"), StorageHome::PartMode::Truncate).error(), ErrorCode::NotADirectory);
    }

    void commitPutsThePartFileInPlace()
    {
        std::unique_ptr<PartFile> part = openPart("/f");
        QVERIFY(part);
        QVERIFY(part->append("first").ok());
        QVERIFY(part->finishWrites().ok());
        QVERIFY(part->sync().ok());
        part->setMtime(1600000000000);
        QCOMPARE(*part->commit(false), qint64(0));
        part->syncFolder();
        QCOMPARE(readAll(home(), vp("/f")), QByteArray("first"));
        QCOMPARE(home().stat(vp("/f"))->mtimeMs, qint64(1600000000000));
        QCOMPARE(home().partSize(vp("/f")), qint64(0));
        QCOMPARE(listNames(home(), vp("/")), QStringList{QStringLiteral("f")});

        // Without replace, a taken name is `exists`, and the part file stays for the caller to discard.
        part = openPart("/f");
        QVERIFY(part->append("second!").ok());
        expect(part->commit(false).error(), ErrorCode::Exists);
        QCOMPARE(home().partSize(vp("/f")), qint64(7));
        QCOMPARE(readAll(home(), vp("/f")), QByteArray("first"));
        QCOMPARE(home().usage(), qint64(5 + 7));
        QCOMPARE(*part->commit(true), qint64(5));   // the bytes it freed
        QCOMPARE(readAll(home(), vp("/f")), QByteArray("second!"));
        QCOMPARE(home().usage(), qint64(7));
    }

    void commitOntoAFolderIsRefused()
    {
        std::unique_ptr<PartFile> part = openPart("/x");
        QVERIFY(part);
        QVERIFY(part->append("data").ok());
        QVERIFY(home().makeDirectory(vp("/x"), false).ok());   // the target became a folder meanwhile
        expect(part->commit(true).error(), ErrorCode::IsADirectory);
        QVERIFY(home().stat(vp("/x"))->isDir);
    }

    void discardDeletesThePartFile()
    {
        std::unique_ptr<PartFile> part = openPart("/f");
        QVERIFY(part->append(QByteArray(10, 'x')).ok());
        QCOMPARE(home().usage(), qint64(10));
        part->discard();
        QCOMPARE(home().partSize(vp("/f")), qint64(0));
        QCOMPARE(home().usage(), qint64(0));
        expect(home().stat(vp("/f")).error(), ErrorCode::NotFound);
    }

    void aPartFileFollowsItsFolderAndFindsNothingWhenTheFolderIsGone()
    {
        QVERIFY(home().makeDirectory(vp("/d"), false).ok());
        QVERIFY(home().makeDirectory(vp("/g"), false).ok());
        std::unique_ptr<PartFile> moved = openPart("/d/f");
        std::unique_ptr<PartFile> neighbour = openPart("/d/h");
        std::unique_ptr<PartFile> orphan = openPart("/g/f");
        QVERIFY(moved && neighbour && orphan);
        QCOMPARE(moved->folderId(), neighbour->folderId());   // one folder sync serves both
        QVERIFY(moved->folderId() != orphan->folderId());
        QVERIFY(moved->append("abc").ok());
        QVERIFY(orphan->append("defg").ok());

        QCOMPARE(*home().rename(vp("/d"), vp("/e"), false), qint64(0));
        QCOMPARE(*moved->commit(false), qint64(0));
        QCOMPARE(readAll(home(), vp("/e/f")), QByteArray("abc"));

        QCOMPARE(*home().remove(vp("/g"), true), qint64(4));   // its part file's bytes
        expect(orphan->commit(false).error(), ErrorCode::IoError);
        orphan->discard();
        expect(home().stat(vp("/g")).error(), ErrorCode::NotFound);
        QCOMPARE(home().usage(), qint64(3));
    }

    void staleUnlockedPartFilesAreSwept()
    {
        QVERIFY(home().makeDirectory(vp("/d"), false).ok());
        leavePart("/old", 3);
        leavePart("/d/locked", 5);
        QVERIFY(storeFile(home(), vp("/file"), "kept").ok());
        fixture().passTime(Alice, 2 * HourMs);
        leavePart("/fresh", 7);

        QStringList asked;
        const QString lockedKey = home().lockKey(vp("/d/locked"));
        const auto isLocked = [&](const QString &key) {
            asked.append(key);
            return key == lockedKey;
        };
        QCOMPARE(home().removeStaleParts(HourMs, isLocked), qint64(3));
        QVERIFY2(asked.contains(lockedKey), qPrintable(asked.join(u' ')));
        QCOMPARE(home().partSize(vp("/old")), qint64(0));
        QCOMPARE(home().partSize(vp("/d/locked")), qint64(5));
        QCOMPARE(home().partSize(vp("/fresh")), qint64(7));
        QCOMPARE(home().usage(), qint64(5 + 4 + 7));

        // Unlocked, it goes too; finished files are never swept, however old.
        QCOMPARE(home().removeStaleParts(HourMs, [](const QString &) { return false; }), qint64(5));
        QCOMPARE(readAll(home(), vp("/file")), QByteArray("kept"));
        QCOMPARE(home().usage(), qint64(4 + 7));
    }

    void aLockedTargetKeepsItsPartFileWhateverTheLengthOfItsName()
    {
        // A part file's own name must be short enough for the file system (LocalStorage hashes a long one): the lock
        // on its target must still keep it from the sweep while a put holds it, also when resumed from an old one.
        const QByteArray longName = '/' + QByteArray(250, 'n');
        const VirtualPath target = vp(longName.constData());
        leavePart(longName.constData(), 9);
        leavePart("/short", 3);
        fixture().passTime(Alice, 2 * HourMs);
        std::unique_ptr<PartFile> resumed = openPart(longName.constData(), StorageHome::PartMode::Keep);
        QVERIFY(resumed);
        const QStringList locked{home().lockKey(target), home().lockKey(vp("/short"))};
        QCOMPARE(home().removeStaleParts(HourMs, [&](const QString &key) { return locked.contains(key); }), qint64(0));
        QCOMPARE(home().partSize(target), qint64(9));
        QVERIFY(resumed->append("+").ok());
        QCOMPARE(*resumed->commit(false), qint64(0));
        QCOMPARE(readAll(home(), target), QByteArray("ppppppppp+"));
        // Unlocked, a stale one is swept like any other.
        QCOMPARE(home().removeStaleParts(HourMs, [](const QString &) { return false; }), qint64(3));
        QCOMPARE(home().usage(), qint64(10));
    }
};

QTEST_GUILESS_MAIN(TestStorageFiles)
#include "tst_storagefiles.moc"
