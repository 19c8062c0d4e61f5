// Column widths of the local pane, the remote pane and the transfers list, in a real 800x600 window against
// a real ferryd, in English and in Chinese: size, date, speed and state columns fit their widest text (none of
// it is cut), the name column takes what is left and is the widest, everything fits without scrolling
// sideways, the user can drag the fitted columns, the widths the user set come back after a restart, and the
// status text gives way with an ellipsis.
// CTest runs it once more at QT_SCALE_FACTOR=2.

#include "TestSettings.h"
#include "TransferTestHelpers.h"

#include "ConnectionController.h"
#include "ElideDelegate.h"
#include "ElidingLabel.h"
#include "LocalPane.h"
#include "MainWindow.h"
#include "PaneView.h"
#include "RemoteModel.h"
#include "RemotePane.h"
#include "ScriptedDialogs.h"
#include "TransferQueue.h"
#include "TransferQueueModel.h"
#include "TransfersPanel.h"
#include "Translations.h"

#include <QHeaderView>
#include <QTableView>
#include <QTranslator>

using namespace ferry;
using namespace ferry::gui;
using namespace ferry::test;

namespace {

// Names of every length, the widest size text ("1023 MiB", a sparse file) and the widest date (28 December,
// 23:58) on both sides.
bool makeFiles(const QString &folder)
{
    const QDateTime widestDate(QDate(2000, 12, 28), QTime(23, 58, 58));
    QFile big(folder + QStringLiteral("/disk-image.iso"));
    if (!QDir().mkpath(folder + QStringLiteral("/Pictures")) || !big.open(QIODevice::WriteOnly)
        || !big.resize(qint64(1023) * 1024 * 1024))
        return false;
    big.close();
    const QStringList names{QStringLiteral("a.txt"), QStringLiteral("Quarterly report for the board.pdf")};
    for (const QString &name : names) {
        if (!writeFile(folder + QLatin1Char('/') + name, QByteArray(99 * 1024 + 900, 'x')))
            return false;
    }
    for (const QString &name : names + QStringList{QStringLiteral("disk-image.iso")}) {
        if (!setModified(folder + QLatin1Char('/') + name, widestDate.toMSecsSinceEpoch()))
            return false;
    }
    return true;
}

struct Columns {
    QString list;
    QAbstractItemView *view;
    QHeaderView *header;
    int name;
    QList<int> fitted;   // fitted to their content
};

} // namespace

