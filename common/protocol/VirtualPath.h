#pragma once
// Virtual paths of the wire: absolute, UTF-8, "/" or "/seg/seg…" (docs/PROTOCOL.md, "Paths").
// A VirtualPath can only hold a valid path: it is built by the checked factory fromWire() or child().

#include "Result.h"

#include <QStringList>

namespace ferry {

class VirtualPath {
public:
    // The home: "/".
    VirtualPath() = default;
    static VirtualPath root() { return {}; }

    // invalid_path with a message naming the rule, for anything the wire rules forbid.
    static Result<VirtualPath> fromWire(const QString &text);
    // The path of `name` inside this folder; invalid_path if name is not a valid segment.
    Result<VirtualPath> child(const QString &name) const;
    // Null error when `name` is a valid segment, else invalid_path saying why.
    static Error checkSegment(const QString &name);

    bool isRoot() const { return m_segments.isEmpty(); }
    QString toString() const;
    const QStringList &segments() const { return m_segments; }
    QString name() const;          // last segment; empty for the root
    VirtualPath parent() const;    // the root's parent is the root
    // True when this is `other` or one of its ancestors.
    bool contains(const VirtualPath &other) const;

    bool operator==(const VirtualPath &other) const { return m_segments == other.m_segments; }
    bool operator!=(const VirtualPath &other) const { return !(*this == other); }

private:
    explicit VirtualPath(QStringList segments) : m_segments(std::move(segments)) {}
    QStringList m_segments;
};

} // namespace ferry
