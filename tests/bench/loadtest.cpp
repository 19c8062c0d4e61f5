// ferry-loadtest: N concurrent sessions (default 200) doing mixed list/stat/put/get against a real ferryd
// (the built binary, on loopback) for S seconds (default 60). Every put's and get's SHA-256 is verified.
// Prints errors, the p50/p99 of `stat`, and ferryd's RSS and thread count (from /proc) over the run.
// Not a ctest test (issue 8: "200 concurrent sessions … 60 s"); see docs/PERFORMANCE.md.
//
//   cmake --build build --target ferry-loadtest && build/tests/ferry-loadtest [SESSIONS] [SECONDS]

#include "RawClient.h"
#include "Sha256.h"
#include "TestServer.h"
#include "UsersFile.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QMutex>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QThread>

#include <algorithm>
#include <atomic>
#include <cstdio>

using namespace ferry;
using namespace ferry::test;

namespace {

QJsonObject op(const QString &name, QJsonObject fields = {})
{
    fields.insert(QStringLiteral("op"), name);
    return fields;
}

struct ProcStatus {
    qint64 rssKiB = -1;
    int threads = -1;
};

ProcStatus procStatus(qint64 pid)
{
    ProcStatus status;
    QFile file(QStringLiteral("/proc/%1/status").arg(pid));
    if (!file.open(QIODevice::ReadOnly))
        return status;
    for (const QByteArray &line : file.readAll().split('\n')) {
        if (line.startsWith("VmRSS:"))
            status.rssKiB = line.mid(6).trimmed().split(' ').first().toLongLong();
        else if (line.startsWith("Threads:"))
            status.threads = line.mid(8).trimmed().toInt();
    }
    return status;
}

struct Shared {
    quint16 port = 0;
    qint64 deadlineMs = 0;
    std::atomic<int> errors{0};
    std::atomic<int> operations{0};
    std::atomic<int> ready{0};
    QMutex mutex;
    QList<qint64> statMicros;
    QStringList firstErrors;

    void error(const QString &what)
    {
        errors.fetch_add(1);
        QMutexLocker lock(&mutex);
        if (firstErrors.size() < 10)
            firstErrors.append(what);
    }
};

// One session's life: log in, then random operations until the deadline.
void runSession(Shared &shared, int index)
{
    RawClient client;
    if (!client.login(shared.port, QStringLiteral("load%1").arg(index % 10), QStringLiteral("pw"))) {
        shared.error(QStringLiteral("session %1: login failed").arg(index));
        return;
    }
    shared.ready.fetch_add(1);
    QRandomGenerator random(quint32(index + 1));
    const QString folder = QStringLiteral("/s%1").arg(index);
    client.request(op(QStringLiteral("mkdir"), {{QStringLiteral("path"), folder}}));
    QHash<QString, QByteArray> stored;   // what this session put, to check gets against
    QElapsedTimer clock;
    clock.start();
    int counter = 0;
    while (QDateTime::currentMSecsSinceEpoch() < shared.deadlineMs) {
        const int choice = random.bounded(10);
        if (choice < 4) {   // stat
            QElapsedTimer timer;
            timer.start();
            const Frame reply = client.request(op(QStringLiteral("stat"), {{QStringLiteral("path"), folder}}), 30000);
            const qint64 micros = timer.nsecsElapsed() / 1000;
            if (reply.op() != QLatin1String("ok"))
                shared.error(QStringLiteral("stat: %1").arg(QString::fromUtf8(reply.header.value(QStringLiteral("code")).toString().toUtf8())));
            QMutexLocker lock(&shared.mutex);
            shared.statMicros.append(micros);
        } else if (choice < 6) {   // list
            const qint64 id = client.nextId();
            client.send(op(QStringLiteral("list"), {{QStringLiteral("id"), id}, {QStringLiteral("path"), folder}}));
            const QList<Frame> frames = client.untilFinal(id, 30000);
            if (frames.isEmpty() || frames.last().op() != QLatin1String("entries"))
                shared.error(QStringLiteral("list failed"));
        } else if (choice < 8 || stored.isEmpty()) {   // put 1 KiB .. 256 KiB
            const QString path = folder + QStringLiteral("/f%1").arg(counter++ % 8);
            QByteArray content(int(random.bounded(1024, 256 * 1024)), Qt::Uninitialized);
            for (char &c : content)
                c = char(random.generate());
            const qint64 id = client.nextId();
            client.send(op(QStringLiteral("put"), {{QStringLiteral("id"), id}, {QStringLiteral("path"), path},
                                                   {QStringLiteral("size"), content.size()},
                                                   {QStringLiteral("mode"), QStringLiteral("overwrite")}}));
            client.send(op(QStringLiteral("data"), {{QStringLiteral("id"), id}}), content);
            client.send(op(QStringLiteral("end"), {{QStringLiteral("id"), id}, {QStringLiteral("sha256"), QString::fromLatin1(Sha256::hex(content))}}));
            const std::optional<Frame> accepted = client.next(30000);
            const QList<Frame> done = client.untilFinal(id, 30000);
            if (!accepted || accepted->op() != QLatin1String("ok") || done.isEmpty() || done.last().op() != QLatin1String("ok")
                || done.last().header.value(QStringLiteral("sha256")).toString().toLatin1() != Sha256::hex(content))
                shared.error(QStringLiteral("put %1 failed").arg(path));
            else
                stored.insert(path, content);
        } else {   // get one of ours and verify it
            const QString path = stored.keys().at(random.bounded(int(stored.size())));
            const qint64 id = client.nextId();
            client.send(op(QStringLiteral("get"), {{QStringLiteral("id"), id}, {QStringLiteral("path"), path}}));
            QByteArray data;
            QByteArray endHash;
            for (const Frame &frame : client.untilFinal(id, 30000)) {
                if (frame.op() == QLatin1String("data"))
                    data += frame.payload;
                else if (frame.op() == QLatin1String("end"))
                    endHash = frame.header.value(QStringLiteral("sha256")).toString().toLatin1();
            }
            if (data != stored.value(path) || endHash != Sha256::hex(data))
                shared.error(QStringLiteral("get %1: wrong bytes or hash").arg(path));
        }
        shared.operations.fetch_add(1);
    }
    client.request(op(QStringLiteral("bye")));
}

qint64 percentile(QList<qint64> values, double p)
{
    if (values.isEmpty())
        return -1;
    std::sort(values.begin(), values.end());
    return values.at(qMin<qsizetype>(values.size() - 1, qsizetype(p * double(values.size()))));
}

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    const int sessions = argc > 1 ? atoi(argv[1]) : 200;
    const int seconds = argc > 2 ? atoi(argv[2]) : 60;
    QTemporaryDir data;
    UsersFile users(data.path());
    for (int i = 0; i < 10; ++i)
        users.add(UserAccount{QStringLiteral("load%1").arg(i), ScramCredentials::create(QStringLiteral("pw")), std::nullopt});
    FerrydProcess ferryd(data.path());
    if (!ferryd.start({QStringLiteral("--quiet"), QStringLiteral("--no-discovery")})) {
        std::fprintf(stderr, "ferryd did not start: %s\n", qPrintable(ferryd.output()));
        return 1;
    }
    const qint64 pid = ferryd.process().processId();
    const ProcStatus idle = procStatus(pid);

