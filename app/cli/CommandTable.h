#pragma once
// The commands ferry-cli knows after the server URL: how each is parsed (CommandLine.cpp) and described in
// --help (CommandLineHelp.cpp).

#include "CliOptions.h"

#include <QtGlobal>

namespace ferry::cli::commandtable {

enum CommandFlag {
    LongFlag = 1 << 0,        // -l, --long
    ParentsFlag = 1 << 1,     // -p, --parents
    RecursiveFlag = 1 << 2,   // -r, --recursive
    OverwriteFlag = 1 << 3,   // --overwrite
    ResumeFlag = 1 << 4,      // --resume
    AsFlag = 1 << 5,          // --as NAME
};

// Which arguments are remote paths and which local ones.
enum class Layout { Remote, LocalsThenRemote, RemotesThenLocal };

struct CommandSpec {
    const char *name;
    CommandKind kind;
    int minArguments;
    int maxArguments;   // -1: no limit
    Layout layout;
    int flags;
    const char *synopsis;
    const char *summary;
    // Shown in --help (a command parsed before it can run is left out).
    bool available;
};

inline const CommandSpec Commands[] = {
    {"ls", CommandKind::Ls, 0, 1, Layout::Remote, LongFlag, "ls [-l] [PATH]",
     QT_TRANSLATE_NOOP("ferry::cli::CommandLine",
                       "List a folder (default \"/\"); folders end in \"/\". -l: type, size, modification "
                       "time and name in columns."),
     true},
    {"mkdir", CommandKind::Mkdir, 1, -1, Layout::Remote, ParentsFlag, "mkdir [-p] PATH...",
     QT_TRANSLATE_NOOP("ferry::cli::CommandLine",
                       "Create folders. -p: create missing parent folders too; an existing folder is fine."),
     true},
    {"rm", CommandKind::Rm, 1, -1, Layout::Remote, RecursiveFlag, "rm [-r] PATH...",
     QT_TRANSLATE_NOOP("ferry::cli::CommandLine",
                       "Remove files and empty folders. -r: remove folders with everything in them."),
     true},
    {"mv", CommandKind::Mv, 2, 2, Layout::Remote, OverwriteFlag, "mv [--overwrite] FROM TO",
     QT_TRANSLATE_NOOP("ferry::cli::CommandLine",
                       "Rename or move FROM so that its full path becomes TO (TO is not a folder to move "
                       "into). --overwrite: replace an existing TO."),
     true},
    {"quota", CommandKind::Quota, 0, 0, Layout::Remote, 0, "quota",
     QT_TRANSLATE_NOOP("ferry::cli::CommandLine", "Show the space you use and your limit, in bytes and readable."),
     true},
    {"put", CommandKind::Put, 2, -1, Layout::LocalsThenRemote, RecursiveFlag | OverwriteFlag | ResumeFlag | AsFlag,
     "put [-r] [--resume|--overwrite] [--as NAME] LOCAL... REMOTE_DIR",
     QT_TRANSLATE_NOOP("ferry::cli::CommandLine",
                       "Upload files into the folder REMOTE_DIR, each under its own name. -r: folders too, with "
                       "everything in them (a folder that exists is merged into). A file that exists is an error "
                       "unless --overwrite (replace it) or --resume (continue interrupted uploads, see "
                       "\"Transfers\"). --as NAME: one LOCAL only, stored in REMOTE_DIR as NAME."),
     true},
    {"get", CommandKind::Get, 2, -1, Layout::RemotesThenLocal, RecursiveFlag | OverwriteFlag | ResumeFlag | AsFlag,
     "get [-r] [--resume|--overwrite] [--as NAME] REMOTE... LOCAL_DIR",
     QT_TRANSLATE_NOOP("ferry::cli::CommandLine",
                       "Download files into the existing folder LOCAL_DIR, each under its own name (\"/\" with "
                       "-r: everything). -r: folders too. A file that exists is an error unless --overwrite "
                       "(replace it) or --resume (continue interrupted downloads, see \"Transfers\"). --as NAME: "
                       "one REMOTE only, stored in LOCAL_DIR as NAME."),
     true},
};

} // namespace ferry::cli::commandtable
