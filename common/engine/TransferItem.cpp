#include "TransferItem.h"

#include <QCoreApplication>

namespace ferry {

namespace {

// Stable names for the state file: the enums may be reordered, the file must stay readable.
const QLatin1String StateNames[] = {QLatin1String("queued"), QLatin1String("running"), QLatin1String("paused"),
                                    QLatin1String("done"),   QLatin1String("failed"),  QLatin1String("cancelled"),
                                    QLatin1String("skipped")};
const QLatin1String PolicyNames[] = {QLatin1String("ask"),    QLatin1String("fail"),   QLatin1String("overwrite"),
                                     QLatin1String("resume"), QLatin1String("rename"), QLatin1String("skip"),
                                     QLatin1String("overwrite-if-newer"), QLatin1String("overwrite-if-size-differs")};

template <typename Enum, size_t N>
Enum enumFromName(const QLatin1String (&names)[N], const QString &name, Enum fallback)
{
    for (size_t i = 0; i < N; ++i) {
        if (name == names[i])
            return Enum(i);
    }
    return fallback;
}

qint64 integer(const QJsonObject &object, QLatin1String key, qint64 fallback)
{
    const QJsonValue value = object.value(key);
    return value.isDouble() ? qint64(value.toDouble()) : fallback;
}

} // namespace

QString TransferItem::name() const
{
    // The name at the target: a renamed copy shows under its new name.
    const QString &path = direction == TransferDirection::Upload ? remotePath : localPath;
    const QString fileName = path.section(QLatin1Char('/'), -1);
    if (!fileName.isEmpty())
        return fileName;
    const QString &source = direction == TransferDirection::Upload ? localPath : remotePath;
    return source.section(QLatin1Char('/'), -1, -1, QString::SectionSkipEmpty);
}

QString TransferItem::account() const
{
    return user.isEmpty() ? QString() : user + QLatin1Char('@') + server;
}

QJsonObject TransferItem::toJson() const
{
    QJsonObject object{
        {QLatin1String("id"), id},
        {QLatin1String("job"), jobId},
        {QLatin1String("direction"), direction == TransferDirection::Upload ? QStringLiteral("upload") : QStringLiteral("download")},
        {QLatin1String("local"), localPath},
        {QLatin1String("remote"), remotePath},
        {QLatin1String("dir"), isDir},
        {QLatin1String("size"), size},
        {QLatin1String("done"), done},
        {QLatin1String("resumedFrom"), resumedFrom},
        {QLatin1String("mtime"), mtimeMs},
        {QLatin1String("state"), QString(StateNames[int(state)])},
        {QLatin1String("conflict"), QString(PolicyNames[int(conflict)])},
        {QLatin1String("started"), started},
        {QLatin1String("replacesSize"), replacesSize},
        {QLatin1String("replacesMtime"), replacesMtimeMs},
        {QLatin1String("server"), server},
        {QLatin1String("identity"), serverIdentity},
        {QLatin1String("user"), user},
    };
    if (error.isError()) {
        object.insert(QLatin1String("error"), QJsonObject{{QLatin1String("code"), error.code},
                                                          {QLatin1String("message"), error.message}});
    }
    return object;
}

TransferItem TransferItem::fromJson(const QJsonObject &object)
{
    TransferItem item;
    item.id = integer(object, QLatin1String("id"), 0);
    item.jobId = integer(object, QLatin1String("job"), 0);
    item.direction = object.value(QLatin1String("direction")).toString() == QLatin1String("download")
            ? TransferDirection::Download
            : TransferDirection::Upload;
    item.localPath = object.value(QLatin1String("local")).toString();
    item.remotePath = object.value(QLatin1String("remote")).toString();
    item.isDir = object.value(QLatin1String("dir")).toBool();
    item.size = integer(object, QLatin1String("size"), -1);
    item.done = integer(object, QLatin1String("done"), 0);
    item.resumedFrom = integer(object, QLatin1String("resumedFrom"), 0);
    item.mtimeMs = integer(object, QLatin1String("mtime"), -1);
    item.state = enumFromName(StateNames, object.value(QLatin1String("state")).toString(), TransferState::Queued);
    // Nothing runs right after a restart: what was running is queued again and resumes from its part file.
    if (item.state == TransferState::Running)
        item.state = TransferState::Queued;
    item.conflict = enumFromName(PolicyNames, object.value(QLatin1String("conflict")).toString(), ConflictPolicy::Ask);
    item.started = object.value(QLatin1String("started")).toBool();
    item.replacesSize = integer(object, QLatin1String("replacesSize"), -1);
    item.replacesMtimeMs = integer(object, QLatin1String("replacesMtime"), -1);
    item.server = object.value(QLatin1String("server")).toString();
    item.serverIdentity = object.value(QLatin1String("identity")).toString();
    item.user = object.value(QLatin1String("user")).toString();
    const QJsonObject error = object.value(QLatin1String("error")).toObject();
    item.error.code = error.value(QLatin1String("code")).toString();
    item.error.message = error.value(QLatin1String("message")).toString();
    return item;
}

QString transferStateName(TransferState state)
{
    switch (state) {
    case TransferState::Queued:
        return QCoreApplication::translate("TransferItem", "Queued");
    case TransferState::Running:
        return QCoreApplication::translate("TransferItem", "Running");
    case TransferState::Paused:
        return QCoreApplication::translate("TransferItem", "Paused");
    case TransferState::Done:
        return QCoreApplication::translate("TransferItem", "Done");
    case TransferState::Failed:
        return QCoreApplication::translate("TransferItem", "Failed");
    case TransferState::Cancelled:
        return QCoreApplication::translate("TransferItem", "Cancelled");
    case TransferState::Skipped:
        return QCoreApplication::translate("TransferItem", "Skipped");
    }
    return {};
}

} // namespace ferry
