#pragma once
// Helpers shared by the transfer queue's end-to-end tests: log a ClientSession in, wait for a job, compare
// trees and files.

#include "ClientSession.h"
#include "Sha256.h"
#include "TestServer.h"
#include "TransferQueue.h"

#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QSignalSpy>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

#include <algorithm>

namespace ferry::test {

inline const QString TestUser = QStringLiteral("alice");
inline const QString TestPassword = QStringLiteral("wonderland");

inline bool logIn(ClientSession &session, quint16 port, const QString &user = TestUser,
                  const QString &password = TestPassword)
{
    QSignalSpy connected(&session, &ClientSession::connected);
    QSignalSpy loggedIn(&session, &ClientSession::loggedIn);
    session.connectToServer(QStringLiteral("127.0.0.1"), port);
    if (!connected.wait(10000))
        return false;
    session.login(user, password);
    return loggedIn.wait(10000);
}

// What most transfer tests start from: a temporary folder with a local side ("local") and a real ferryd
// ("server") that has TestUser, and a session logged in there. setUp() in init(), tearDown() in cleanup().
struct LoggedInFixture {
    std::unique_ptr<QTemporaryDir> temp;
    std::unique_ptr<TestServer> server;
    std::unique_ptr<ClientSession> session;
    QString local;

    bool setUp()
    {
        temp = std::make_unique<QTemporaryDir>();
        local = temp->filePath(QStringLiteral("local"));
        if (!temp->isValid() || !QDir().mkpath(local))
            return false;
        server = std::make_unique<TestServer>(temp->filePath(QStringLiteral("server")));
        if (!server->addUser(TestUser, TestPassword) || !server->start())
            return false;
        session = std::make_unique<ClientSession>();
        return logIn(*session, server->port());
    }
    void tearDown()   // the session before its server, the files last
    {
        session.reset();
        server.reset();
        temp.reset();
    }
};

// Every item of the job ended (a folder's content is inserted before the folder item is done).
inline bool jobSettled(const TransferQueue &queue, qint64 jobId)
{
    const QList<TransferItem> items = queue.jobItems(jobId);
    return !items.isEmpty()
           && std::all_of(items.cbegin(), items.cend(), [](const TransferItem &item) { return item.isFinished(); });
}

// Runs a real event loop meanwhile (QTest::qWaitFor sleeps between rounds, which would make a pipelined
// transfer look many times slower than it is).
inline bool waitForJob(const TransferQueue &queue, qint64 jobId, int timeoutMs = 120000)
{
    if (jobSettled(queue, jobId))
        return true;
    QEventLoop loop;
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    QObject::connect(&queue, &TransferQueue::jobFinished, &loop, [&](qint64 finished) {
        if (finished == jobId && jobSettled(queue, jobId))
            loop.quit();
    });
    loop.exec();
    return jobSettled(queue, jobId);
}

inline const TransferItem *findItem(const TransferQueue &queue, const std::function<bool(const TransferItem &)> &match)
{
    for (int row = 0; row < queue.count(); ++row) {
        if (match(queue.at(row)))
            return &queue.at(row);
    }
    return nullptr;
}

inline const TransferItem *itemNamed(const TransferQueue &queue, const QString &name)
{
    return findItem(queue, [&name](const TransferItem &item) { return item.name() == name; });
}

inline QStringList failures(const TransferQueue &queue, qint64 jobId)
{
    QStringList messages;
    for (const TransferItem &item : queue.jobItems(jobId)) {
        if (item.state == TransferState::Failed)
            messages.append(item.error.code + QLatin1String(": ") + item.error.message);
    }
    return messages;
}

// Relative paths under root (folders end with "/") with each file's SHA-256; part files are listed too,
// so a test sees any that were left behind.
inline QStringList treeOf(const QString &root)
{
    QStringList entries;
    QDirIterator it(root, QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        it.next();
        const QString relative = QDir(root).relativeFilePath(it.filePath());
        if (it.fileInfo().isDir())
            entries.append(relative + QLatin1Char('/'));
        else
            entries.append(relative + QLatin1Char(' ') + QString::fromLatin1(Sha256::hexOfFile(it.filePath())));
    }
    entries.sort();
    return entries;
}

inline bool setModified(const QString &path, qint64 mtimeMs)
{
    QFile file(path);
    return file.open(QIODevice::ReadWrite)
           && file.setFileTime(QDateTime::fromMSecsSinceEpoch(mtimeMs, Qt::UTC), QFileDevice::FileModificationTime);
}

inline qint64 modifiedMs(const QString &path)
{
    return QFileInfo(path).lastModified().toMSecsSinceEpoch();
}

// Writes `size` pseudo-random bytes in 8 MiB pieces (big test files without a big buffer).
inline bool writeRandomFile(const QString &path, qint64 size, quint32 seed = 1)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    constexpr qint64 Piece = 8 * 1024 * 1024;
    for (qint64 written = 0; written < size; written += Piece) {
        const QByteArray bytes = randomBytes(qMin(Piece, size - written), seed + quint32(written / Piece));
        if (file.write(bytes) != bytes.size())
            return false;
    }
    return true;
}

} // namespace ferry::test

namespace ferry::test {

// Calls `action` once, from inside itemChanged, when a running file item first reports at least `minimum`
// bytes done but is not complete: the moment to pause, cancel or pull the plug mid-transfer.
inline void onFirstProgress(TransferQueue &queue, qint64 minimum, std::function<void(const TransferItem &)> action)
{
    auto connection = std::make_shared<QMetaObject::Connection>();
    *connection = QObject::connect(&queue, &TransferQueue::itemChanged, &queue, [&queue, minimum, action, connection](int row) {
        const TransferItem item = queue.at(row);
        if (item.isDir || item.state != TransferState::Running || item.done < minimum || item.done >= item.size)
            return;
        QObject::disconnect(*connection);
        action(item);
    });
}

// A request round trip: everything sent before it (a cancel, say) has been handled by the server.
inline bool pingRoundTrip(ClientSession &session)
{
    bool answered = false;
    session.ping([&answered](const Status &) { answered = true; });
    return QTest::qWaitFor([&answered] { return answered; }, 10000);
}

} // namespace ferry::test
