#include "VirtualPath.h"

#include "Protocol.h"

namespace ferry {

namespace {

// Longest piece of an offending path quoted back in a message: an error reply must stay far below the
// header limit whatever the client sent.
constexpr int MaxQuotedChars = 200;

// The path as it can safely appear in a message: control characters and broken surrogates made visible,
// long paths shortened.
QString quoted(QStringView text)
{
    QString out;
    out.reserve(qMin<qsizetype>(text.size(), MaxQuotedChars) + 8);
    out += QLatin1Char('"');
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (out.size() > MaxQuotedChars) {
            out += QStringLiteral("...");
            break;
        }
        const QChar c = text[i];
        if (c.unicode() < 0x20 || c.unicode() == 0x7F) {
            out += QStringLiteral("\\x%1").arg(c.unicode(), 2, 16, QLatin1Char('0'));
        } else if (c.isHighSurrogate() && i + 1 < text.size() && text[i + 1].isLowSurrogate()) {
            out += c;
            out += text[++i];
        } else if (c.isSurrogate()) {
            out += QChar(QChar::ReplacementCharacter);
        } else {
            out += c;
        }
    }
    out += QLatin1Char('"');
    return out;
}

// Checks one segment; returns the broken rule (an English phrase) or nullptr, and its UTF-8 size.
const char *segmentRule(QStringView segment, int &utf8Bytes)
{
    utf8Bytes = 0;
    if (segment.isEmpty())
        return "empty names are not allowed (no \"//\" and no trailing \"/\")";
    if (segment == QLatin1String(".") || segment == QLatin1String(".."))
        return "\".\" and \"..\" are not allowed as names";
    // A leading U+FEFF does not survive JSON (Frame.cpp), so such a name could not be sent.
    if (segment.startsWith(QChar(0xFEFF)))
        return "a name cannot start with U+FEFF (a byte-order mark)";
    if (segment.startsWith(ReservedPrefix))
        return "names starting with \".ferry-\" are reserved for the server";
    for (qsizetype i = 0; i < segment.size(); ++i) {
        const char16_t c = segment[i].unicode();
        if (c == u'/')
            return "a name cannot contain \"/\"";
        // Bytes below 0x20 only, as docs/PROTOCOL.md says: DEL (0x7F) is allowed, since Linux, macOS and Windows
        // all accept it in file names and refusing it would hide such files (PROTOCOL.md §10).
        if (c < 0x20)
            return "names cannot contain control characters";
        if (c < 0x80) {
            utf8Bytes += 1;
        } else if (c < 0x800) {
            utf8Bytes += 2;
        } else if (QChar::isHighSurrogate(c)) {
            if (i + 1 >= segment.size() || !QChar::isLowSurrogate(segment[i + 1].unicode()))
                return "the name is not valid UTF-8";
            ++i;
            utf8Bytes += 4;
        } else if (QChar::isLowSurrogate(c)) {
            return "the name is not valid UTF-8";
        } else {
            utf8Bytes += 3;
        }
    }
    if (utf8Bytes > Limits::MaxSegmentBytes)
        return "a name is longer than 255 bytes";
    return nullptr;
}

Error invalidPath(QStringView path, const char *rule)
{
    return Error::make(ErrorCode::InvalidPath,
                       QStringLiteral("Invalid path %1: %2.").arg(quoted(path), QLatin1String(rule)));
}

int utf8Size(const QStringList &segments)
{
    int bytes = 0;
    for (const QString &segment : segments) {
        int segmentBytes = 0;
        segmentRule(segment, segmentBytes);
        bytes += 1 + segmentBytes;
    }
    return bytes;
}

} // namespace

Result<VirtualPath> VirtualPath::fromWire(const QString &text)
{
    if (!text.startsWith(QLatin1Char('/')))
        return invalidPath(text, "a path must be absolute, starting with \"/\"");
    if (text.size() == 1)
        return root();
    // Cheap bound before any splitting: a UTF-16 unit is at least one UTF-8 byte.
    if (text.size() > Limits::MaxPathBytes)
        return invalidPath(text, "the path is longer than 4096 bytes");

    QStringList segments;
    int totalBytes = 0;
    const QStringView body = QStringView(text).mid(1);
    for (const QStringView segment : body.split(QLatin1Char('/'))) {
        int segmentBytes = 0;
        if (const char *rule = segmentRule(segment, segmentBytes))
            return invalidPath(text, rule);
        totalBytes += 1 + segmentBytes;
        segments.append(segment.toString());
    }
    if (totalBytes > Limits::MaxPathBytes)
        return invalidPath(text, "the path is longer than 4096 bytes");
    return VirtualPath(std::move(segments));
}

Error VirtualPath::checkSegment(const QString &name)
{
    int bytes = 0;
    if (const char *rule = segmentRule(name, bytes))
        return Error::make(ErrorCode::InvalidPath,
                           QStringLiteral("Invalid name %1: %2.").arg(quoted(name), QLatin1String(rule)));
    return {};
}

Result<VirtualPath> VirtualPath::child(const QString &name) const
{
    Error error = checkSegment(name);
    if (error.isError())
        return error;
    QStringList segments = m_segments;
    segments.append(name);
    if (utf8Size(segments) > Limits::MaxPathBytes)
        return invalidPath(QString(toString() + QLatin1Char('/') + name), "the path is longer than 4096 bytes");
    return VirtualPath(std::move(segments));
}

QString VirtualPath::toString() const
{
    if (m_segments.isEmpty())
        return QStringLiteral("/");
    QString text;
    for (const QString &segment : m_segments)
        text += QLatin1Char('/') + segment;
    return text;
}

QString VirtualPath::name() const
{
    return m_segments.isEmpty() ? QString() : m_segments.last();
}

VirtualPath VirtualPath::parent() const
{
    if (m_segments.isEmpty())
        return {};
    return VirtualPath(m_segments.mid(0, m_segments.size() - 1));
}

bool VirtualPath::contains(const VirtualPath &other) const
{
    if (other.m_segments.size() < m_segments.size())
        return false;
    for (qsizetype i = 0; i < m_segments.size(); ++i) {
        if (m_segments[i] != other.m_segments[i])
            return false;
    }
    return true;
}

} // namespace ferry
