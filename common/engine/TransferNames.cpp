#include "TransferNames.h"

#include "Protocol.h"
#include "Sha256.h"

#include <QFile>
#include <QFileInfo>

namespace ferry {

QString localPartPath(const QString &targetPath)
{
    const QFileInfo target(targetPath);
    const QString name = target.fileName();
    QString partName = QString(PartFilePrefix) + name;
    if (partName.toUtf8().size() > Limits::MaxSegmentBytes)
        partName = QString(PartFilePrefix) + QString::fromLatin1(Sha256::hex(name.toUtf8()));
    return target.path() + QLatin1Char('/') + partName;
}

std::filesystem::path nativePath(const QString &path)
{
#ifdef Q_OS_WIN
    return std::filesystem::path(path.toStdWString());
#else
    return std::filesystem::path(QFile::encodeName(path).toStdString());
#endif
}

bool localNameTaken(const QString &path)
{
    std::error_code error;
    const std::filesystem::file_status status = std::filesystem::symlink_status(nativePath(path), error);
    // A look that fails (permission denied on the way) says nothing is known there, as QFileInfo did: opening
    // the part file then fails and says why.
    return status.type() != std::filesystem::file_type::not_found && status.type() != std::filesystem::file_type::none;
}

QString numberedName(const QString &name, int number)
{
    // The extension is what follows the last dot, unless that dot starts the name (a hidden file).
    const qsizetype dot = name.lastIndexOf(QLatin1Char('.'));
    const QString suffix = QStringLiteral(" (%1)").arg(number);
    if (dot <= 0)
        return name + suffix;
    return name.left(dot) + suffix + name.mid(dot);
}

QString freeName(const QString &name, const std::function<bool(const QString &candidate)> &taken, int attempts)
{
    for (int number = 1; number <= attempts; ++number) {
        const QString candidate = numberedName(name, number);
        if (candidate.toUtf8().size() <= Limits::MaxSegmentBytes && !taken(candidate))
            return candidate;
    }
    return {};
}

} // namespace ferry
