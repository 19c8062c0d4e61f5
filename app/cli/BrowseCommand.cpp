#include "BrowseCommand.h"

#include "ClientSession.h"
#include "Console.h"
#include "ErrorText.h"
#include "Protocol.h"
#include "SizeText.h"

#include <QCoreApplication>

#include <algorithm>

namespace ferry::cli {

namespace {

QString displayName(const RemoteEntry &entry)
{
    return entry.isDir ? entry.name + QLatin1Char('/') : entry.name;
}

} // namespace

BrowseCommand::BrowseCommand(ClientSession *session, const CliCommand &command, QObject *parent)
    : QObject(parent), m_session(session), m_command(command)
{
}

bool BrowseCommand::handles(CommandKind kind)
{
    switch (kind) {
    case CommandKind::Ls:
    case CommandKind::Mkdir:
    case CommandKind::Rm:
    case CommandKind::Mv:
    case CommandKind::Quota:
        return true;
    case CommandKind::Put:
    case CommandKind::Get:
        return false;
    }
    return false;
}

void BrowseCommand::start()
{
    switch (m_command.kind) {
    case CommandKind::Ls:
        listFolder();
        break;
    case CommandKind::Mkdir:
        makeFolder(0);
        break;
    case CommandKind::Rm:
        removePath(0);
        break;
    case CommandKind::Mv:
        move();
        break;
    case CommandKind::Quota:
        showQuota();
        break;
    case CommandKind::Put:
    case CommandKind::Get:
        report(tr("'%1' is not a browsing command").arg(m_command.name));
        finish();
        break;
    }
}

void BrowseCommand::listFolder()
{
    const QString path = m_command.remotePaths.value(0, QStringLiteral("/"));
    // Replies may come after this object is gone (the session outlives it): hence the QPointer.
    QPointer<BrowseCommand> self(this);
    m_session->list(path, [self, path](const Result<QList<RemoteEntry>> &result) {
        if (!self)
            return;
        if (result) {
            self->printEntries(*result);
            self->finish();
        } else if (result.error().code == ErrorCode::NotADirectory) {
            self->listSingleEntry(path);   // like ls: a file lists as itself
        } else {
            self->report(tr("cannot list '%1': %2").arg(path, ErrorText::reason(result.error())));
            self->finish();
        }
    });
}

void BrowseCommand::listSingleEntry(const QString &path)
{
    QPointer<BrowseCommand> self(this);
    m_session->stat(path, [self, path](const Result<RemoteEntry> &result) {
        if (!self)
            return;
        if (result)
            self->printEntries({*result});
        else
            self->report(tr("cannot list '%1': %2").arg(path, ErrorText::reason(result.error())));
        self->finish();
    });
}

void BrowseCommand::printEntries(QList<RemoteEntry> entries)
{
    std::sort(entries.begin(), entries.end(),
              [](const RemoteEntry &a, const RemoteEntry &b) { return a.name < b.name; });
    QTextStream &out = Console::out();
    if (!m_command.longFormat) {
        for (const RemoteEntry &entry : entries)
            out << displayName(entry) << '\n';
        return;
    }
    // Columns: type, size (right-aligned), modification time (local), name.
    const QString dirWord = tr("dir");
    const QString fileWord = tr("file");
    const int typeWidth = int(qMax(dirWord.size(), fileWord.size()));
    int sizeWidth = 1;
    for (const RemoteEntry &entry : entries)
        sizeWidth = qMax(sizeWidth, int(QString::number(entry.size).size()));
    for (const RemoteEntry &entry : entries) {
        out << QStringLiteral("%1  %2  %3  %4\n")
                        .arg(entry.isDir ? dirWord : fileWord, -typeWidth)
                        .arg(entry.size, sizeWidth)
                        .arg(entry.modified().toString(QStringLiteral("yyyy-MM-dd HH:mm")), displayName(entry));
    }
}

void BrowseCommand::makeFolder(int index)
{
    if (index >= m_command.remotePaths.size()) {
        finish();
        return;
    }
    const QString path = m_command.remotePaths.at(index);
    QPointer<BrowseCommand> self(this);
    m_session->mkdir(path, m_command.parents, [self, path, index](const Status &status) {
        if (!self)
            return;
        if (!status) {
            const QString hint = status.error().code == ErrorCode::NotFound && !self->m_command.parents
                    ? tr(" (use -p to create missing parent folders)")
                    : QString();
            self->report(tr("cannot create folder '%1': %2").arg(path, ErrorText::reason(status.error()) + hint));
        }
        self->makeFolder(index + 1);
    });
}

void BrowseCommand::removePath(int index)
{
    if (index >= m_command.remotePaths.size()) {
        finish();
        return;
    }
    const QString path = m_command.remotePaths.at(index);
    if (path == QLatin1String("/")) {
        // Never empty a whole account by a slip of the keyboard ("rm -r /" or "rm -r ''/").
        report(tr("cannot remove '/': it is your home folder"));
        removePath(index + 1);
        return;
    }
    QPointer<BrowseCommand> self(this);
    m_session->remove(path, m_command.recursive, [self, path, index](const Status &status) {
        if (!self)
            return;
        if (!status) {
            const QString hint = status.error().code == ErrorCode::NotEmpty ? tr(" (use -r)") : QString();
            self->report(tr("cannot remove '%1': %2").arg(path, ErrorText::reason(status.error()) + hint));
        }
        self->removePath(index + 1);
    });
}

void BrowseCommand::move()
{
    const QString from = m_command.remotePaths.at(0);
    const QString to = m_command.remotePaths.at(1);
    QPointer<BrowseCommand> self(this);
    m_session->rename(from, to, m_command.overwrite, [self, from, to](const Status &status) {
        if (!self)
            return;
        if (!status) {
            const QString reason = status.error().code == ErrorCode::Exists
                    ? tr("'%1' already exists (use --overwrite to replace it)").arg(to)
                    : ErrorText::reason(status.error());
            self->report(tr("cannot move '%1' to '%2': %3").arg(from, to, reason));
        }
        self->finish();
    });
}

void BrowseCommand::showQuota()
{
    QPointer<BrowseCommand> self(this);
    m_session->quota([self](const Result<QuotaInfo> &result) {
        if (!self)
            return;
        if (!result) {
            self->report(tr("cannot read the quota: %1").arg(ErrorText::reason(result.error())));
            self->finish();
            return;
        }
        const auto amount = [](qint64 bytes) {
            return tr("%1 (%2 bytes)").arg(formatSize(bytes)).arg(bytes);
        };
        const QString usedLabel = tr("used:");
        const QString limitLabel = tr("limit:");
        const int width = int(qMax(usedLabel.size(), limitLabel.size()));
        QTextStream &out = Console::out();
        out << QStringLiteral("%1 %2\n").arg(usedLabel, -width).arg(amount(result->used));
        out << QStringLiteral("%1 %2\n")
                        .arg(limitLabel, -width)
                        .arg(result->limit ? amount(*result->limit) : tr("unlimited"));
        self->finish();
    });
}

void BrowseCommand::report(const QString &message)
{
    m_failed = true;
    Console::error(message);
}

void BrowseCommand::finish()
{
    Console::flush();
    emit finished(m_failed ? ExitFailed : ExitOk);
}

} // namespace ferry::cli
