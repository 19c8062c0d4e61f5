// Renders Ferry's toolbar and app icons into resources/icons/<size>/<name>.png. Not part of the build:
// build it against Qt6::Gui and run `QT_QPA_PLATFORM=offscreen render-icons resources/icons` after changing a drawing.
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QPainterPath>
#include <QDir>
#include <QLinearGradient>
#include <cmath>
#include <functional>

static const QColor Blue(0x2f, 0x6f, 0xde), Green(0x2e, 0x9d, 0x4a), Red(0xd6, 0x45, 0x41),
    Orange(0xe0, 0x8a, 0x1e), Grey(0x4a, 0x4f, 0x57), Yellow(0xe8, 0xb4, 0x3a), DarkYellow(0xc4, 0x8f, 0x1c);

using Painter = std::function<void(QPainter &)>;   // draws in a 24x24 box

static QPen pen(const QColor &c, double w = 2.0) { return QPen(c, w, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin); }

static void arrow(QPainter &p, QPointF from, QPointF to, const QColor &c, double w = 2.4, double head = 6)
{
    p.setPen(pen(c, w));
    p.drawLine(from, to);
    const double angle = std::atan2(to.y() - from.y(), to.x() - from.x());
    const QPointF a = to - QPointF(std::cos(angle - 0.65) * head, std::sin(angle - 0.65) * head);
    const QPointF b = to - QPointF(std::cos(angle + 0.65) * head, std::sin(angle + 0.65) * head);
    QPainterPath path; path.moveTo(a); path.lineTo(to); path.lineTo(b);
    p.drawPath(path);
}

static void folder(QPainter &p, QRectF r, bool open = false)
{
    QPainterPath back;
    back.moveTo(r.left(), r.top() + 2); back.lineTo(r.left() + r.width() * 0.38, r.top() + 2);
    back.lineTo(r.left() + r.width() * 0.48, r.top() + 5); back.lineTo(r.right(), r.top() + 5);
    back.lineTo(r.right(), r.bottom()); back.lineTo(r.left(), r.bottom()); back.closeSubpath();
    p.setPen(pen(DarkYellow, 1.2)); p.setBrush(DarkYellow.lighter(115)); p.drawPath(back);
    QPainterPath front;
    if (open) {
        front.moveTo(r.left() + 3, r.top() + 8); front.lineTo(r.right() + 1, r.top() + 8);
        front.lineTo(r.right() - 2, r.bottom()); front.lineTo(r.left(), r.bottom()); front.closeSubpath();
    } else {
        front.addRoundedRect(QRectF(r.left(), r.top() + 7, r.width(), r.height() - 7), 1.5, 1.5);
    }
    p.setBrush(Yellow); p.drawPath(front);
}

static void sheet(QPainter &p, QRectF r, const QColor &fill = Qt::white)
{
    QPainterPath path;
    path.moveTo(r.topLeft()); path.lineTo(r.right() - 4, r.top()); path.lineTo(r.right(), r.top() + 4);
    path.lineTo(r.bottomRight()); path.lineTo(r.bottomLeft()); path.closeSubpath();
    p.setPen(pen(Grey, 1.3)); p.setBrush(fill); p.drawPath(path);
}

