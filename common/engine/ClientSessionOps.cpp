#include "ClientSession.h"

#include "Protocol.h"
#include "VirtualPath.h"

#include <QJsonArray>

#include <memory>

// The one-shot operations of ClientSession: each turns the reply frames of one request into one callback.

namespace ferry {

namespace {

Status statusFromFrame(const Frame &frame)
{
    if (frame.op() == Op::Ok)
        return Status::success();
    return Status(ClientSession::errorFromFrame(frame));
}

// Entries whose names could not be a single path segment are dropped: a hostile server must not be
// able to smuggle "../x" or "a/b" into a client that later turns names into local paths.
QList<RemoteEntry> entriesFromArray(const QJsonArray &array)
{
    QList<RemoteEntry> entries;
    entries.reserve(array.size());
    for (const QJsonValue &value : array) {
        if (!value.isObject())
            continue;
        RemoteEntry entry = RemoteEntry::fromJson(value.toObject());
        if (VirtualPath::checkSegment(entry.name).isError())
            continue;
        entries.append(std::move(entry));
    }
    return entries;
}

} // namespace

void ClientSession::ping(StatusHandler done)
{
    request(QJsonObject{{Field::Op, QString(Op::Ping)}}, [done](const Frame &frame) {
        done(statusFromFrame(frame));
        return false;
    });
}

void ClientSession::list(const QString &path, std::function<void(const Result<QList<RemoteEntry>> &)> done)
{
    auto collected = std::make_shared<QList<RemoteEntry>>();
    listPaged(path, [collected, done](const Result<QList<RemoteEntry>> &page, bool last) {
        if (!page) {
            done(page.error());
            return;
        }
        collected->append(*page);
        if (last)
            done(*collected);
    });
}

void ClientSession::listPaged(const QString &path,
                              std::function<void(const Result<QList<RemoteEntry>> &page, bool last)> onPage)
{
    request(QJsonObject{{Field::Op, QString(Op::List)}, {Field::Path, path}}, [onPage](const Frame &frame) {
        if (frame.op() == Op::Entries) {
            const bool more = frame.header.value(Field::More).toBool();
            onPage(entriesFromArray(frame.header.value(Field::Entries).toArray()), !more);
            return more;
        }
        onPage(errorFromFrame(frame), true);
        return false;
    });
}

void ClientSession::stat(const QString &path, std::function<void(const Result<RemoteEntry> &)> done)
{
    request(QJsonObject{{Field::Op, QString(Op::Stat)}, {Field::Path, path}}, [done](const Frame &frame) {
        const QJsonValue entry = frame.header.value(Field::Entry);
        if (frame.op() == Op::Ok && entry.isObject())
            done(RemoteEntry::fromJson(entry.toObject()));
        else
            done(errorFromFrame(frame));
        return false;
    });
}

void ClientSession::mkdir(const QString &path, bool parents, StatusHandler done)
{
    request(QJsonObject{{Field::Op, QString(Op::Mkdir)}, {Field::Path, path}, {Field::Parents, parents}},
            [done](const Frame &frame) {
                done(statusFromFrame(frame));
                return false;
            });
}

void ClientSession::rename(const QString &from, const QString &to, bool overwrite, StatusHandler done)
{
    request(QJsonObject{{Field::Op, QString(Op::Rename)},
                        {Field::From, from},
                        {Field::To, to},
                        {Field::Overwrite, overwrite}},
            [done](const Frame &frame) {
                done(statusFromFrame(frame));
                return false;
            });
}

void ClientSession::remove(const QString &path, bool recursive, StatusHandler done)
{
    request(QJsonObject{{Field::Op, QString(Op::Remove)}, {Field::Path, path}, {Field::Recursive, recursive}},
            [done](const Frame &frame) {
                done(statusFromFrame(frame));
                return false;
            });
}

void ClientSession::quota(std::function<void(const Result<QuotaInfo> &)> done)
{
    request(QJsonObject{{Field::Op, QString(Op::Quota)}}, [done](const Frame &frame) {
        if (frame.op() == Op::Ok)
            done(quotaFromReply(frame.header));
        else
            done(errorFromFrame(frame));
        return false;
    });
}

} // namespace ferry
