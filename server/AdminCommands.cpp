#include "AdminCommands.h"

#include "LocalStorage.h"
#include "Protocol.h"
#include "SizeText.h"
#include "Terminal.h"
#include "UsersFile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QMap>
#include <QTextStream>

namespace ferry {

namespace {

enum ExitCode { Done = 0, Failed = 1, UsageError = 2 };

// Positionals and options of one subcommand; `problem` is set when the line does not parse.
struct Arguments {
    QStringList positional;
    QMap<QString, QString> options;   // "--quota" -> "10G"; flags map to an empty string
    bool help = false;
    QString badOption;
};

Arguments parseArguments(const QStringList &args, const QStringList &valueOptions, const QStringList &flags)
{
    Arguments parsed;
    bool optionsEnded = false;
    for (int i = 0; i < args.size(); ++i) {
        const QString &arg = args.at(i);
        if (optionsEnded || !arg.startsWith(QLatin1Char('-')) || arg == QLatin1String("-")) {
            parsed.positional.append(arg);
        } else if (arg == QLatin1String("--")) {
            optionsEnded = true;   // what follows is positional, e.g. a name starting with "-"
        } else if (arg == QLatin1String("--help") || arg == QLatin1String("-h")) {
            parsed.help = true;
        } else if (flags.contains(arg)) {
            parsed.options.insert(arg, QString());
        } else if (const QString name = arg.section(QLatin1Char('='), 0, 0); valueOptions.contains(name)) {
            if (arg.contains(QLatin1Char('=')))
                parsed.options.insert(name, arg.section(QLatin1Char('='), 1));
            else if (i + 1 < args.size())
                parsed.options.insert(name, args.at(++i));
            else
                parsed.badOption = arg;
        } else {
            parsed.badOption = arg;
        }
    }
    return parsed;
}

} // namespace

// One run of one subcommand; member functions per subcommand, the exit code as the result.
class AdminCommands {
    Q_DECLARE_TR_FUNCTIONS(ferry::AdminCommands)

public:
    AdminCommands(const QString &dataDir, QTextStream &out, QTextStream &err)
        : m_dataDir(dataDir), m_users(dataDir), m_out(out), m_err(err)
    {
    }

    int run(const QStringList &args)
    {
        if (args.value(0) != QLatin1String("user"))
            return usage(tr("ferryd: expected the command 'user'"));
        const QString command = args.value(1);
        const QStringList rest = args.mid(2);
        if (command == QLatin1String("add"))
            return add(parseArguments(rest, {QStringLiteral("--quota")}, {}));
        if (command == QLatin1String("passwd"))
            return passwd(parseArguments(rest, {}, {}));
        if (command == QLatin1String("quota"))
            return quota(parseArguments(rest, {}, {}));
        if (command == QLatin1String("del"))
            return del(parseArguments(rest, {}, {QStringLiteral("--purge")}));
        if (command == QLatin1String("list"))
            return list(parseArguments(rest, {}, {}));
        if (command == QLatin1String("help") || command == QLatin1String("--help") || command == QLatin1String("-h")) {
            m_out << usageText() << Qt::flush;
            return Done;
        }
        return usage(command.isEmpty() ? tr("ferryd: 'user' needs a command")
                                       : tr("ferryd: unknown command 'user %1'").arg(command));
    }

private:
    int add(const Arguments &args)
    {
        if (const int bad = checkShape(args, 1); bad >= 0)
            return bad;
        const QString name = args.positional.at(0);
        if (checkUserName(name).isError()) {
            return usage(tr("ferryd: '%1' is not a valid user name: it must be 1 to %2 bytes, without '/' or "
                            "control characters, and not start with '.'").arg(name).arg(Limits::MaxUserNameBytes));
        }
        std::optional<qint64> quotaBytes;
        if (args.options.contains(QStringLiteral("--quota")) && !parseQuota(args.options.value(QStringLiteral("--quota")), &quotaBytes))
            return usage(badQuotaText(args.options.value(QStringLiteral("--quota"))));
        if (const int taken = checkNameFree(name); taken >= 0)
            return taken;   // before asking for a password
        const std::optional<QString> password = askPassword();
        if (!password)
            return Failed;
        if (const Status added = m_users.add(UserAccount{name, ScramCredentials::create(*password), quotaBytes}); !added)
            return fail(added.error(), name);

        const QString home = UsersFile::homePath(m_dataDir, name);
        const bool homeExisted = QFileInfo(home).isDir();   // the path is for the admin's eyes only
        if (!storage().createHome(name)) {
            m_err << tr("ferryd: user '%1' was added, but its home folder %2 cannot be created").arg(name, home) << Qt::endl;
            return Failed;
        }
        m_out << tr("User '%1' added (quota: %2).").arg(name, quotaText(quotaBytes)) << Qt::endl
              << (homeExisted ? tr("Home folder (already there, kept with its files): %1") : tr("Home folder: %1")).arg(home)
              << Qt::endl;
        return Done;
    }

