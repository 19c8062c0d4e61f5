#pragma once
// ferry-cli's command line:
//
//   ferry-cli [--progress=auto|bar|none] [--reconnect=SECONDS] [--trust CODE] ferry://USER@HOST[:PORT] COMMAND [ARGS]
//   ferry-cli identity ferry://[USER@]HOST[:PORT]
//   ferry-cli forget HOST[:PORT]
//
// Parsing is pure (no I/O): it turns the arguments into CliOptions or a usage error, so that every rule
// is unit-tested (tests/unit/tst_clisyntax.cpp). Remote paths come out normalised ("a/b/" -> "/a/b").

#include "CliOptions.h"

#include <QCoreApplication>

namespace ferry::cli {

class CommandLine {
    Q_DECLARE_TR_FUNCTIONS(ferry::cli::CommandLine)
public:
    // `arguments` as from QCoreApplication::arguments(): the first one is the program.
    static ParseOutcome parse(const QStringList &arguments);

    // "ferry://USER@HOST[:PORT]" (port 7420 when absent); false with a translated *error otherwise.
    static bool parseServerUrl(const QString &text, ServerAddress *address, QString *error, bool needUser = true);
    // Remote paths are relative to the home "/": "a/b" -> "/a/b"; one trailing "/" is dropped.
    // The server judges everything else (".." and such come back as invalid_path).
    static QString normaliseRemotePath(const QString &text);

    static QString helpText();
    // "forget HOST[:PORT]" and "identity URL", after the options.
    static ParseOutcome parseTrustCommand(const QStringList &positional, const CliOptions &options);
    static QString versionText();   // "ferry-cli 0.1.0"
    // Shown after a usage error.
    static QString tryHelpText();
};

} // namespace ferry::cli
