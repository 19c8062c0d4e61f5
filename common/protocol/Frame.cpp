#include "Frame.h"

#include "BulkAllocator.h"
#include "Protocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QtEndian>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace ferry {

namespace {

// Payloads from this size on (file chunks) get block-aligned buffers; small ones (a small file's bytes, which go
// through the page cache anyway) would only waste up to a block each.
constexpr qint64 AlignedPayloadMinBytes = 64 * 1024;

QByteArray lengthPrefixed(const QByteArray &json)
{
    QByteArray out;
    out.reserve(4 + json.size());
    char prefix[4];
    qToBigEndian<quint32>(quint32(json.size()), prefix);
    out.append(prefix, 4);
    out.append(json);
    return out;
}

// Whether a member name or string value, at any depth, starts with U+FEFF. Qt's JSON drops such a leading
// character on the way in (raw) or on the way out (escaped), so a header carrying one would not mean the
// same to both ends: a path or name could silently change.
bool hasStringStartingWithBom(const QJsonValue &value);

bool hasStringStartingWithBom(const QJsonObject &object)
{
    for (auto it = object.begin(); it != object.end(); ++it) {
        if (it.key().startsWith(QChar(0xFEFF)) || hasStringStartingWithBom(it.value()))
            return true;
    }
    return false;
}

bool hasStringStartingWithBom(const QJsonValue &value)
{
    if (value.isString())
        return value.toString().startsWith(QChar(0xFEFF));
    if (value.isObject())
        return hasStringStartingWithBom(value.toObject());
    if (value.isArray()) {
        const QJsonArray array = value.toArray();
        return std::any_of(array.begin(), array.end(), [](const QJsonValue &item) { return hasStringStartingWithBom(item); });
    }
    return false;
}

} // namespace

QByteArray encodeFrame(const QJsonObject &header)
{
    QJsonObject copy = header;
    copy.remove(Field::Bytes);
    return lengthPrefixed(QJsonDocument(copy).toJson(QJsonDocument::Compact));
}

QByteArray encodeFrameHead(QJsonObject header, qint64 payloadBytes)
{
    header.insert(Field::Bytes, payloadBytes);
    return lengthPrefixed(QJsonDocument(header).toJson(QJsonDocument::Compact));
}

QByteArray encodeFrame(QJsonObject header, const QByteArray &payload)
{
    QByteArray out = encodeFrameHead(std::move(header), payload.size());
    out.append(payload);
    return out;
}

std::optional<qint64> jsonInteger(const QJsonObject &object, QLatin1String key)
{
    const QJsonValue value = object.value(key);
    if (!value.isDouble())
        return std::nullopt;
    // Qt keeps integral JSON numbers as 64-bit integers; a fraction or exponent makes a double.
    const double asDouble = value.toDouble();
    if (!(asDouble >= 0) || asDouble > double(Limits::MaxInteger) || std::floor(asDouble) != asDouble)
        return std::nullopt;
    // 2^53 + 1 rounds to 2^53 as a double: the integer itself must be in range too.
    const qint64 asInteger = value.toInteger(-1);
    if (asInteger < 0 || asInteger > Limits::MaxInteger)
        return std::nullopt;
    return asInteger;
}

void FrameDecoder::feed(const char *data, qint64 size)
{
    if (m_failure != Failure::None || size <= 0)
        return;
    // A payload being received takes its bytes first (m_buffer holds nothing unconsumed meanwhile).
    const qint64 missing = payloadBytesMissing();
    if (missing > 0) {
        const qint64 take = qMin(missing, size);
        memcpy(payloadWritePointer(), data, size_t(take));
        payloadFilled(take);
        data += take;
        size -= take;
        if (size == 0)
            return;
    }
    // Drop consumed bytes before growing; only headers live here, so this stays small.
    if (m_offset > 0) {
        m_buffer.remove(0, m_offset);
        m_offset = 0;
    }
    m_buffer.append(data, size);
}

FrameDecoder::Status FrameDecoder::fail(Failure failure)
{
    m_failure = failure;
    m_buffer.clear();
    m_payload.clear();
    m_payloadFilled = 0;
    m_payloadLength = -1;
    m_offset = 0;
    return Status::Failed;
}

FrameDecoder::Status FrameDecoder::next(Frame &frame)
{
    if (m_failure != Failure::None)
        return Status::Failed;

    if (m_headerLength < 0) {
        if (bufferedBytes() < 4)
            return Status::NeedMore;
        // Judge the announced length at once: never wait for or allocate an out-of-range header.
        const quint32 length = qFromBigEndian<quint32>(m_buffer.constData() + m_offset);
        if (length == 0)
            return fail(Failure::HeaderLengthZero);
        if (length > quint32(Limits::MaxHeaderBytes))
            return fail(Failure::HeaderTooLong);
        m_headerLength = length;
        m_offset += 4;
    }

    if (m_payloadLength < 0) {
        if (bufferedBytes() < m_headerLength)
            return Status::NeedMore;
        if (const Failure failure = parseHeader(QByteArray::fromRawData(m_buffer.constData() + m_offset, m_headerLength));
            failure != Failure::None)
            return fail(failure);
        if (const Failure failure = readPayloadLength(); failure != Failure::None)
            return fail(failure);
        m_offset += m_headerLength;
        if (m_payloadLength > 0)
            startPayload();
    }

    if (payloadBytesMissing() > 0)
        return Status::NeedMore;
    return takeFrame(frame);
}

