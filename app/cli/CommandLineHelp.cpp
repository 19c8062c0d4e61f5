// ferry-cli's --help, --version and the hint after a usage error.

#include "CommandLine.h"
#include "CommandTable.h"

#include <QCoreApplication>

namespace ferry::cli {

using namespace commandtable;

namespace {

const char *const Context = "ferry::cli::CommandLine";

// Word-wraps `text` into lines of at most `width` columns, each indented by `indent` spaces.
QString wrapped(const QString &text, int indent, int width)
{
    const QString margin(indent, QLatin1Char(' '));
    QString out;
    QString line;
    for (const QString &word : text.split(QLatin1Char(' '), Qt::SkipEmptyParts)) {
        if (!line.isEmpty() && indent + line.size() + 1 + word.size() > width) {
            out += margin + line + QLatin1Char('\n');
            line.clear();
        }
        line += (line.isEmpty() ? QString() : QStringLiteral(" ")) + word;
    }
    if (!line.isEmpty())
        out += margin + line + QLatin1Char('\n');
    return out;
}

} // namespace

QString CommandLine::versionText()
{
    return QStringLiteral("ferry-cli " FERRY_VERSION);
}

QString CommandLine::tryHelpText()
{
    return tr("Try 'ferry-cli --help' for more information.");
}

QString CommandLine::helpText()
{
    // Each command: its synopsis, then what it does, indented and wrapped for an 80-column terminal.
    QString commands;
    for (const CommandSpec &spec : Commands) {
        if (spec.available) {
            commands += QStringLiteral("  ") + QLatin1String(spec.synopsis) + QLatin1Char('\n')
                    + wrapped(QCoreApplication::translate(Context, spec.summary), 6, 78);
        }
    }
    return tr("Usage: ferry-cli [--progress=auto|bar|none] [--reconnect=SECONDS] [--trust CODE]\n"
              "                 ferry://USER@HOST[:PORT] COMMAND [ARGS]\n"
              "       ferry-cli discover\n"
              "       ferry-cli identity ferry://HOST[:PORT]\n"
              "       ferry-cli forget HOST[:PORT]\n"
              "\n"
              "Works with the files of your account on a Ferry server (ferryd).\n"
              "\n"
              "Server URL:\n"
              "  USER is your account on the server, HOST its name or address (IPv6 in\n"
              "  brackets: ferry://alice@[fe80::1]:7420), PORT is 7420 when left out.\n"
              "\n"
              "Commands:\n"
              "%1"
              "\n"
              "Nearby servers:\n"
              "  discover\n"
              "      List the Ferry servers on the local network, found by mDNS and by a\n"
              "      broadcast: name, address, how each was found and the identity it\n"
              "      announces. Exit status 1 when none answered.\n"
              "\n"
              "Remote paths start at your home folder \"/\": \"docs/a.txt\" means \"/docs/a.txt\",\n"
              "and a trailing \"/\" is ignored. Put \"--\" before paths that start with \"-\".\n"
              "\n"
              "Transfers (put, get):\n"
              "  Every file is checked with SHA-256 from end to end and appears under its\n"
              "  name only once complete. An interrupted transfer (Ctrl-C, a lost connection,\n"
              "  a crash) leaves a part file; --resume continues it without sending again\n"
              "  what is already there (without --resume, a file starts from its beginning).\n"
              "  With --resume, a target that already exists with the same size and\n"
              "  modification time is complete and left as it is; any other existing target\n"
              "  is replaced. A folder given without -r, a source that does not exist and\n"
              "  every file that fails are reported by name on standard error; the other\n"
              "  files still go, and the exit status is 1.\n"
              "  A connection lost during put or get is reconnected, 1, 2, 4 ... up to 30\n"
              "  seconds apart, for at most --reconnect seconds after the loss (default 60);\n"
              "  the transfer then continues where it stopped. A refused login or a changed\n"
              "  server identity is not retried.\n"
              "\n"
              "Options (before the URL):\n"
              "  --progress=MODE  progress display of put and get on standard error: auto (a\n"
              "                   bar when standard error is a terminal), bar (always) or\n"
              "                   none. The bar shows the current file and the whole\n"
              "                   transfer (percent, bytes, rate, time left), then a summary.\n"
              "  --reconnect=SECONDS  put and get: how long to keep trying to reconnect after\n"
              "                   a lost connection (default 60; 0: do not reconnect)\n"
              "  --trust CODE     on first contact, trust the server if its identity is CODE\n"
              "                   (also FERRY_TRUST=CODE); needed without a terminal\n"
              "  -h, --help       show this help\n"
              "  --version        show the version\n"
              "\n"
              "Server identity:\n"
              "  Connections use TLS 1.3. Each server has an identity code such as\n"
              "  7Q2M-K9XD-4RTA-HW3E (ferryd prints it at start; `ferryd identity` too).\n"
              "  At the first connection to HOST:PORT, ferry-cli shows the code and asks\n"
              "  \"Trust this server? [y/N]\"; without a terminal it refuses unless --trust\n"
              "  names the code. The accepted code is remembered; if it ever changes,\n"
              "  ferry-cli refuses and names both codes. Check with the server's admin, then\n"
              "  'ferry-cli forget HOST[:PORT]' and connect again.\n"
              "  identity URL     show a server's identity code and fingerprint (no login)\n"
              "  forget HOST[:PORT]  forget the identity remembered for that server\n"
              "\n"
              "Password:\n"
              "  Taken from the environment variable FERRY_PASSWORD when it is set, otherwise\n"
              "  asked on the terminal without echo. It never travels over the network\n"
              "  (SCRAM-SHA-256-PLUS, bound to the TLS connection).\n"
              "\n"
              "Exit status:\n"
              "  0  success\n"
              "  1  the operation failed (the reason is on standard error); for put and\n"
              "     get: any source or file failed, after all the others were tried\n"
              "  2  usage error: bad command line\n"
              "  3  authentication failed: wrong user name or password, too many failed\n"
              "     attempts, a server that could not prove its identity, or no password given\n"
              "  4  cannot connect to the server, or the connection dropped before login\n"
              "     (a connection lost later is a failure: 1, also when reconnecting fails)\n"
              "  5  the server's identity is not trusted: unknown and not accepted, or\n"
              "     changed since it was accepted\n"
              "  130  interrupted by Ctrl-C (143: by SIGTERM); part files are kept\n")
            .arg(commands);
}

} // namespace ferry::cli