    Shared shared;
    shared.port = ferryd.port();
    shared.deadlineMs = QDateTime::currentMSecsSinceEpoch() + qint64(seconds + 30) * 1000;   // + login time
    QList<QThread *> threads;
    for (int i = 0; i < sessions; ++i) {
        threads.append(QThread::create(runSession, std::ref(shared), i));
        threads.last()->start();
    }
    // The timed part starts when every session has logged in.
    while (shared.ready.load() + shared.errors.load() < sessions)
        QThread::msleep(50);
    shared.deadlineMs = QDateTime::currentMSecsSinceEpoch() + qint64(seconds) * 1000;
    {
        QMutexLocker lock(&shared.mutex);
        shared.statMicros.clear();
    }
    shared.operations = 0;
    ProcStatus peak, first = procStatus(pid), last;
    while (QDateTime::currentMSecsSinceEpoch() < shared.deadlineMs) {
        QThread::msleep(1000);
        last = procStatus(pid);
        peak.rssKiB = qMax(peak.rssKiB, last.rssKiB);
        peak.threads = qMax(peak.threads, last.threads);
    }
    for (QThread *thread : std::as_const(threads)) {
        thread->wait();
        delete thread;
    }
    std::printf("sessions %d, %d s: %d operations, %d errors\n", sessions, seconds, shared.operations.load(), shared.errors.load());
    for (const QString &error : std::as_const(shared.firstErrors))
        std::printf("  error: %s\n", qPrintable(error));
    std::printf("stat: %lld samples, p50 %.2f ms, p99 %.2f ms\n", qint64(shared.statMicros.size()),
                percentile(shared.statMicros, 0.50) / 1000.0, percentile(shared.statMicros, 0.99) / 1000.0);
    std::printf("ferryd RSS KiB: idle %lld, after logins %lld, peak %lld, end %lld\n", idle.rssKiB, first.rssKiB,
                peak.rssKiB, last.rssKiB);
    std::printf("ferryd threads: idle %d, after logins %d, peak %d, end %d\n", idle.threads, first.threads,
                peak.threads, last.threads);
    return shared.errors.load() == 0 ? 0 : 1;
}