    int passwd(const Arguments &args)
    {
        if (const int bad = checkShape(args, 1); bad >= 0)
            return bad;
        const QString name = args.positional.at(0);
        const std::optional<UserAccount> account = lookup(name);
        if (!account)
            return Failed;
        const std::optional<QString> password = askPassword();
        if (!password)
            return Failed;
        UserAccount changed = *account;
        changed.credentials = ScramCredentials::create(*password);
        if (const Status updated = m_users.update(changed); !updated)
            return fail(updated.error(), name);
        m_out << tr("Password of '%1' changed.").arg(name) << Qt::endl;
        return Done;
    }

    int quota(const Arguments &args)
    {
        if (const int bad = checkShape(args, 2); bad >= 0)
            return bad;
        const QString name = args.positional.at(0);
        std::optional<qint64> quotaBytes;
        if (!parseQuota(args.positional.at(1), &quotaBytes))
            return usage(badQuotaText(args.positional.at(1)));
        const std::optional<UserAccount> account = lookup(name);
        if (!account)
            return Failed;
        UserAccount changed = *account;
        changed.quotaBytes = quotaBytes;
        if (const Status updated = m_users.update(changed); !updated)
            return fail(updated.error(), name);
        m_out << tr("Quota of '%1' set to %2.").arg(name, quotaText(quotaBytes)) << Qt::endl;
        const Result<std::shared_ptr<StorageHome>> home = storage().openHome(name);
        const qint64 used = home ? (*home)->usage() : 0;
        if (quotaBytes && used > *quotaBytes) {
            m_out << tr("Note: '%1' already uses %2, more than the new quota; uploads will be refused until "
                        "files are removed.").arg(name, formatSize(used)) << Qt::endl;
        }
        return Done;
    }

    int del(const Arguments &args)
    {
        if (const int bad = checkShape(args, 1); bad >= 0)
            return bad;
        const QString name = args.positional.at(0);
        if (const Status removed = m_users.remove(name); !removed)
            return fail(removed.error(), name);
        const QString home = UsersFile::homePath(m_dataDir, name);
        const bool hasHome = QFileInfo(home).isDir();
        if (!args.options.contains(QStringLiteral("--purge"))) {
            m_out << tr("User '%1' deleted.").arg(name) << Qt::endl;
            if (hasHome)
                m_out << tr("Home folder kept: %1 (use --purge to delete it too).").arg(home) << Qt::endl;
            return Done;
        }
        if (hasHome && !storage().removeHome(name)) {   // deletes symlinks, never what they point to
            m_err << tr("ferryd: user '%1' was deleted, but its home folder %2 could not be deleted completely")
                         .arg(name, home) << Qt::endl;
            return Failed;
        }
        m_out << (hasHome ? tr("User '%1' and home folder %2 deleted.").arg(name, home)
                          : tr("User '%1' deleted.").arg(name)) << Qt::endl;
        return Done;
    }

    int list(const Arguments &args)
    {
        if (const int bad = checkShape(args, 0); bad >= 0)
            return bad;
        const Result<QList<UserAccount>> accounts = m_users.list();
        if (!accounts)
            return fail(accounts.error(), {});
        if (accounts->isEmpty()) {
            m_out << tr("No users yet. Add one with: ferryd user add NAME") << Qt::endl;
            return Done;
        }
        QList<QStringList> rows{{tr("NAME"), tr("QUOTA"), tr("USED")}};
        for (const UserAccount &account : *accounts) {
            const Result<std::shared_ptr<StorageHome>> home = storage().openHome(account.name);
            const QString used = home ? formatSize((*home)->usage()) : tr("(no home folder)");
            rows.append({account.name, quotaText(account.quotaBytes), used});
        }
        QList<int> widths(3, 0);
        for (const QStringList &row : rows) {
            for (int column = 0; column < 3; ++column)
                widths[column] = qMax(widths[column], int(row.at(column).size()));
        }
        for (const QStringList &row : rows) {
            m_out << row.at(0).leftJustified(widths[0]) << QStringLiteral("  ") << row.at(1).rightJustified(widths[1])
                  << QStringLiteral("  ") << row.at(2).rightJustified(widths[2]) << Qt::endl;
        }
        return Done;
    }

