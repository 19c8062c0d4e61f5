#pragma once
// Seam: the per-user byte ledger shared by all of a user's sessions and threads. In-process today
// (InProcessQuotaLedger); database transactions later.
//
// used     = bytes the user's home holds on disk, part files included
// reserved = bytes that open puts may still add
// A put reserves (size - bytes already held for its target) and is refused when
// used + reserved + that > limit. When the put ends it settles once: its reservation goes and `used`
// changes by what the upload did to the disk. No per-frame updates.

#include "Result.h"

#include <QString>

#include <optional>

namespace ferry {

class QuotaLedger {
public:
    virtual ~QuotaLedger() = default;

    virtual qint64 used(const QString &user) = 0;
    virtual qint64 reserved(const QString &user) = 0;
    // Rebuilt from disk: the true usage of the home (called at start and when a user's home is first seen).
    virtual void setUsed(const QString &user, qint64 bytes) = 0;
    virtual bool isKnown(const QString &user) = 0;

    // Books `bytes` (>= 0) of future growth. quota_exceeded with extra {used, limit, needed} when
    // used + reserved + bytes > limit; no limit: always granted. Returns a reservation id (> 0).
    virtual Result<qint64> reserve(const QString &user, qint64 bytes, std::optional<qint64> limit) = 0;
    // The reservation's upload ended: the reservation goes and the user's `used` changes by `usedDelta`
    // (the bytes the upload added to the home, negative when it freed some), in one step.
    virtual void settle(qint64 reservationId, qint64 usedDelta) = 0;
    // Files removed (negative) or added behind a reservation's back (positive).
    virtual void adjustUsed(const QString &user, qint64 delta) = 0;
};

} // namespace ferry
