// Text on progress bars, painted for real (grabbed offscreen). The transfers list's progress cell: the
// percentage is never painted over the bar, so it reads the same at 0 %, half way and 100 %, selected or not,
// at the narrowest width the column gets. The quota gauge: its text is painted whole, in the highlighted-text
// colour over the filled part and in the text colour beyond.

#include "ProgressDelegate.h"
#include "QuotaGauge.h"
#include "TransferQueueModel.h"

#include <QApplication>
#include <QHeaderView>
#include <QStandardItemModel>
#include <QTableView>
#include <QtTest>

using namespace ferry;
using namespace ferry::gui;

namespace {

// Colours no style mixes up: the bar's chunk is painted in the highlight colour, every text in red.
const QColor Chunk(0, 0, 255);
const QColor Ink(255, 0, 0);

bool isChunk(QRgb pixel)
{
    return qBlue(pixel) > 150 && qRed(pixel) < 100 && qGreen(pixel) < 140;
}

bool isInk(QRgb pixel)
{
    return qRed(pixel) > 150 && qBlue(pixel) < 100 && qGreen(pixel) < 100;
}

bool isWhite(QRgb pixel)
{
    return qRed(pixel) > 200 && qGreen(pixel) > 200 && qBlue(pixel) > 200;
}

// The columns of `image` in which some pixel passes `test`.
QList<int> columnsWhere(const QImage &image, bool (*test)(QRgb))
{
    QList<int> columns;
    for (int x = 0; x < image.width(); ++x) {
        for (int y = 0; y < image.height(); ++y) {
            if (test(image.pixel(x, y))) {
                columns.append(x);
                break;
            }
        }
    }
    return columns;
}

} // namespace

class TestProgressText : public QObject {
    Q_OBJECT
private slots:
    void theTextIsNeverOverTheBar_data()
    {
        QTest::addColumn<double>("fraction");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("selected");
        QTest::newRow("0 %") << 0.0 << QStringLiteral("0 %") << false;
        QTest::newRow("50 %") << 0.5 << QStringLiteral("50 %") << false;
        QTest::newRow("100 %") << 1.0 << QStringLiteral("100 %") << false;
        QTest::newRow("100 %, selected") << 1.0 << QStringLiteral("100 %") << true;
    }

    void theTextIsNeverOverTheBar()
    {
        QFETCH(double, fraction);
        QFETCH(QString, text);
        QFETCH(bool, selected);
        QStandardItemModel model(1, 1);
        model.setData(model.index(0, 0), text);
        model.setData(model.index(0, 0), fraction, TransferQueueModel::ProgressRole);
        QTableView view;
        QPalette palette = view.palette();
        palette.setColor(QPalette::Highlight, Chunk);
        for (QPalette::ColorRole role : {QPalette::Text, QPalette::HighlightedText, QPalette::WindowText, QPalette::ButtonText})
            palette.setColor(role, Ink);
        palette.setColor(QPalette::Base, Qt::white);
        palette.setColor(QPalette::AlternateBase, Qt::white);
        view.setPalette(palette);
        view.setModel(&model);
        view.setItemDelegateForColumn(0, new ProgressDelegate(&view));
        view.setSelectionMode(QAbstractItemView::SingleSelection);
        view.horizontalHeader()->resizeSection(0, ProgressDelegate::minimumWidth(view.fontMetrics()));
        view.verticalHeader()->setDefaultSectionSize(view.fontMetrics().height() + 10);
        view.resize(400, 200);
        if (selected)
            view.selectRow(0);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));

        const QImage cell = view.viewport()->grab(view.visualRect(model.index(0, 0))).toImage();
        const QList<int> chunk = columnsWhere(cell, isChunk);
        const QList<int> ink = columnsWhere(cell, isInk);
        QVERIFY2(!ink.isEmpty(), "the percentage is painted");
        if (fraction > 0)
            QVERIFY2(!chunk.isEmpty(), "the bar is painted");
        for (int x : ink)
            QVERIFY2(!chunk.contains(x), qPrintable(QStringLiteral("text and bar both at x=%1 of %2").arg(x).arg(cell.width())));
    }

    void theQuotaTextIsWholeOverTheBar()
    {
        // The gauge sets its own palette for its levels, from the application's. Its highlighted-text colour
        // here does not read on the bar (as the one on the desktop did not): the gauge must not rely on it.
        const QPalette original = QApplication::palette();
        QPalette palette = original;
        palette.setColor(QPalette::Highlight, Chunk);
        palette.setColor(QPalette::HighlightedText, Chunk);
        palette.setColor(QPalette::Text, Ink);
        palette.setColor(QPalette::Base, Qt::white);
        palette.setColor(QPalette::Window, Qt::white);
        QApplication::setPalette(palette);
        QuotaGauge gauge;
        QuotaInfo quota;
        quota.used = 400;
        quota.limit = 1000;
        gauge.setQuota(quota);
        gauge.resize(220, gauge.sizeHint().height());
        gauge.show();
        QVERIFY(QTest::qWaitForWindowExposed(&gauge));
        const QImage image = gauge.grab().toImage();
        QApplication::setPalette(original);

        // The bar's columns: where the text lies over them it is white, beyond them in the text colour.
        const QList<int> chunk = columnsWhere(image, isChunk);
        const QList<int> ink = columnsWhere(image, isInk);
        QVERIFY2(!chunk.isEmpty() && !ink.isEmpty(), "a bar 40 % full and its text");
        const QImage onBar = image.copy(chunk.first() + 2, 0, chunk.size() - 4, image.height());
        QVERIFY2(!columnsWhere(onBar, isWhite).isEmpty(), "the text's part over the bar reads (white on blue)");
        for (int x : ink)
            QVERIFY2(!chunk.contains(x) || x == chunk.last(), qPrintable(QStringLiteral("red text on the bar at x=%1").arg(x)));
    }
};

QTEST_MAIN(TestProgressText)
#include "tst_progresstext.moc"