class TestColumnWidths : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_settingsDir;
    std::unique_ptr<QTemporaryDir> m_temp;
    std::unique_ptr<TestServer> m_server;
    std::unique_ptr<ScriptedDialogs> m_dialogs;
    std::unique_ptr<MainWindow> m_window;
    std::unique_ptr<QTranslator> m_translator;

    QString localFolder() const { return m_temp->filePath(QStringLiteral("local")); }

    void openWindow()
    {
        m_dialogs = std::make_unique<ScriptedDialogs>();
        m_window = std::make_unique<MainWindow>(m_dialogs.get(), m_temp->filePath(QStringLiteral("queue.json")));
        m_window->show();
        m_window->setGeometry(0, 0, 800, 600);   // an 800x600 screen, maximised
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
        QTRY_COMPARE(m_window->width(), 800);
    }

    void connectAndList()
    {
        ConnectionParams params;
        params.host = QStringLiteral("127.0.0.1");
        params.port = m_server->port();
        params.user = TestUser;
        params.password = TestPassword;
        m_window->connectTo(params);
        QTRY_COMPARE(m_window->connection()->phase(), ConnectionController::Phase::Online);
        RemotePane *remote = m_window->remotePane();
        QTRY_VERIFY(remote->model()->isLoaded(remote->view()->rootIndex()));
        QTRY_VERIFY(remote->model()->findIndex(QStringLiteral("/disk-image.iso")).has_value());
        LocalPane *local = m_window->localPane();
        QVERIFY(local->navigateTo(localFolder()));
        QTRY_COMPARE(local->view()->model()->rowCount(local->view()->rootIndex()), 5);   // "..", 3 files, a folder
    }

    QList<Columns> allColumns() const
    {
        using Model = TransferQueueModel;
        QTableView *transfers = m_window->transfersPanel()->view();
        return {{QStringLiteral("local"), m_window->localPane()->view(), m_window->localPane()->view()->header(), 0, {1, 3}},
                {QStringLiteral("remote"), m_window->remotePane()->view(), m_window->remotePane()->view()->header(), RemoteModel::NameColumn,
                 {RemoteModel::SizeColumn, RemoteModel::ModifiedColumn}},
                {QStringLiteral("transfers"), transfers, transfers->horizontalHeader(), Model::NameColumn,
                 {Model::DirectionColumn, Model::SizeColumn, Model::ProgressColumn, Model::RateColumn,
                  Model::EtaColumn, Model::StateColumn}}};
    }

    void queueTransfers()
    {
        TransferQueue *queue = m_window->queue();
        queue->setAutoStart(false);   // the rows stay as they are while the test measures them
        queue->upload({localFolder() + QStringLiteral("/disk-image.iso"),
                       localFolder() + QStringLiteral("/Quarterly report for the board.pdf")},
                      QStringLiteral("/"));
        queue->upload({localFolder() + QStringLiteral("/a.txt")}, QStringLiteral("/"));
        QTRY_COMPARE(queue->count(), 3);
        queue->pause(queue->at(1).id);
        queue->cancel(queue->at(2).id);
        QTRY_COMPARE(m_window->transfersPanel()->view()->model()->rowCount(), 3);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_settingsDir.isValid());
        isolateSettings(m_settingsDir.path(), QStringLiteral("tst_columnwidths"));
    }

    void init()
    {
        QSettings().clear();   // every test starts from the fitted widths
        m_temp = std::make_unique<QTemporaryDir>();
        QVERIFY(m_temp->isValid());
        m_server = std::make_unique<TestServer>(m_temp->filePath(QStringLiteral("server")));
        QVERIFY(m_server->addUser(TestUser, TestPassword));
        QVERIFY(makeFiles(m_server->home(TestUser)));
        QVERIFY(makeFiles(localFolder()));
        QVERIFY(m_server->start());
    }

    void cleanup()
    {
        m_window.reset();
        m_dialogs.reset();
        m_server.reset();
        m_temp.reset();
        if (m_translator)
            QCoreApplication::removeTranslator(m_translator.get());
        m_translator.reset();
        QLocale::setDefault(QLocale::c());
    }

    void fittedToTheirContentAt800x600_data()
    {
        QTest::addColumn<QString>("language");
        QTest::newRow("English") << QString();
        QTest::newRow("Chinese") << QStringLiteral("zh_CN");
    }

    void fittedToTheirContentAt800x600()
    {
        QFETCH(QString, language);
        if (!language.isEmpty()) {
            QLocale::setDefault(QLocale(language));
            m_translator = std::make_unique<QTranslator>();
            bool loaded = false;
            for (const QString &dir : translationDirs())
                loaded = loaded || m_translator->load(QLocale(), QStringLiteral("ferry"), QStringLiteral("_"), dir);
            QVERIFY2(loaded, "the zh_CN catalogue (build the ferry_translations target)");
            QCoreApplication::installTranslator(m_translator.get());
        }
        openWindow();
        connectAndList();
        queueTransfers();

        for (const Columns &columns : allColumns()) {
            const QString &view = columns.list;
            QCOMPARE(columns.header->sectionResizeMode(columns.name), QHeaderView::Stretch);
            int total = 0;
            for (int section = 0; section < columns.header->count(); ++section)
                total += columns.header->isSectionHidden(section) ? 0 : columns.header->sectionSize(section);
            QVERIFY2(total <= columns.view->viewport()->width(),
                     qPrintable(QStringLiteral("%1: columns %2 px in %3 px").arg(view).arg(total).arg(columns.view->viewport()->width())));
            for (int section : columns.fitted) {
                const QString what = QStringLiteral("%1 column %2").arg(view).arg(section);
                const int width = columns.header->sectionSize(section);
                // What the view needs to show its rows and its header title whole.
                QVERIFY2(columns.view->sizeHintForColumn(section) <= width,
                         qPrintable(QStringLiteral("%1: text needs %2 px, has %3").arg(what).arg(columns.view->sizeHintForColumn(section)).arg(width)));
                QVERIFY2(columns.header->sectionSizeHint(section) <= width, qPrintable(what + QStringLiteral(": title cut")));
                QVERIFY2(columns.header->sectionSize(columns.name) > width,
                         qPrintable(QStringLiteral("%1: name %2 px, not wider than %3 px").arg(what).arg(columns.header->sectionSize(columns.name)).arg(width)));
                QCOMPARE(columns.header->sectionResizeMode(section), QHeaderView::Interactive);   // the user can drag it
            }
        }
    }

    void theNameTakesTheSpareWidthNotTheRoute()
    {
        using Model = TransferQueueModel;
        openWindow();
        connectAndList();
        queueTransfers();
        QTableView *transfers = m_window->transfersPanel()->view();
        const QHeaderView *header = transfers->horizontalHeader();
        const int name = header->sectionSize(Model::NameColumn);
        const int route = header->sectionSize(Model::RouteColumn);
        QVERIFY2(name > route, qPrintable(QStringLiteral("name %1 px, source → destination %2 px").arg(name).arg(route)));

        const int viewport = transfers->viewport()->width();
        m_window->resize(1200, 600);
        QTRY_VERIFY(transfers->viewport()->width() > viewport);
        const int grown = transfers->viewport()->width() - viewport;
        QTRY_COMPARE(header->sectionSize(Model::NameColumn), name + grown);   // all of it goes to the name
        QCOMPARE(header->sectionSize(Model::RouteColumn), route);

        // The route is elided in the middle (both ends say something), whole in the tooltip; a state at its
        // end ("Failed: not enough…": its beginning says what happened).
        QCOMPARE(transfers->textElideMode(), Qt::ElideMiddle);
        const auto *state = qobject_cast<ElideDelegate *>(transfers->itemDelegateForColumn(Model::StateColumn));
        QVERIFY(state);
        QCOMPARE(state->mode(), Qt::ElideRight);
        for (int row = 0; row < transfers->model()->rowCount(); ++row) {
            const QModelIndex index = transfers->model()->index(row, Model::RouteColumn);
            QCOMPARE(index.data(Qt::ToolTipRole).toString(), index.data().toString());
        }
    }

    void statusTextGivesWayWithAnEllipsis()
    {
        openWindow();
        connectAndList();
        queueTransfers();   // the totals take their room in the status bar
        ElidingLabel *label = m_window->connectionLabel();
        label->setText(m_window->connection()->statusText() + QStringLiteral(" (a long status: ") + QString(120, u'x') + u')');
        const int room = label->contentsRect().width();
        QVERIFY(label->fontMetrics().horizontalAdvance(label->text()) > room);
        QVERIFY2(label->shownText().endsWith(QChar(0x2026)), qPrintable(label->shownText()));
        QVERIFY(label->fontMetrics().horizontalAdvance(label->shownText()) <= room);
        QVERIFY(label->text().startsWith(label->shownText().chopped(1)));
    }

    void userWidthsComeBackAfterARestart()
    {
        openWindow();
        connectAndList();
        QList<int> wanted;
        for (const Columns &columns : allColumns()) {
            for (int section : columns.fitted) {
                wanted.append(columns.header->sectionSize(section) + 11 + section);   // wider than fitted
                columns.header->resizeSection(section, wanted.last());
            }
        }
        m_window->close();
        m_window.reset();

        openWindow();
        connectAndList();   // the remote pane shows, the window lays out again
        QCoreApplication::processEvents();
        QList<int> restored;
        for (const Columns &columns : allColumns()) {
            for (int section : columns.fitted)
                restored.append(columns.header->sectionSize(section));
        }
        QCOMPARE(restored, wanted);
    }
};

QTEST_MAIN(TestColumnWidths)
#include "tst_columnwidths.moc"
