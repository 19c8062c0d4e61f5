#include "DemoSetup.h"

#include "UsersFile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>

namespace ferry {

namespace {
constexpr qint64 DemoQuotaBytes = qint64(2) * 1024 * 1024 * 1024;

bool writeSample(const QString &path, const QByteArray &content)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    return file.open(QIODevice::WriteOnly) && file.write(content) == content.size();
}
} // namespace

bool ensureDemoAccount(const QString &dataDir, DemoAccount *account, QString *error)
{
    account->user = QStringLiteral("demo");
    account->password = QStringLiteral("demo");
    UsersFile users(dataDir);
    if (users.find(account->user))
        return true;
    const Status added = users.add(UserAccount{account->user, ScramCredentials::create(account->password), DemoQuotaBytes});
    if (!added) {
        *error = added.error().message;
        return false;
    }
    const QString home = UsersFile::homePath(dataDir, account->user);
    QByteArray blob(3 * 1024 * 1024, Qt::Uninitialized);
    for (int i = 0; i < blob.size(); ++i)
        blob[i] = char((quint32(i) * 7919u) >> 5);   // unsigned: i * 7919 overflows int (UBSan); same bytes
    const bool ok =
        writeSample(home + QStringLiteral("/README.txt"),
                    "Welcome to Ferry!\n\nThis is the demo account's home folder. Drag files here to upload them,\n"
                    "or drag them out to download. Everything you send is checked with SHA-256.\n")
        && writeSample(home + QStringLiteral("/Documents/meeting-notes.md"),
                       "# Meeting notes\n\n- Ship the transfer queue\n- Try resume after a restart\n")
        && writeSample(home + QStringLiteral("/Documents/budget.csv"), "item,amount\nserver,1200\ndisks,800\n")
        && writeSample(home + QStringLiteral("/Photos/holiday/beach.raw"), blob)
        && writeSample(home + QString::fromUtf8("/中文资料/你好.txt"), "你好，Ferry！\n")
        && QDir().mkpath(home + QStringLiteral("/Music"));
    if (!ok)
        *error = QCoreApplication::translate("ferry::DemoSetup", "cannot write the demo files in %1").arg(home);
    return ok;
}

} // namespace ferry
