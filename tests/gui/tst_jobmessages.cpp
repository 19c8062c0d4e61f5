// What the window says about a job: the quota question before an upload, and the failure summary after
// (a folder over quota said "20.7 KiB more needed" — one file's shortfall — when 4.8 MiB were missing).

#include "JobMessages.h"
#include "Protocol.h"
#include "TestServer.h"

#include <QTemporaryDir>
#include <QTest>

using namespace ferry;
using namespace ferry::gui;

namespace {
TransferItem failedUpload(const QString &name, qint64 size, const QLatin1String &code)
{
    TransferItem item;
    item.direction = TransferDirection::Upload;
    item.remotePath = QStringLiteral("/Photos/") + name;
    item.size = size;
    item.state = TransferState::Failed;
    item.error = Error::make(code, QStringLiteral("refused"));
    return item;
}
} // namespace

class TestJobMessages : public QObject {
    Q_OBJECT
private slots:
    void localSizeCountsFoldersRecursively()
    {
        QTemporaryDir dir;
        QVERIFY(QDir(dir.path()).mkpath(QStringLiteral("a/b")));
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("a/one")), QByteArray(100, 'x')));
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("a/b/two")), QByteArray(50, 'y')));
        QVERIFY(test::writeFile(dir.filePath(QStringLiteral("three")), QByteArray(7, 'z')));
        QCOMPARE(JobMessages::localSize({dir.filePath(QStringLiteral("a")), dir.filePath(QStringLiteral("three"))}), 157);
    }

    void quotaShortfallOnlyWhenItDoesNotFit()
    {
        QuotaInfo quota;
        quota.used = 600;
        QVERIFY(!JobMessages::quotaShortfall(1'000'000, quota));   // no limit
        quota.limit = 1000;
        QVERIFY(!JobMessages::quotaShortfall(400, quota));
        const std::optional<QString> question = JobMessages::quotaShortfall(5000, quota);
        QVERIFY(question);
        QCOMPARE(*question, QStringLiteral("This upload needs 4.9 KiB, but only 400 B is free in your quota "
                                           "(4.5 KiB more is needed). Files that do not fit will fail."));
    }

    void manyFilesOverQuotaAreCountedTogether()
    {
        QList<TransferItem> items;
        for (int i = 0; i < 94; ++i)
            items.append(failedUpload(QStringLiteral("p%1.jpg").arg(i), 51 * 1024, ErrorCode::QuotaExceeded));
        items.append(failedUpload(QStringLiteral("x.jpg"), 10, ErrorCode::IoError));
        TransferItem done;
        done.state = TransferState::Done;
        items.append(done);
        QCOMPARE(JobMessages::failure(items), QStringLiteral("94 file(s) did not fit in your quota (4.7 MiB more is "
                                                             "needed). 1 more file(s) failed for other reasons."));
    }

    void oneFailureIsExplainedWithTheReason()
    {
        const QString message = JobMessages::failure({failedUpload(QStringLiteral("a.jpg"), 10, ErrorCode::PermissionDenied)});
        QCOMPARE(message, QStringLiteral("Cannot upload “a.jpg”: permission denied."));
        QVERIFY(JobMessages::failure({}).isEmpty());
    }
};

QTEST_MAIN(TestJobMessages)
#include "tst_jobmessages.moc"
