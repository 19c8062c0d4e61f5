#include "BulkWriteGate.h"

#include <QHash>

#include <condition_variable>
#include <mutex>

namespace ferry::BulkWriteGate {

namespace {

struct Device {
    quint64 started = 0;   // group syncs started so far
    quint64 ended = 0;     // and ended
    int waiting = 0;
};

struct Gate {
    std::mutex mutex;
    std::condition_variable ended;
    QHash<quint64, Device> devices;
};

Gate &gate()
{
    static Gate &shared = *new Gate;   // never destroyed: a disk thread may outlive main()
    return shared;
}

} // namespace

bool groupSync(quint64 device, const std::function<bool()> &sync)
{
    Gate &g = gate();
    {
        const std::lock_guard<std::mutex> lock(g.mutex);
        ++g.devices[device].started;
    }
    const bool result = sync();
    {
        const std::lock_guard<std::mutex> lock(g.mutex);
        Device &state = g.devices[device];
        ++state.ended;
        if (state.ended == state.started && state.waiting == 0)
            g.devices.remove(device);
    }
    g.ended.notify_all();
    return result;
}

void awaitGroupSyncs(quint64 device)
{
    Gate &g = gate();
    std::unique_lock<std::mutex> lock(g.mutex);
    const auto found = g.devices.constFind(device);
    if (found == g.devices.constEnd() || found->ended == found->started)
        return;
    // As many syncs ended as had started when this writer came: those running then are over (or as many others,
    // which is as long a wait).
    const quint64 runningWhenCalled = found->started;
    ++g.devices[device].waiting;
    g.ended.wait(lock, [&] { return g.devices[device].ended >= runningWhenCalled; });
    Device &state = g.devices[device];
    if (--state.waiting == 0 && state.ended == state.started)
        g.devices.remove(device);
}

int waitingWriters(quint64 device)
{
    Gate &g = gate();
    const std::lock_guard<std::mutex> lock(g.mutex);
    return g.devices.value(device).waiting;
}

} // namespace ferry::BulkWriteGate