    // -1 when the positionals and options fit, else the exit code (help or usage error).
    int checkShape(const Arguments &args, int positionals)
    {
        if (args.help) {
            m_out << usageText() << Qt::flush;
            return Done;
        }
        if (!args.badOption.isEmpty())
            return usage(tr("ferryd: unknown option or missing value: %1").arg(args.badOption));
        if (args.positional.size() != positionals)
            return usage(tr("ferryd: wrong number of arguments"));
        return -1;
    }

    // The account, or nullopt after saying why (unknown name, unreadable users file).
    std::optional<UserAccount> lookup(const QString &name)
    {
        const Result<QList<UserAccount>> accounts = m_users.list();
        if (!accounts) {
            fail(accounts.error(), name);
            return std::nullopt;
        }
        for (const UserAccount &account : *accounts) {
            if (account.name == name)
                return account;
        }
        fail(Error::make(ErrorCode::NotFound, {}), name);
        return std::nullopt;
    }

    // -1 when no account has this name, else the exit code after saying why.
    int checkNameFree(const QString &name)
    {
        const Result<QList<UserAccount>> accounts = m_users.list();
        if (!accounts)
            return fail(accounts.error(), name);
        for (const UserAccount &account : *accounts) {
            if (account.name == name)
                return fail(Error::make(ErrorCode::Exists, {}), name);
        }
        return -1;
    }

    std::optional<QString> askPassword()
    {
        QString error;
        const std::optional<QString> password = passwordFromEnvironmentOrTerminal(/*confirm=*/true, &error);
        if (!password)
            m_err << tr("ferryd: %1").arg(error) << Qt::endl;
        return password;
    }

    static bool parseQuota(const QString &text, std::optional<qint64> *quotaBytes)
    {
        if (text.compare(QLatin1String("unlimited"), Qt::CaseInsensitive) == 0) {
            quotaBytes->reset();
            return true;
        }
        const std::optional<qint64> bytes = parseSize(text);
        if (!bytes || *bytes > Limits::MaxInteger)   // quotas travel as JSON integers
            return false;
        *quotaBytes = bytes;
        return true;
    }

    static QString badQuotaText(const QString &text)
    {
        return tr("ferryd: '%1' is not a quota: give bytes or a size such as 500M, 10G or 1.5T, or 'unlimited'").arg(text);
    }

    static QString quotaText(const std::optional<qint64> &quotaBytes)
    {
        return quotaBytes ? formatSize(*quotaBytes) : tr("unlimited");
    }

    int fail(const Error &error, const QString &name)
    {
        QString message;
        if (error.code == ErrorCode::NotFound)
            message = tr("ferryd: there is no user '%1'").arg(name);
        else if (error.code == ErrorCode::Exists)
            message = tr("ferryd: user '%1' already exists").arg(name);
        else   // the store's own sentence, e.g. which file is corrupt and how
            message = tr("ferryd: %1").arg(error.message);
        m_err << message << Qt::endl;
        return Failed;
    }

    int usage(const QString &problem)
    {
        m_err << problem << Qt::endl << usageText() << Qt::flush;
        return UsageError;
    }

    static QString usageText()
    {
        return tr("Usage: ferryd [--data DIR] user COMMAND\n"
                  "  user add NAME [--quota SIZE]     create an account and its home folder\n"
                  "  user passwd NAME                 set a new password\n"
                  "  user quota NAME SIZE|unlimited   set the quota (SIZE: bytes, or e.g. 500M, 10G, 1.5T)\n"
                  "  user del NAME [--purge]          delete an account (--purge: its home folder too)\n"
                  "  user list                        accounts with their quota and usage\n"
                  "Passwords are read from FERRY_PASSWORD when it is set, else asked on the terminal.\n"
                  "These commands may run while the server runs.\n");
    }

    LocalStorage &storage()
    {
        if (!m_storage)
            m_storage = std::make_unique<LocalStorage>(m_dataDir + QStringLiteral("/homes"));
        return *m_storage;
    }

    const QString m_dataDir;
    std::unique_ptr<LocalStorage> m_storage;
    UsersFile m_users;
    QTextStream &m_out;
    QTextStream &m_err;
};

int runAdminCommand(const QString &dataDir, const QStringList &args, QTextStream &out, QTextStream &err)
{
    const int code = AdminCommands(dataDir, out, err).run(args);
    out.flush();
    err.flush();
    return code;
}

} // namespace ferry
