#pragma once
// Builds the headers of the server's answers (docs/PROTOCOL.md, "Replies"): every answer to request N carries
// "re": N. The client engine uses the same builder for the error replies it makes up itself (a lost connection),
// so both sides produce one shape.

#include "Result.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonObject>

namespace ferry::Reply {

// {"op":"ok","re":re, …fields}
QJsonObject ok(qint64 re, QJsonObject fields = {});
// {"op":"error","re":re,"code":…,"message":…, …error.extra}; re < 0 writes "re": null (no valid request id).
QJsonObject error(qint64 re, const Error &error);
// {"op":"error","code":…,"message":…} without "re": a framing error, which answers no request.
QJsonObject fatal(const Error &error);
// {"op":"entries","re":re,"entries":[…],"more":more}: one page of a listing.
QJsonObject entries(qint64 re, const QJsonArray &entries, bool more);
// {"op":"data","re":re}: the header of a download's data frame (encodeFrame adds "bytes").
QJsonObject data(qint64 re);
// {"op":"end","re":re,"sha256":hex}: a download's last frame.
QJsonObject end(qint64 re, const QByteArray &sha256Hex);

} // namespace ferry::Reply
