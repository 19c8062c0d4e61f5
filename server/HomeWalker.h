#pragma once
// Walks virtual paths beneath a home folder's descriptor, one component at a time, and never lets the
// kernel follow a symlink: each component is looked at with AT_SYMLINK_NOFOLLOW / O_NOFOLLOW relative to the
// folder before it, and a symlink is read and its target walked the same way ("..", or an absolute target
// that names the home). So no link, planted before or swapped in during an operation, leads outside, and no
// path is ever canonicalised. A path of plain names through real folders is first tried in one openat2 with
// RESOLVE_BENEATH and RESOLVE_NO_SYMLINKS, which refuses the same escapes; anything else (a link on the way,
// a missing folder, a kernel without openat2) takes the component walk. (openat2 alone would refuse every
// absolute link, also those that stay inside the home, which WIRE.md lets administrators make.)

#include "Result.h"

#include <QByteArrayList>
#include <QString>

#include <sys/stat.h>

#include <deque>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

namespace ferry {

// A file descriptor that closes itself.
class UniqueFd {
public:
    UniqueFd() = default;
    explicit UniqueFd(int fd) : m_fd(fd) {}
    UniqueFd(UniqueFd &&other) noexcept : m_fd(std::exchange(other.m_fd, -1)) {}
    UniqueFd &operator=(UniqueFd &&other) noexcept
    {
        reset(std::exchange(other.m_fd, -1));
        return *this;
    }
    UniqueFd(const UniqueFd &) = delete;
    UniqueFd &operator=(const UniqueFd &) = delete;
    ~UniqueFd() { reset(); }

    int get() const { return m_fd; }
    int release() { return std::exchange(m_fd, -1); }
    void reset(int fd = -1);
    explicit operator bool() const { return m_fd >= 0; }

private:
    int m_fd = -1;
};

// Where a path leads: the folder that holds the entry (open, inside the home) and the entry's name in it.
struct HomeEntry {
    // The home, then each folder down to the one holding the entry. Only the deepest few stay open (a deep
    // path costs no more descriptors than a shallow one, and the kernel's walk keeps only the last); folder()
    // always is.
    std::vector<UniqueFd> folders;
    QByteArrayList names;           // the real names from the home down to the entry; empty: the home itself
    bool exists = false;
    struct stat info {};            // when it exists: the entry's (the link's own when not followed)
    // A folder on the way is missing (or is a file): the components not walked, that one first.
    QByteArrayList unwalked;
    bool blockedByFile = false;     // ... because it is a file, not a folder

    bool isHome() const { return names.isEmpty(); }
    bool reached() const { return unwalked.isEmpty(); }
    int folder() const { return folders.back().get(); }
    // The entry's name in folder(); "." for the home itself.
    const char *name() const { return isHome() ? "." : names.back().constData(); }
};

// One home folder's descriptor and the names it is known by. Thread-safe: resolving only reads.
class HomeWalker {
public:
    enum class Final { Follow, NoFollow };

    // `homeFolder` as configured (it may itself be reached through links).
    explicit HomeWalker(const QString &homeFolder);

    bool isOpen() const { return bool(m_home); }
    int homeFd() const { return m_home.get(); }

    // The entry `segments` name (raw file-system names). Errors: permission_denied for a path that leads
    // outside or loops, permission_denied / io_error when the OS refuses. A missing folder on the way is not
    // an error here: the result has `unwalked` set.
    Result<HomeEntry> resolve(const QByteArrayList &segments, Final final) const;
    // For tests: false makes every resolve() take the component walk (as on a kernel without openat2).
    static void setKernelWalksAllowed(bool allowed);

    // The real location of what an entry names, for keys and messages to the log; empty when a folder
    // on the way is missing and the rest cannot be known ("." or ".." below it).
    QString realLocation(const HomeEntry &entry) const;
    // The real location of the entry `names` lead to from the home, read as they are.
    QString realLocation(const QByteArrayList &names) const;

private:
    // The common case in one system call: plain names through real folders (see the top); nullopt when the
    // component walk must decide.
    std::optional<HomeEntry> resolveDirectly(const QByteArrayList &segments, Final final) const;
    // An absolute link target, as components below the home; false when it names a place outside.
    bool belowHome(const QByteArray &absolute, QByteArrayList *components) const;
    // After ".." out of the home: consumes the components that lead back in by the home's real names;
    // false when they lead anywhere else.
    bool comesBackHome(std::deque<QByteArray> *todo) const;
    // Up one folder; the new deepest one is opened again by its real names if the walk had let it go.
    bool leaveFolder(HomeEntry *entry) const;
    // The steps of resolve(), each on the entry walked so far and the components still to walk (`todo`).
    // "..": up one folder, or out of the home and back in by the home's own real names only.
    Status goUp(HomeEntry *entry, std::deque<QByteArray> *todo) const;
    // `part` is not there: the entry to create when it is the last component, else a missing folder on the way.
    static void markMissing(HomeEntry *entry, const QByteArray &part, const std::deque<QByteArray> &todo);
    // The symlink `link` in the deepest folder: its target's components are walked next (from the home when
    // absolute), never by the kernel; counts toward the loop limit in `links`.
    Status followLink(HomeEntry *entry, const QByteArray &link, std::deque<QByteArray> *todo, int *links) const;
    // Opens the folder `part` without following links and makes it the deepest; only the last few stay open.
    static Status enterFolder(HomeEntry *entry, const QByteArray &part, std::deque<QByteArray> *todo, int *links);
    // The walk ended on a folder: names it in its parent and looks at it.
    Status nameFinalFolder(HomeEntry *entry) const;

    UniqueFd m_home;
    QString m_realHome;
    QByteArrayList m_homeNames;   // the home's absolute names: the real one and the configured one
};

// Visits everything below `folder` (open for reading; taken over) depth first, never following a symlink.
// `visit` gets the folder holding an entry, its name, its own stat and its names from `folder` down; a
// folder is visited after its contents, so a visitor may remove what it sees. False when something could
// not be read.
using TreeVisitor =
    std::function<void(int folder, const QByteArray &name, const struct stat &info, const QByteArrayList &path)>;
bool walkTree(UniqueFd folder, const TreeVisitor &visit, QByteArrayList path = {});

} // namespace ferry
