#pragma once
// The browsing commands of ferry-cli (ls, mkdir, rm, mv, quota), run on a logged-in session.
// Results go to standard output, one message per failure to standard error.

#include "CommandLine.h"
#include "RemoteEntry.h"
#include "Result.h"

#include <QObject>
#include <QPointer>

namespace ferry {
class ClientSession;
}

namespace ferry::cli {

class BrowseCommand : public QObject {
    Q_OBJECT
public:
    BrowseCommand(ClientSession *session, const CliCommand &command, QObject *parent = nullptr);

    static bool handles(CommandKind kind);
    // Runs the command; finished() follows once, from the event loop.
    void start();

signals:
    void finished(int exitCode);

private:
    void listFolder();
    void listSingleEntry(const QString &path);
    void printEntries(QList<RemoteEntry> entries);
    // mkdir and rm take several paths: one after the other (the server does not order pipelined requests,
    // and "mkdir a a/b" needs a before a/b); a failure is reported and the rest still run.
    void makeFolder(int index);
    void removePath(int index);
    void move();
    void showQuota();

    // "cannot <verb> '<path>': <reason>" on standard error; the exit code becomes 1.
    void report(const QString &message);
    void finish();

    QPointer<ClientSession> m_session;
    CliCommand m_command;
    bool m_failed = false;
};

} // namespace ferry::cli
