#pragma once
// Smoothed transfer rate and ETA: bytes per second over a sliding window (~2 s) of progress samples, so
// a rate shown to people neither jumps with every frame nor stays high after a transfer stalls.

#include <QElapsedTimer>

#include <deque>

namespace ferry {

class ProgressMeter {
public:
    static constexpr qint64 DefaultWindowMs = 2000;
    explicit ProgressMeter(qint64 windowMs = DefaultWindowMs);

    // Starts measuring from `done` bytes (a resumed transfer's prefix is not counted as speed).
    void start(qint64 done) { start(done, now()); }
    void sample(qint64 done) { sample(done, now()); }
    double rate() const { return rate(now()); }
    // Seconds until `remaining` more bytes are done at the current rate; -1 when unknown.
    qint64 etaSeconds(qint64 remaining) const { return etaSeconds(remaining, now()); }

    // The same with an explicit clock (milliseconds), for tests.
    void start(qint64 done, qint64 nowMs);
    void sample(qint64 done, qint64 nowMs);
    double rate(qint64 nowMs) const;
    qint64 etaSeconds(qint64 remaining, qint64 nowMs) const;

private:
    qint64 now() const;

    struct Sample {
        qint64 ms;
        qint64 done;
    };
    qint64 m_windowMs;
    QElapsedTimer m_clock;
    std::deque<Sample> m_samples;   // oldest first; the first one may be older than the window (the base)
};

} // namespace ferry
