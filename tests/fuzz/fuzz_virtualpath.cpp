// Fuzzes VirtualPath (common/protocol/VirtualPath.*). The input is read as UTF-8 (what the wire carries)
// and, for odd first bytes, as raw UTF-16 so lone surrogates reach the parser too. Invariants:
//  - an accepted path prints back to exactly the input and parses again to an equal path;
//  - rebuilding it with child() from the root gives the same path; parent(), name() and contains() agree;
//  - a refused path is invalid_path with a message of bounded size (it is quoted back in replies).

#include "FuzzCheck.h"
#include "Protocol.h"
#include "VirtualPath.h"

#include <cstdint>

using namespace ferry;

namespace {

constexpr qsizetype MaxMessageChars = 600;

void checkAccepted(const QString &text, const VirtualPath &path)
{
    FUZZ_CHECK(path.toString() == text);
    const Result<VirtualPath> again = VirtualPath::fromWire(path.toString());
    FUZZ_CHECK(again.ok() && *again == path);
    FUZZ_CHECK(path.toString().toUtf8().size() <= Limits::MaxPathBytes);

    for (const QString &segment : path.segments()) {
        FUZZ_CHECK(!VirtualPath::checkSegment(segment).isError());
        FUZZ_CHECK(segment.toUtf8().size() <= Limits::MaxSegmentBytes);
    }
    if (!path.isRoot()) {
        const Result<VirtualPath> last = path.parent().child(path.name());
        FUZZ_CHECK(last.ok() && *last == path);
        FUZZ_CHECK(path.parent().contains(path));
    }
    // Segment by segment from the root (child() is linear in the depth, so only for short paths).
    if (path.segments().size() <= 16) {
        VirtualPath rebuilt;
        for (const QString &segment : path.segments()) {
            FUZZ_CHECK(rebuilt.contains(path));
            const Result<VirtualPath> child = rebuilt.child(segment);
            FUZZ_CHECK(child.ok() && child->parent() == rebuilt && child->name() == segment);
            rebuilt = *child;
        }
        FUZZ_CHECK(rebuilt == path);
    }
    FUZZ_CHECK(path.isRoot() == (text == QLatin1String("/")));
    FUZZ_CHECK(VirtualPath::root().contains(path));
    FUZZ_CHECK(path.isRoot() || !path.contains(path.parent()));
}

void checkRefused(const Error &error)
{
    FUZZ_CHECK(error.code == ErrorCode::InvalidPath);
    FUZZ_CHECK(!error.message.isEmpty() && error.message.size() <= MaxMessageChars);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const char *body = reinterpret_cast<const char *>(data + 1);
    const qsizetype bodySize = qsizetype(size - 1);
    const QString text = (data[0] & 1)
        ? QString(reinterpret_cast<const QChar *>(QByteArray(body, bodySize).constData()), bodySize / 2)
        : QString::fromUtf8(body, bodySize);

    const Result<VirtualPath> path = VirtualPath::fromWire(text);
    if (path)
        checkAccepted(text, *path);
    else
        checkRefused(path.error());

    // The same text as one name inside a folder.
    const Error segmentError = VirtualPath::checkSegment(text);
    const Result<VirtualPath> child = VirtualPath::root().child(text);
    FUZZ_CHECK(child.ok() == !segmentError.isError());
    if (child)
        checkAccepted(QLatin1Char('/') + text, *child);
    else
        checkRefused(child.error());
    return 0;
}
