#pragma once
// Storage on the local disk: each home is a real folder, and every virtual path is walked beneath the
// home's descriptor (HomeWalker): a path whose real location is outside the home gets permission_denied,
// and every call acts on descriptors it walked to, never on a path the kernel resolves again. Stateless and
// thread-safe: one instance may serve every session.
//
// Rules beyond docs/PROTOCOL.md, chosen here:
// - rename never replaces a folder and a folder never replaces anything: a rename whose target exists is
//   `exists` when the source is a folder (even with overwrite), `is_a_directory` when a file would replace
//   a folder; only a file replaces a file (or a symlink), with overwrite.
// - Symlinks count as their target for what clients see (type, size, mtime), but remove and rename act
//   on the link itself. Links that lead outside the home, dangling links, special files (fifos, sockets,
//   devices) and names that are not valid on the wire are not listed; stat on a special file is
//   permission_denied.
// - A folder holding nothing but the server's own ".ferry-" files counts as empty: a non-recursive remove
//   deletes it together with them.
// - When a remove fails half-way the error is returned and some bytes may have been freed: the caller
//   should recount with usage().

#include "HomeWalker.h"
#include "Storage.h"

namespace ferry {

// A file an overwrite replaced, waiting to be deleted off the reply path: hidden, never counted in the usage
// (the ledger freed it at the commit), swept with stale part files should ferryd stop before deleting it.
inline constexpr char TrashFilePrefix[] = ".ferry-trash-";
// On a part file whose name is hashed (partFileName()): its target's name, so that the sweep finds the target's
// lock. Without extended attributes such a part file is kept safe only by the put touching it.
inline constexpr char PartTargetAttribute[] = "user.ferry.target";

// The local disk: one real folder per user under `homesRoot`.
class LocalStorage : public Storage {
public:
    explicit LocalStorage(const QString &homesRoot);

    Result<std::shared_ptr<StorageHome>> openHome(const QString &user) override;
    Status createHome(const QString &user) override;
    Status removeHome(const QString &user) override;

    // The name of the part file an upload to `targetName` writes beside it: ".ferry-part-" + the name,
    // or + the hex SHA-256 of the name when that would exceed 255 bytes.
    static QString partFileName(const QString &targetName);

private:
    QString homeFolder(const QString &user) const;
    QString m_root;
};

// One home folder, held open. Safe to share between threads.
class LocalHome : public StorageHome {
public:
    explicit LocalHome(const QString &homeFolder);

    Result<EntryInfo> stat(const VirtualPath &path) const override;
    Result<std::unique_ptr<DirectoryCursor>> openDirectory(const VirtualPath &path) const override;
    Status makeDirectory(const VirtualPath &path, bool parents) override;
    Result<qint64> rename(const VirtualPath &from, const VirtualPath &to, bool overwrite) override;
    Result<qint64> remove(const VirtualPath &path, bool recursive) override;
    // Sum of the sizes of every regular file in the home, part files included, replaced files waiting for
    // deletion not; symlinks not followed.
    qint64 usage() const override;

    Result<std::unique_ptr<ReadFile>> openRead(const VirtualPath &path) override;
    qint64 partSize(const VirtualPath &target) const override;
    Result<std::unique_ptr<PartFile>> openPart(const VirtualPath &target, PartMode mode,
                                               const UploadTarget *found = nullptr) override;
    qint64 removeStaleParts(qint64 lifetimeMs, const std::function<bool(const QString &)> &isLocked) override;
    // The real location of what the path names (symlinks followed): one key for all its aliases.
    QString lockKey(const VirtualPath &path) const override;
    bool syncAll() override;
    // One walk when the parent is there and the target is a file, a folder or nothing (the usual put); any
    // other case asks as the default does, so every error reads the same.
    Result<UploadTarget> uploadTarget(const VirtualPath &target) const override;

private:
    // The folder uploadTarget() walked to and the target's name in it, kept open for openPart().
    struct Place : TargetPlace {
        UniqueFd folder;
        QByteArray name;
    };
    // What the part file of the entry (a file, or nothing yet) holds: 0 when there is none of our own.
    static qint64 partBytesBeside(const HomeEntry &entry);
    // The part file for the entry `name` in the walked `folder` (inside the home; O_PATH is enough), which the
    // part file keeps for its rename and its folder's sync.
    static Result<std::unique_ptr<PartFile>> openPartIn(UniqueFd folder, const QByteArray &name, const VirtualPath &target,
                                                        PartMode mode);
    // The entry a path names, walked beneath the home; permission_denied when it leads outside.
    Result<HomeEntry> locate(const VirtualPath &path, HomeWalker::Final final) const;
    // locate() that also needs every folder on the way to exist (not_found / not_a_directory otherwise).
    Result<HomeEntry> locateReached(const VirtualPath &path, HomeWalker::Final final) const;
    // not_found or not_a_directory for a path that does not exist, depending on what is missing.
    static Error missing(const VirtualPath &path, const HomeEntry &entry);

    std::shared_ptr<const HomeWalker> m_walker;
};

} // namespace ferry