static QMap<QString, Painter> icons()
{
    QMap<QString, Painter> m;
    m["upload"] = [](QPainter &p) {
        p.setPen(pen(Grey, 2)); p.drawLine(QPointF(4, 20), QPointF(20, 20));
        arrow(p, {12, 17}, {12, 4}, Blue, 2.6, 6.5);
    };
    m["download"] = [](QPainter &p) {
        p.setPen(pen(Grey, 2)); p.drawLine(QPointF(4, 20), QPointF(20, 20));
        arrow(p, {12, 3}, {12, 16}, Green, 2.6, 6.5);
    };
    m["back"] = [](QPainter &p) { arrow(p, {19, 12}, {5, 12}, Grey, 2.4, 6); };
    m["up"] = [](QPainter &p) { arrow(p, {12, 19}, {12, 5}, Grey, 2.4, 6); };
    m["refresh"] = [](QPainter &p) {
        p.setPen(pen(Blue, 2.3)); p.setBrush(Qt::NoBrush);
        p.drawArc(QRectF(4.5, 4.5, 15, 15), 60 * 16, 290 * 16);
        QPainterPath head; head.moveTo(13.5, 1.8); head.lineTo(18.5, 5.2); head.lineTo(13.2, 8.6);
        p.setPen(pen(Blue, 2.3)); p.drawPath(head);
    };
    m["retry"] = [](QPainter &p) {
        p.setPen(pen(Orange, 2.3)); p.setBrush(Qt::NoBrush);
        p.drawArc(QRectF(4.5, 4.5, 15, 15), 60 * 16, 290 * 16);
        QPainterPath head; head.moveTo(13.5, 1.8); head.lineTo(18.5, 5.2); head.lineTo(13.2, 8.6);
        p.drawPath(head);
    };
    m["folder-new"] = [](QPainter &p) {
        folder(p, QRectF(2, 4, 17, 15));
        p.setPen(pen(Green, 2.6)); p.drawLine(QPointF(18, 13), QPointF(18, 22)); p.drawLine(QPointF(13.5, 17.5), QPointF(22.5, 17.5));
    };
    m["open"] = [](QPainter &p) { folder(p, QRectF(2, 4, 20, 16), true); };
    m["rename"] = [](QPainter &p) {
        p.setPen(pen(Grey, 1.3)); p.setBrush(Qt::white); p.drawRoundedRect(QRectF(2.5, 8.5, 19, 8), 1.5, 1.5);
        p.setPen(pen(Grey, 1.6)); p.drawLine(QPointF(5.5, 12.5), QPointF(10, 12.5));
        // pencil
        p.save(); p.translate(16, 9); p.rotate(45);
        p.setPen(pen(Grey, 1.1)); p.setBrush(Orange); p.drawRect(QRectF(-2, -9, 4, 11));
        QPainterPath tip; tip.moveTo(-2, 2); tip.lineTo(2, 2); tip.lineTo(0, 6); tip.closeSubpath();
        p.setBrush(QColor(0xf3, 0xd9, 0xa8)); p.drawPath(tip);
        p.restore();
    };
    m["copy"] = [](QPainter &p) { sheet(p, QRectF(3.5, 2.5, 11, 14)); sheet(p, QRectF(9.5, 7.5, 11, 14)); };
    m["delete"] = [](QPainter &p) {
        p.setPen(pen(Red.darker(115), 1.4)); p.setBrush(Red.lighter(135));
        QPainterPath can; can.moveTo(6, 8); can.lineTo(18, 8); can.lineTo(16.8, 21); can.lineTo(7.2, 21); can.closeSubpath();
        p.drawPath(can);
        p.setPen(pen(Red.darker(115), 2)); p.drawLine(QPointF(4, 5.5), QPointF(20, 5.5)); p.drawLine(QPointF(10, 3), QPointF(14, 3));
        p.setPen(pen(Qt::white, 1.3)); p.drawLine(QPointF(10, 11), QPointF(10, 18)); p.drawLine(QPointF(14, 11), QPointF(14, 18));
    };
    m["connect"] = [](QPainter &p) {
        p.setPen(pen(Grey, 1.3)); p.setBrush(QColor(0xe9, 0xec, 0xf1));
        p.drawRoundedRect(QRectF(4.5, 2.5, 15, 7), 1.5, 1.5); p.drawRoundedRect(QRectF(4.5, 10.5, 15, 7), 1.5, 1.5);
        p.setPen(Qt::NoPen); p.setBrush(Green); p.drawEllipse(QPointF(16, 6), 1.6, 1.6); p.drawEllipse(QPointF(16, 14), 1.6, 1.6);
        p.setPen(pen(Grey, 1.6)); p.drawLine(QPointF(12, 17.5), QPointF(12, 21)); p.drawLine(QPointF(6, 21), QPointF(18, 21));
    };
    m["disconnect"] = [](QPainter &p) {
        p.setPen(pen(Grey, 1.3)); p.setBrush(QColor(0xe9, 0xec, 0xf1));
        p.drawRoundedRect(QRectF(4.5, 2.5, 15, 7), 1.5, 1.5); p.drawRoundedRect(QRectF(4.5, 10.5, 15, 7), 1.5, 1.5);
        p.setPen(pen(Grey, 1.6)); p.drawLine(QPointF(12, 17.5), QPointF(12, 21));
        p.setPen(Qt::NoPen); p.setBrush(Red); p.drawEllipse(QPointF(17.5, 17.5), 5, 5);
        p.setPen(pen(Qt::white, 1.8)); p.drawLine(QPointF(15.5, 15.5), QPointF(19.5, 19.5)); p.drawLine(QPointF(19.5, 15.5), QPointF(15.5, 19.5));
    };
    m["pause"] = [](QPainter &p) {
        p.setPen(Qt::NoPen); p.setBrush(Blue); p.drawRoundedRect(QRectF(6, 5, 4, 14), 1, 1); p.drawRoundedRect(QRectF(14, 5, 4, 14), 1, 1);
    };
    m["resume"] = [](QPainter &p) {
        QPainterPath t; t.moveTo(7, 4.5); t.lineTo(19.5, 12); t.lineTo(7, 19.5); t.closeSubpath();
        p.setPen(pen(Green.darker(110), 1.2)); p.setBrush(Green); p.drawPath(t);
    };
    m["cancel"] = [](QPainter &p) {
        p.setPen(Qt::NoPen); p.setBrush(Red); p.drawEllipse(QRectF(3, 3, 18, 18));
        p.setPen(pen(Qt::white, 2.4)); p.drawLine(QPointF(8.5, 8.5), QPointF(15.5, 15.5)); p.drawLine(QPointF(15.5, 8.5), QPointF(8.5, 15.5));
    };
    m["clear"] = [](QPainter &p) {
        p.setPen(pen(Grey, 2)); for (double y : {6.0, 11.0, 16.0}) p.drawLine(QPointF(3, y), QPointF(13, y));
        p.setPen(Qt::NoPen); p.setBrush(Green); p.drawEllipse(QRectF(12, 11, 10, 10));
        p.setPen(pen(Qt::white, 1.8)); QPainterPath c; c.moveTo(14.5, 16); c.lineTo(16.5, 18); c.lineTo(19.8, 14); p.setBrush(Qt::NoBrush); p.drawPath(c);
    };
    return m;
}

