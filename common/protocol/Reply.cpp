#include "Reply.h"

#include "Protocol.h"

namespace ferry::Reply {

namespace {

QJsonObject header(QLatin1String op, qint64 re)
{
    return QJsonObject{{Field::Op, QString(op)}, {Field::Re, re < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(re)}};
}

} // namespace

QJsonObject ok(qint64 re, QJsonObject fields)
{
    fields.insert(Field::Op, QString(Op::Ok));
    fields.insert(Field::Re, re);
    return fields;
}

QJsonObject error(qint64 re, const Error &error)
{
    QJsonObject reply = fatal(error);
    reply.insert(Field::Re, re < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(re));
    return reply;
}

QJsonObject fatal(const Error &error)
{
    QJsonObject reply = error.extra;
    reply.insert(Field::Op, QString(Op::Error));
    reply.insert(Field::Code, error.code);
    reply.insert(Field::Message, error.message);
    return reply;
}

QJsonObject entries(qint64 re, const QJsonArray &entries, bool more)
{
    QJsonObject page = header(Op::Entries, re);
    page.insert(Field::Entries, entries);
    page.insert(Field::More, more);
    return page;
}

QJsonObject data(qint64 re) { return header(Op::Data, re); }

QJsonObject end(qint64 re, const QByteArray &sha256Hex)
{
    QJsonObject last = header(Op::End, re);
    last.insert(Field::Sha256, QString::fromLatin1(sha256Hex));
    return last;
}

} // namespace ferry::Reply
