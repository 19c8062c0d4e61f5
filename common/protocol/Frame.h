#pragma once
// Frames of the Ferry wire (docs/PROTOCOL.md, "Frames"):
//
//   frame   = length header payload
//   length  = u32 big-endian, 1 .. 65536: the size of header
//   header  = UTF-8 JSON object with a string "op" and, when a payload follows, an integer "bytes"
//   payload = exactly header["bytes"] raw bytes, 0 .. 4194304
//
// FrameDecoder is pure (no socket): feed it bytes in any split and take complete frames out.

#include "Protocol.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

namespace ferry {

struct Frame {
    QJsonObject header;
    QByteArray payload;

    QString op() const { return header.value(Field::Op).toString(); }
};

// Encodes a frame. With a payload, "bytes" is set to its size; without one, "bytes" is removed.
QByteArray encodeFrame(const QJsonObject &header);
QByteArray encodeFrame(QJsonObject header, const QByteArray &payload);
// Length prefix and header of a frame whose payload of payloadBytes the caller writes separately.
QByteArray encodeFrameHead(QJsonObject header, qint64 payloadBytes);

// Reads a JSON integer field exactly (0 .. 2^53, no fraction); nullopt when absent or not such a number.
std::optional<qint64> jsonInteger(const QJsonObject &object, QLatin1String key);

class FrameDecoder {
public:
    enum class Status { NeedMore, FrameReady, Failed };
    enum class Failure {
        None,
        HeaderLengthZero,
        HeaderTooLong,
        HeaderNotJson,      // not UTF-8 JSON
        HeaderNotObject,
        StringStartsWithBom, // a member name or string value starts with U+FEFF
        OpMissing,          // "op" absent or not a string
        BytesInvalid,       // "bytes" not an integer
        PayloadTooLarge,    // "bytes" over 4 MiB (or negative)
        PayloadRefused,     // a payload while payloads are refused (before login)
    };

    // Payloads are accepted (default) or refused without buffering them (a server before login).
    void setPayloadsAllowed(bool allowed) { m_payloadsAllowed = allowed; }

    // Appends input; nothing is parsed until next() is called.
    void feed(const char *data, qint64 size);
    void feed(const QByteArray &data) { feed(data.constData(), data.size()); }

    // Takes the next complete frame out into `frame`. After Failed, the decoder stays failed.
    Status next(Frame &frame);

    Failure failure() const { return m_failure; }
    QString failureMessage() const;
    qint64 bufferedBytes() const { return m_buffer.size() - m_offset + m_payloadFilled; }

    // Zero-copy input for payloads: while a frame's payload is being received, the bytes it still needs
    // and where to put them; a reader fills that space itself and reports how much with payloadFilled().
    qint64 payloadBytesMissing() const { return m_payloadLength > 0 ? m_payloadLength - m_payloadFilled : 0; }
    char *payloadWritePointer() { return m_payload.data() + m_payloadFilled; }
    void payloadFilled(qint64 size) { m_payloadFilled += size; }

private:
    Status fail(Failure failure);
    // Checks the header's JSON and keeps it in m_header; Failure::None when it is a valid frame header.
    Failure parseHeader(const QByteArray &json);
    // Sets m_payloadLength from the header's "bytes" (0 when absent), within the limits.
    Failure readPayloadLength();
    // Gives the payload its buffer and moves the bytes of it that already arrived there.
    void startPayload();
    // Hands over the complete frame and readies the decoder for the next one.
    Status takeFrame(Frame &frame);

    QByteArray m_buffer;            // length prefixes and headers (payloads go straight to m_payload)
    qint64 m_offset = 0;            // start of unconsumed input in m_buffer
    qint64 m_headerLength = -1;     // known once the length prefix arrived
    qint64 m_payloadLength = -1;    // known once the header was parsed
    QJsonObject m_header;
    QByteArray m_payload;           // the current frame's payload, allocated once at its full size
    qint64 m_payloadFilled = 0;
    Failure m_failure = Failure::None;
    bool m_payloadsAllowed = true;
};

} // namespace ferry
