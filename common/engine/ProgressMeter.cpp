#include "ProgressMeter.h"

#include <cmath>

namespace ferry {

namespace {
// Samples closer together than this are merged: a 1 GB/s transfer reports ~1000 times a second.
constexpr qint64 SampleSpacingMs = 50;
// Below this much measured time a rate is mostly noise.
constexpr qint64 MinimumSpanMs = 200;
} // namespace

ProgressMeter::ProgressMeter(qint64 windowMs) : m_windowMs(windowMs)
{
    m_clock.start();
}

qint64 ProgressMeter::now() const
{
    return m_clock.elapsed();
}

void ProgressMeter::start(qint64 done, qint64 nowMs)
{
    m_samples.clear();
    m_samples.push_back({nowMs, done});
}

void ProgressMeter::sample(qint64 done, qint64 nowMs)
{
    if (m_samples.empty()) {
        start(done, nowMs);
        return;
    }
    if (m_samples.size() > 1 && nowMs - m_samples.back().ms < SampleSpacingMs)
        m_samples.back().done = done;
    else
        m_samples.push_back({nowMs, done});
    // Keep one sample at or before the window's start as the base of the measurement.
    while (m_samples.size() > 2 && m_samples[1].ms <= nowMs - m_windowMs)
        m_samples.pop_front();
}

double ProgressMeter::rate(qint64 nowMs) const
{
    if (m_samples.size() < 2)
        return 0;
    const Sample &base = m_samples.front();
    const Sample &last = m_samples.back();
    // Measured up to now, not to the last sample: a stalled transfer's rate falls towards zero.
    const qint64 span = qMax(nowMs, last.ms) - base.ms;
    if (span < MinimumSpanMs)
        return 0;
    return double(last.done - base.done) * 1000.0 / double(span);
}

qint64 ProgressMeter::etaSeconds(qint64 remaining, qint64 nowMs) const
{
    if (remaining <= 0)
        return 0;
    const double bytesPerSecond = rate(nowMs);
    if (bytesPerSecond < 1)
        return -1;
    return qint64(std::ceil(double(remaining) / bytesPerSecond));
}

} // namespace ferry
