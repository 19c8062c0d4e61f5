// The wire's path rules (docs/PROTOCOL.md, "Paths") against a table of hostile and valid inputs.

#include "Protocol.h"
#include "VirtualPath.h"

#include <QTest>

#include <algorithm>

using namespace ferry;

namespace {

QString repeated(const QString &unit, int count)
{
    QString text;
    for (int i = 0; i < count; ++i)
        text += unit;
    return text;
}

// "中" is 3 UTF-8 bytes: 85 of them are exactly 255 bytes.
const QString Zhong = QString::fromUtf8("\xe4\xb8\xad");

// A path of `segments` segments of `length` ASCII bytes each, padded by a last segment to `total` bytes.
QString pathOfBytes(int total)
{
    QString path;
    while (path.size() + 1 + 200 < total)
        path += QLatin1Char('/') + repeated(QStringLiteral("p"), 200);
    path += QLatin1Char('/') + repeated(QStringLiteral("q"), total - int(path.size()) - 1);
    return path;
}

} // namespace

class TestVirtualPath : public QObject {
    Q_OBJECT

private slots:
    void fromWireRejectsWhatTheRulesForbid_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("ruleWord");  // a word of the message that names the rule

        QTest::newRow("empty") << QString() << QStringLiteral("absolute");
        QTest::newRow("relative") << QStringLiteral("a") << QStringLiteral("absolute");
        QTest::newRow("relative with slash") << QStringLiteral("a/b") << QStringLiteral("absolute");
        QTest::newRow("trailing slash") << QStringLiteral("/a/") << QStringLiteral("empty");
        QTest::newRow("double slash only") << QStringLiteral("//") << QStringLiteral("empty");
        QTest::newRow("double slash inside") << QStringLiteral("/a//b") << QStringLiteral("empty");
        QTest::newRow("dot") << QStringLiteral("/.") << QStringLiteral("\"..\"");
        QTest::newRow("dot dot") << QStringLiteral("/..") << QStringLiteral("\"..\"");
        QTest::newRow("dot dot inside") << QStringLiteral("/a/../b") << QStringLiteral("\"..\"");
        QTest::newRow("dot inside") << QStringLiteral("/a/./b") << QStringLiteral("\"..\"");
        QTest::newRow("NUL") << (QStringLiteral("/a") + QChar(0) + QStringLiteral("b")) << QStringLiteral("control");
        QTest::newRow("0x01") << QStringLiteral("/\x01") << QStringLiteral("control");
        QTest::newRow("newline") << QStringLiteral("/a\nb") << QStringLiteral("control");
        QTest::newRow("leading U+FEFF") << (QStringLiteral("/a/") + QChar(0xFEFF) + QStringLiteral("b")) << QStringLiteral("U+FEFF");
        QTest::newRow("part file") << QStringLiteral("/.ferry-part-x") << QStringLiteral("reserved");
        QTest::newRow("reserved prefix") << QStringLiteral("/.ferry-x") << QStringLiteral("reserved");
        QTest::newRow("reserved prefix deep") << QStringLiteral("/a/.ferry-/b") << QStringLiteral("reserved");
        QTest::newRow("256-byte ASCII segment") << (QStringLiteral("/") + repeated(QStringLiteral("a"), 256))
                                                << QStringLiteral("255");
        QTest::newRow("256-byte Chinese segment") << (QStringLiteral("/") + repeated(Zhong, 85) + QStringLiteral("x"))
                                                  << QStringLiteral("255");
        QTest::newRow("258-byte Chinese segment") << (QStringLiteral("/") + repeated(Zhong, 86)) << QStringLiteral("255");
        QTest::newRow("4097 bytes") << pathOfBytes(4097) << QStringLiteral("4096");
        QTest::newRow("way over 4096 bytes") << pathOfBytes(60000) << QStringLiteral("4096");
        QTest::newRow("4097 bytes of Chinese") << (pathOfBytes(4095 - 3 * 10) + repeated(Zhong, 10) + QStringLiteral("xx"))
                                               << QStringLiteral("4096");
        QTest::newRow("lone high surrogate") << (QStringLiteral("/a") + QChar(0xD800)) << QStringLiteral("UTF-8");
        QTest::newRow("lone low surrogate") << (QStringLiteral("/") + QChar(0xDC00) + QStringLiteral("b"))
                                            << QStringLiteral("UTF-8");
        QTest::newRow("reversed surrogate pair") << (QStringLiteral("/") + QChar(0xDC00) + QChar(0xD800))
                                                 << QStringLiteral("UTF-8");
    }

    void fromWireRejectsWhatTheRulesForbid()
    {
        QFETCH(QString, text);
        QFETCH(QString, ruleWord);
        const Result<VirtualPath> path = VirtualPath::fromWire(text);
        QVERIFY(!path.ok());
        QCOMPARE(path.error().code, QString(ErrorCode::InvalidPath));
        QVERIFY2(path.error().message.contains(ruleWord), qPrintable(path.error().message));
        // The message names the path (its beginning, at least; controls are shown escaped) and stays
        // short whatever was sent.
        const QString start = text.left(20);
        const bool printable = std::all_of(start.cbegin(), start.cend(), [](QChar c) {
            return c.unicode() >= 0x20 && c.unicode() != 0x7F && !c.isSurrogate();
        });
        if (printable)
            QVERIFY2(path.error().message.contains(QLatin1Char('"') + start), qPrintable(path.error().message));
        QVERIFY(path.error().message.size() < 400);
        QVERIFY(!path.error().message.contains(QChar(0)));
    }

    void fromWireAcceptsValidPaths_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("segmentCount");

        QTest::newRow("root") << QStringLiteral("/") << 0;
        QTest::newRow("one") << QStringLiteral("/a") << 1;
        QTest::newRow("two") << QStringLiteral("/photos/a.jpg") << 2;
        QTest::newRow("Chinese") << QString::fromUtf8("/\xe7\x85\xa7\xe7\x89\x87/\xe5\x8c\x97\xe4\xba\xac.jpg") << 2;
        QTest::newRow("spaces") << QStringLiteral("/my files/ a b ") << 2;
        QTest::newRow("three dots") << QStringLiteral("/...") << 1;
        QTest::newRow("dot name") << QStringLiteral("/.x") << 1;
        QTest::newRow("dot dot name") << QStringLiteral("/..x/x..") << 2;
        QTest::newRow("almost reserved") << QStringLiteral("/.ferry/ferry-part-x/.ferryx") << 3;
        QTest::newRow("emoji (surrogate pair)") << QString::fromUtf8("/\xf0\x9f\x98\x80") << 1;
        QTest::newRow("255-byte ASCII segment") << (QStringLiteral("/") + repeated(QStringLiteral("a"), 255)) << 1;
        QTest::newRow("255-byte Chinese segment") << (QStringLiteral("/") + repeated(Zhong, 85)) << 1;
        QTest::newRow("4096 bytes") << pathOfBytes(4096) << int(pathOfBytes(4096).count(QLatin1Char('/')));
        QTest::newRow("4096 bytes with Chinese") << (pathOfBytes(4094 - 3 * 10) + repeated(Zhong, 10) + QStringLiteral("xx"))
                                                 << int(pathOfBytes(4094 - 30).count(QLatin1Char('/')));
    }

    void fromWireAcceptsValidPaths()
    {
        QFETCH(QString, text);
        QFETCH(int, segmentCount);
        const Result<VirtualPath> path = VirtualPath::fromWire(text);
        QVERIFY2(path.ok(), qPrintable(path.error().message));
        QCOMPARE(path->segments().size(), segmentCount);
        QCOMPARE(path->toString(), text);
        QCOMPARE(VirtualPath::fromWire(path->toString())->segments(), path->segments());
    }

    void rootIsTheHome()
    {
        const VirtualPath root = VirtualPath::root();
        QVERIFY(root.isRoot());
        QCOMPARE(root.toString(), QStringLiteral("/"));
        QCOMPARE(root.name(), QString());
        QCOMPARE(root.parent(), root);
        QCOMPARE(*VirtualPath::fromWire(QStringLiteral("/")), root);
    }

    void parentAndNameWalkUp()
    {
        const VirtualPath path = *VirtualPath::fromWire(QStringLiteral("/a/b/c"));
        QCOMPARE(path.name(), QStringLiteral("c"));
        QCOMPARE(path.parent().toString(), QStringLiteral("/a/b"));
        QCOMPARE(path.parent().parent().toString(), QStringLiteral("/a"));
        QVERIFY(path.parent().parent().parent().isRoot());
    }

    void childAppendsOnlyValidNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << QStringLiteral("x.txt") << true;
        QTest::newRow("Chinese") << repeated(Zhong, 85) << true;
        QTest::newRow("empty") << QString() << false;
        QTest::newRow("dot dot") << QStringLiteral("..") << false;
        QTest::newRow("slash") << QStringLiteral("a/b") << false;
        QTest::newRow("part file") << QStringLiteral(".ferry-part-x") << false;
        QTest::newRow("control") << QStringLiteral("a\tb") << false;
        QTest::newRow("too long") << repeated(Zhong, 86) << false;
    }

    void childAppendsOnlyValidNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, valid);
        const VirtualPath folder = *VirtualPath::fromWire(QStringLiteral("/a"));
        const Result<VirtualPath> child = folder.child(name);
        QCOMPARE(child.ok(), valid);
        QCOMPARE(VirtualPath::checkSegment(name).isError(), !valid);
        if (valid) {
            QCOMPARE(child->parent(), folder);
            QCOMPARE(child->name(), name);
        } else {
            QCOMPARE(child.error().code, QString(ErrorCode::InvalidPath));
        }
    }

    void childRefusesToGrowPastTheLengthLimit()
    {
        const VirtualPath full = *VirtualPath::fromWire(pathOfBytes(4094));
        QVERIFY(full.child(QStringLiteral("x")).ok());  // 4096
        const Result<VirtualPath> tooLong = full.child(QStringLiteral("xy"));  // 4097
        QVERIFY(!tooLong.ok());
        QVERIFY(tooLong.error().message.contains(QStringLiteral("4096")));
    }

    void containsIsAncestorOrSelfBySegments_data()
    {
        QTest::addColumn<QString>("outer");
        QTest::addColumn<QString>("inner");
        QTest::addColumn<bool>("contains");
        QTest::newRow("root contains all") << QStringLiteral("/") << QStringLiteral("/a/b") << true;
        QTest::newRow("root contains root") << QStringLiteral("/") << QStringLiteral("/") << true;
        QTest::newRow("self") << QStringLiteral("/a/b") << QStringLiteral("/a/b") << true;
        QTest::newRow("child") << QStringLiteral("/a") << QStringLiteral("/a/b") << true;
        QTest::newRow("grandchild") << QStringLiteral("/a") << QStringLiteral("/a/b/c") << true;
        QTest::newRow("name prefix is not a child") << QStringLiteral("/al") << QStringLiteral("/alice") << false;
        QTest::newRow("parent is not inside child") << QStringLiteral("/a/b") << QStringLiteral("/a") << false;
        QTest::newRow("sibling") << QStringLiteral("/a/b") << QStringLiteral("/a/c") << false;
        QTest::newRow("nothing contains root") << QStringLiteral("/a") << QStringLiteral("/") << false;
    }

    void containsIsAncestorOrSelfBySegments()
    {
        QFETCH(QString, outer);
        QFETCH(QString, inner);
        QFETCH(bool, contains);
        QCOMPARE(VirtualPath::fromWire(outer)->contains(*VirtualPath::fromWire(inner)), contains);
    }
};

QTEST_APPLESS_MAIN(TestVirtualPath)
#include "tst_virtualpath.moc"