FrameDecoder::Failure FrameDecoder::parseHeader(const QByteArray &json)
{
    // Qt skips a leading byte-order mark; the wire forbids one (PROTOCOL.md).
    if (json.startsWith("\xEF\xBB\xBF"))
        return Failure::HeaderNotJson;
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Qt parses only objects and arrays at the top; a lone scalar is JSON, just not an object.
        const QJsonDocument wrapped = QJsonDocument::fromJson('[' + json + ']');
        return wrapped.isArray() && wrapped.array().size() == 1 ? Failure::HeaderNotObject : Failure::HeaderNotJson;
    }
    if (!document.isObject())
        return Failure::HeaderNotObject;
    // A raw U+FEFF right after a quote starts a string (a quote inside a string is escaped); Qt has
    // already dropped it from the parsed value, so it is caught here, escaped ones in the parsed header.
    if (json.contains("\"\xEF\xBB\xBF") || hasStringStartingWithBom(document.object()))
        return Failure::StringStartsWithBom;
    m_header = document.object();
    if (!m_header.value(Field::Op).isString())
        return Failure::OpMissing;
    return Failure::None;
}

FrameDecoder::Failure FrameDecoder::readPayloadLength()
{
    m_payloadLength = 0;
    if (!m_header.contains(Field::Bytes))
        return Failure::None;
    const QJsonValue bytes = m_header.value(Field::Bytes);
    const std::optional<qint64> length = jsonInteger(m_header, Field::Bytes);
    if (!length) {
        // A number that is negative or huge is an over-limit payload; anything else is malformed.
        if (bytes.isDouble() && std::floor(bytes.toDouble()) == bytes.toDouble())
            return Failure::PayloadTooLarge;
        return Failure::BytesInvalid;
    }
    if (*length > Limits::MaxPayloadBytes)
        return Failure::PayloadTooLarge;
    if (*length > 0 && !m_payloadsAllowed)
        return Failure::PayloadRefused;
    m_payloadLength = *length;
    return Failure::None;
}

void FrameDecoder::startPayload()
{
    // The payload gets its own buffer, once, at its full size; what already arrived moves there. A bulk payload's
    // buffer is block-aligned, so that a file written with O_DIRECT can take it without a copy.
    m_payload = m_payloadLength >= AlignedPayloadMinBytes ? alignedBulkBytes(m_payloadLength)
                                                          : QByteArray(m_payloadLength, Qt::Uninitialized);
    const qint64 take = qMin(m_payloadLength, qint64(m_buffer.size()) - m_offset);
    memcpy(m_payload.data(), m_buffer.constData() + m_offset, size_t(take));
    m_payloadFilled = take;
    m_offset += take;
}

FrameDecoder::Status FrameDecoder::takeFrame(Frame &frame)
{
    frame.header = std::move(m_header);
    frame.payload = std::move(m_payload);
    m_header = QJsonObject();
    m_payload = QByteArray();
    m_payloadFilled = 0;
    m_headerLength = -1;
    m_payloadLength = -1;
    if (m_offset == m_buffer.size()) {
        m_buffer.truncate(0);
        m_offset = 0;
    }
    return Status::FrameReady;
}

QString FrameDecoder::failureMessage() const
{
    switch (m_failure) {
    case Failure::None:
        return {};
    case Failure::HeaderLengthZero:
        return QStringLiteral("Frame header length is 0; it must be 1 to %1 bytes.").arg(Limits::MaxHeaderBytes);
    case Failure::HeaderTooLong:
        return QStringLiteral("Frame header length is over the limit of %1 bytes.").arg(Limits::MaxHeaderBytes);
    case Failure::HeaderNotJson:
        return QStringLiteral("Frame header is not valid UTF-8 JSON.");
    case Failure::HeaderNotObject:
        return QStringLiteral("Frame header is not a JSON object.");
    case Failure::StringStartsWithBom:
        return QStringLiteral("Frame header has a string starting with U+FEFF.");
    case Failure::OpMissing:
        return QStringLiteral("Frame header has no string \"op\".");
    case Failure::BytesInvalid:
        return QStringLiteral("Frame header's \"bytes\" is not an integer.");
    case Failure::PayloadTooLarge:
        return QStringLiteral("Frame payload size is outside 0 to %1 bytes.").arg(Limits::MaxPayloadBytes);
    case Failure::PayloadRefused:
        return QStringLiteral("Frames with a payload are refused before login.");
    }
    return {};
}

} // namespace ferry
