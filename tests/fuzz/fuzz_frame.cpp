// Fuzzes FrameDecoder (common/protocol/Frame.*) with arbitrary bytes. Invariants:
//  - the frames and the failure do not depend on how the input is split, nor on whether payloads are
//    fed or written in place (the zero-copy path);
//  - every decoded frame re-encodes to a frame that decodes to the same header and payload, and to the
//    very same bytes when its header was already in compact form;
//  - a failed decoder stays failed and says why; a frame never carries more than the limits allow.

#include "Frame.h"
#include "FuzzCheck.h"
#include "Protocol.h"

#include <QJsonDocument>
#include <QList>
#include <QtEndian>

#include <cstdint>

using namespace ferry;

namespace {

struct Decoded {
    QList<Frame> frames;
    FrameDecoder::Status last = FrameDecoder::Status::NeedMore;
    FrameDecoder::Failure failure = FrameDecoder::Failure::None;
};

void drain(FrameDecoder &decoder, Decoded &out)
{
    for (;;) {
        Frame frame;
        out.last = decoder.next(frame);
        if (out.last != FrameDecoder::Status::FrameReady)
            return;
        out.frames.append(std::move(frame));
    }
}

// Feeds `input` in chunks whose sizes come from `splits` (cycled); zeroCopy writes payload bytes straight
// into the decoder's payload buffer as a socket reader does.
Decoded decode(const QByteArray &input, const QByteArray &splits, bool zeroCopy)
{
    FrameDecoder decoder;
    Decoded out;
    qint64 at = 0;
    int splitIndex = 0;
    while (at < input.size() && out.last != FrameDecoder::Status::Failed) {
        qint64 chunk = input.size() - at;
        if (!splits.isEmpty())
            chunk = qMin<qint64>(chunk, 1 + quint8(splits.at(splitIndex++ % splits.size())));
        const qint64 missing = decoder.payloadBytesMissing();
        if (zeroCopy && missing > 0) {
            const qint64 take = qMin(chunk, missing);
            memcpy(decoder.payloadWritePointer(), input.constData() + at, size_t(take));
            decoder.payloadFilled(take);
            at += take;
        } else {
            decoder.feed(input.constData() + at, chunk);
            at += chunk;
        }
        drain(decoder, out);
    }
    drain(decoder, out);
    out.failure = decoder.failure();
    if (out.last == FrameDecoder::Status::Failed) {
        FUZZ_CHECK(out.failure != FrameDecoder::Failure::None);
        FUZZ_CHECK(!decoder.failureMessage().isEmpty());
        decoder.feed(QByteArrayLiteral("\0\0\0\x0b{\"op\":\"x\"}"));
        Frame frame;
        FUZZ_CHECK(decoder.next(frame) == FrameDecoder::Status::Failed);
    } else {
        FUZZ_CHECK(out.failure == FrameDecoder::Failure::None);
    }
    return out;
}

bool sameFrames(const QList<Frame> &a, const QList<Frame> &b)
{
    if (a.size() != b.size())
        return false;
    for (qsizetype i = 0; i < a.size(); ++i) {
        if (a[i].header != b[i].header || a[i].payload != b[i].payload)
            return false;
    }
    return true;
}

QByteArray reencode(const Frame &frame)
{
    if (frame.header.contains(QLatin1String("bytes")))
        return encodeFrameHead(frame.header, frame.payload.size()) + frame.payload;
    return encodeFrame(frame.header);
}

void checkFrames(const QByteArray &input, const QList<Frame> &frames)
{
    qint64 at = 0;
    for (const Frame &frame : frames) {
        FUZZ_CHECK(frame.header.value(QLatin1String("op")).isString());
        FUZZ_CHECK(frame.payload.size() <= Limits::MaxPayloadBytes);
        const qint64 headerLength = qFromBigEndian<quint32>(input.constData() + at);
        FUZZ_CHECK(headerLength >= 1 && headerLength <= Limits::MaxHeaderBytes);
        const QByteArray original = input.mid(at, 4 + headerLength + frame.payload.size());
        at += original.size();

        const QByteArray again = reencode(frame);
        Decoded redecoded = decode(again, {}, false);
        FUZZ_CHECK(redecoded.frames.size() == 1);
        FUZZ_CHECK(redecoded.frames[0].header == frame.header);
        FUZZ_CHECK(redecoded.frames[0].payload == frame.payload);
        const QByteArray headerJson = original.mid(4, headerLength);
        if (QJsonDocument(frame.header).toJson(QJsonDocument::Compact) == headerJson)
            FUZZ_CHECK(again == original);
    }
    FUZZ_CHECK(at <= input.size());
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    // The first byte's low bits say how many split-size bytes follow; the rest is the stream.
    if (size < 1)
        return 0;
    const int splitBytes = data[0] & 7;
    if (size < size_t(1 + splitBytes))
        return 0;
    const QByteArray splits(reinterpret_cast<const char *>(data + 1), splitBytes);
    const QByteArray input(reinterpret_cast<const char *>(data + 1 + splitBytes), qsizetype(size - 1 - splitBytes));

    const Decoded whole = decode(input, {}, false);
    checkFrames(input, whole.frames);
    const Decoded split = decode(input, splits.isEmpty() ? QByteArrayLiteral("\0") : splits, false);
    const Decoded inPlace = decode(input, splits, true);
    for (const Decoded *other : {&split, &inPlace}) {
        FUZZ_CHECK(sameFrames(whole.frames, other->frames));
        FUZZ_CHECK(whole.failure == other->failure);
    }
    return 0;
}
