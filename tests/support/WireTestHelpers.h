#pragma once
// Test support: small helpers for wire-level server tests that speak raw frames through RawClient.

#include "Frame.h"
#include "RawClient.h"
#include "Sha256.h"

#include <QDir>
#include <QJsonObject>
#include <QList>
#include <QtEndian>

#include <optional>

namespace ferry::test {

inline const QString Pw = QStringLiteral("pw");

inline QJsonObject op(const QString &name, QJsonObject fields = {})
{
    fields.insert(QStringLiteral("op"), name);
    return fields;
}
inline QString code(const Frame &frame)
{
    return frame.header.value(QStringLiteral("code")).toString();
}
inline qint64 integer(const Frame &frame, const char *key)
{
    return frame.header.value(QLatin1String(key)).toInteger(-1);
}
// A frame around header bytes as they are (encodeFrame() would re-serialise them).
inline QByteArray rawFrame(const QByteArray &json)
{
    QByteArray frame(4, Qt::Uninitialized);
    qToBigEndian(quint32(json.size()), frame.data());
    return frame + json;
}
inline int openFds()
{
    return int(QDir(QStringLiteral("/proc/self/fd")).entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System).size());
}

// put + data + end pipelined; every frame answering the put.
inline QList<Frame> putFile(RawClient &client, const QString &path, const QByteArray &content, const QString &mode,
                     std::optional<qint64> mtime = 1700000000123LL)
{
    const qint64 id = client.nextId();
    QJsonObject put{{QStringLiteral("id"), id}, {QStringLiteral("path"), path},
                    {QStringLiteral("size"), content.size()}, {QStringLiteral("mode"), mode}};
    if (mtime)
        put.insert(QStringLiteral("mtime"), *mtime);
    client.send(op(QStringLiteral("put"), put));
    const std::optional<Frame> ready = client.next();
    if (!ready || ready->op() != QLatin1String("ok"))
        return ready ? QList<Frame>{*ready} : QList<Frame>{};
    for (qint64 at = integer(*ready, "offset"); at < content.size(); at += 1024 * 1024)
        client.send(op(QStringLiteral("data"), {{QStringLiteral("id"), id}}), content.mid(at, 1024 * 1024));
    client.send(op(QStringLiteral("end"), {{QStringLiteral("id"), id}, {QStringLiteral("sha256"), QString::fromLatin1(Sha256::hex(content))}}));
    QList<Frame> frames{*ready};
    frames += client.untilFinal(id, 60000);
    return frames;
}

// get from `offset` (with the hash of the bytes before it, when given); the data received and the frame that ended it.
inline std::pair<QByteArray, Frame> getFile(RawClient &client, const QString &path, qint64 offset = 0,
                                            const QByteArray &prefixSha256 = {})
{
    const qint64 id = client.nextId();
    QJsonObject get{{QStringLiteral("id"), id}, {QStringLiteral("path"), path}, {QStringLiteral("offset"), offset}};
    if (!prefixSha256.isEmpty())
        get.insert(QStringLiteral("prefix_sha256"), QString::fromLatin1(prefixSha256));
    client.send(op(QStringLiteral("get"), get));
    QByteArray data;
    Frame last;
    for (const Frame &frame : client.untilFinal(id, 60000)) {
        if (frame.op() == QLatin1String("data"))
            data += frame.payload;
        last = frame;
    }
    return {data, last};
}

} // namespace ferry::test