static QImage renderIcon(const Painter &paint, int size)
{
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 24.0, size / 24.0);
    paint(p);
    return image;
}

static QImage renderApp(int size)
{
    QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
    image.fill(Qt::transparent);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.scale(size / 64.0, size / 64.0);
    QLinearGradient g(0, 0, 0, 64);
    g.setColorAt(0, QColor(0x3d, 0x8b, 0xf2));
    g.setColorAt(1, QColor(0x1b, 0x4f, 0xb8));
    p.setPen(Qt::NoPen); p.setBrush(g);
    p.drawRoundedRect(QRectF(2, 2, 60, 60), 14, 14);
    // Two arrows passing each other: the ferry going both ways.
    QPen white(Qt::white, 5.2, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    p.setPen(white); p.setBrush(Qt::NoBrush);
    p.drawLine(QPointF(14, 21), QPointF(47, 21));
    QPainterPath h1; h1.moveTo(39, 13); h1.lineTo(48, 21); h1.lineTo(39, 29); p.drawPath(h1);
    p.drawLine(QPointF(50, 37), QPointF(17, 37));
    QPainterPath h2; h2.moveTo(25, 29); h2.lineTo(16, 37); h2.lineTo(25, 45); p.drawPath(h2);
    // Water line.
    QPen wave(QColor(255, 255, 255, 170), 3.2, Qt::SolidLine, Qt::RoundCap);
    p.setPen(wave);
    QPainterPath w; w.moveTo(12, 52);
    for (int i = 0; i < 4; ++i) {
        const double x = 12 + i * 10;
        w.quadTo(x + 2.5, 48.5, x + 5, 52);
        w.quadTo(x + 7.5, 55.5, x + 10, 52);
    }
    p.drawPath(w);
    return image;
}

int main(int argc, char **argv)
{
    QGuiApplication app(argc, argv);
    const QString out = QString::fromLocal8Bit(argv[1]);
    const auto all = icons();
    for (int size : {16, 22, 24, 32, 48}) {
        QDir().mkpath(out + QStringLiteral("/%1").arg(size));
        for (auto it = all.cbegin(); it != all.cend(); ++it)
            renderIcon(it.value(), size).save(out + QStringLiteral("/%1/%2.png").arg(size).arg(it.key()));
    }
    for (int size : {16, 22, 24, 32, 48, 64, 128, 256}) {
        QDir().mkpath(out + QStringLiteral("/%1").arg(size));
        renderApp(size).save(out + QStringLiteral("/%1/ferry.png").arg(size));
    }
    // A contact sheet to look at.
    QImage sheet(48 * (all.size() + 1) + 20, 70, QImage::Format_ARGB32);
    sheet.fill(QColor(0xf4, 0xf4, 0xf4));
    QPainter p(&sheet);
    int x = 10;
    for (auto it = all.cbegin(); it != all.cend(); ++it, x += 48) {
        p.drawImage(x, 5, renderIcon(it.value(), 24));
        p.drawImage(x, 32, renderIcon(it.value(), 32));
    }
    p.drawImage(x, 5, renderApp(48));
    p.end();
    sheet.save(out + QStringLiteral("/../contact-sheet.png"));
}
