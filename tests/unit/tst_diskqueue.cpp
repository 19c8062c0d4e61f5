// A session's disk queue (server/DiskQueue): jobs run in order on the pool, each `done` after its job on the
// owner's thread; the `done`s of jobs that finished while the owner was busy arrive in one call (not one wake-up
// of the owner per small file), still in order; and none runs once the owner has detached.

#include "DiskQueue.h"

#include <QEvent>
#include <QObject>
#include <QTest>
#include <QThread>
#include <QThreadPool>

#include <atomic>

using namespace ferry;

namespace {
// Counts the queued calls its object receives.
class CallCounter : public QObject {
public:
    int calls = 0;
    bool event(QEvent *event) override
    {
        if (event->type() == QEvent::MetaCall)
            ++calls;
        return QObject::event(event);
    }
};
} // namespace

class TestDiskQueue : public QObject {
    Q_OBJECT

private slots:
    void doneFollowsItsJobInOrderOnTheOwnersThread()
    {
        QThreadPool pool;
        CallCounter owner;
        auto queue = std::make_shared<DiskQueue>(&pool, &owner);
        std::atomic<int> worked = 0;   // jobs run one at a time, each sees the ones before it done
        bool workedInOrder = true;     // written on the pool only
        QList<int> done;
        bool doneOnOwnerThread = true;
        for (int i = 0; i < 50; ++i) {
            queue->post([&, i] { workedInOrder = workedInOrder && worked.fetch_add(1) == i; },
                        [&, i] {
                            doneOnOwnerThread = doneOnOwnerThread && QThread::currentThread() == owner.thread()
                                && worked.load() > i;   // its own work came first
                            done.append(i);
                        });
        }
        QTRY_COMPARE(done.size(), 50);
        QVERIFY(pool.waitForDone());
        QList<int> expected;
        for (int i = 0; i < 50; ++i)
            expected.append(i);
        QVERIFY(workedInOrder);
        QCOMPARE(done, expected);
        QVERIFY(doneOnOwnerThread);
    }

    void donesThatFinishedMeanwhileArriveInOneCall()
    {
        QThreadPool pool;
        CallCounter owner;
        auto queue = std::make_shared<DiskQueue>(&pool, &owner);
        QList<int> done;
        for (int i = 0; i < 200; ++i)
            queue->post([] {}, [&done, i] { done.append(i); });
        QVERIFY(pool.waitForDone());   // the owner's thread processed no event meanwhile
        QTRY_COMPARE(done.size(), 200);
        QCOMPARE(owner.calls, 1);
        QCOMPARE(done.first(), 0);
        QCOMPARE(done.last(), 199);
        // A done that posts more work: that work's done arrives in a later call.
        queue->post([] {}, [&] { queue->post([] {}, [&done] { done.append(-1); }); });
        QTRY_COMPARE(done.last(), -1);
        QCOMPARE(owner.calls, 3);
    }

    void noDoneRunsAfterTheOwnerDetached()
    {
        QThreadPool pool;
        CallCounter owner;
        auto queue = std::make_shared<DiskQueue>(&pool, &owner);
        std::atomic<int> worked = 0;
        QList<int> done;
        queue->post([&worked] { ++worked; }, [&done] { done.append(0); });
        queue->post([&worked] { ++worked; }, [&] { done.append(1); queue->detach(); });   // e.g. the session ended
        queue->post([&worked] { ++worked; }, [&done] { done.append(2); });
        QVERIFY(pool.waitForDone());
        QTRY_COMPARE(done.size(), 2);
        QCOMPARE(done, (QList<int>{0, 1}));
        // Work posted after the detach still runs (uploads settle); its done never comes.
        queue->post([&worked] { ++worked; }, [&done] { done.append(3); });
        QVERIFY(pool.waitForDone());
        QCOMPARE(worked.load(), 4);
        QCoreApplication::processEvents();
        QCOMPARE(done, (QList<int>{0, 1}));
    }

    // A `done` the owner will never run is let go at the detach, not when the queue goes: an upload's `done`s hold
    // the upload, and its hasher's callback holds the queue, so kept until then they kept a killed client's upload,
    // and the lock on its target, until ferryd stopped ("another session is writing this file right now").
    void theDonesNotDeliveredAreLetGoAtTheDetach()
    {
        QThreadPool pool;
        auto owner = std::make_unique<QObject>();
        auto queue = std::make_shared<DiskQueue>(&pool, owner.get());
        std::atomic<QThread *> endedOn = nullptr;
        auto upload = std::shared_ptr<int>(new int(0), [&endedOn](int *value) {
            endedOn = QThread::currentThread();
            delete value;
        });
        const std::weak_ptr<int> watch = upload;
        queue->post([] {}, [upload] {});
        upload.reset();
        QVERIFY(pool.waitForDone());   // the job ran; its done waits for the owner's thread, busy here
        QVERIFY(!watch.expired());
        queue->detach();   // the session ended
        owner.reset();     // and took the delivery it had been posted with
        QVERIFY(pool.waitForDone());   // let go on the pool, not on the owner's thread
        QVERIFY(watch.expired());      // while the queue itself lives on (here: `queue`)
        QVERIFY(endedOn.load() != nullptr && endedOn.load() != QThread::currentThread());
    }
};

QTEST_GUILESS_MAIN(TestDiskQueue)
#include "tst_diskqueue.moc"
