// BulkWriteGate: a big write waits for the small files' group syncs of its file system that run when it comes,
// not for those of another file system, and not for a group sync that starts after it came.

#include "BulkWriteGate.h"

#include <QTest>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

using namespace ferry;

namespace {

// A group sync that runs until it is let go.
class HeldSync {
public:
    HeldSync(quint64 device)
        : m_thread([this, device] {
              BulkWriteGate::groupSync(device, [this] {
                  std::unique_lock<std::mutex> lock(m_mutex);
                  m_running = true;
                  m_changed.notify_all();
                  m_changed.wait(lock, [this] { return m_released; });
                  return true;
              });
          })
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_changed.wait(lock, [this] { return m_running; });
    }
    ~HeldSync()
    {
        release();
        m_thread.join();
    }
    void release()
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_released = true;
        m_changed.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_running = false;
    bool m_released = false;
    std::thread m_thread;
};

// A big write: passes the gate on a thread of its own.
class Writer {
public:
    explicit Writer(quint64 device)
        : m_thread([this, device] {
              BulkWriteGate::awaitGroupSyncs(device);
              m_through = true;
          })
    {
    }
    ~Writer() { m_thread.join(); }
    bool through() const { return m_through; }

private:
    std::atomic<bool> m_through{false};
    std::thread m_thread;
};

constexpr quint64 Disk = 0x801;
constexpr quint64 OtherDisk = 0x802;

} // namespace

class TestBulkWriteGate : public QObject {
    Q_OBJECT

private slots:
    void aWriteWithNoGroupSyncRunningPassesAtOnce()
    {
        Writer writer(Disk);
        QTRY_VERIFY(writer.through());
        QCOMPARE(BulkWriteGate::waitingWriters(Disk), 0);
    }

    void aWriteWaitsForTheGroupSyncRunningWhenItCame()
    {
        HeldSync sync(Disk);
        Writer writer(Disk);
        QTRY_COMPARE(BulkWriteGate::waitingWriters(Disk), 1);
        QVERIFY(!writer.through());
        sync.release();
        QTRY_VERIFY(writer.through());
        QCOMPARE(BulkWriteGate::waitingWriters(Disk), 0);
    }

    void aGroupSyncOfAnotherFileSystemHoldsNoWrite()
    {
        HeldSync sync(OtherDisk);
        Writer writer(Disk);
        QTRY_VERIFY(writer.through());
    }

    // Group syncs one after the other (several users' small files) cannot starve a big upload.
    void aWriteDoesNotWaitForAGroupSyncThatStartedAfterIt()
    {
        auto first = std::make_unique<HeldSync>(Disk);
        Writer writer(Disk);
        QTRY_COMPARE(BulkWriteGate::waitingWriters(Disk), 1);
        HeldSync second(Disk);
        first.reset();   // let go, and ended
        QTRY_VERIFY(writer.through());
    }

    void theResultOfTheSyncIsReturned()
    {
        QVERIFY(BulkWriteGate::groupSync(Disk, [] { return true; }));
        QVERIFY(!BulkWriteGate::groupSync(Disk, [] { return false; }));
        Writer writer(Disk);
        QTRY_VERIFY(writer.through());
    }
};

QTEST_GUILESS_MAIN(TestBulkWriteGate)
#include "tst_bulkwritegate.moc"
