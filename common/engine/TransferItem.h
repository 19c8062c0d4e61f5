#pragma once
// One file of the transfer queue: what moves where, how far it got, and how it ended.

#include "Result.h"

#include <QJsonObject>
#include <QString>

namespace ferry {

enum class TransferDirection { Upload, Download };
enum class TransferState { Queued, Running, Paused, Done, Failed, Cancelled, Skipped };
// What to do when the target exists:
//   Ask        consult the queue's ConflictResolver (none set: Fail)
//   Fail       the item fails with `exists`, naming the target
//   Overwrite  transfer the whole file and replace the target
//   Resume     continue a part file when there is one (upload: the server's, put mode "resume"; download:
//              the local ".ferry-part-<name>"), else transfer the whole file and replace the target. Never
//              resumes from a smaller file under the target name: its bytes may be anything. A target with
//              the source's size and modification time (to the second; transfers keep the mtime) is
//              complete: the item ends Skipped (SkipReason::Complete) and nothing is sent again.
//   Rename     keep both: the new copy goes to the first free "name (1).ext", "name (2).ext", …
//   Skip       leave the target alone; the item ends Skipped
//   OverwriteIfNewer        Overwrite when the source was modified later (to the second), else Skip
//   OverwriteIfSizeDiffers  Overwrite when the sizes differ, else Skip
// With Ask and the two conditional policies, a target with the source's size and SHA-256 (the server's
// stored hash, the local file hashed) is identical: the item ends Skipped without asking.
// Why an item ended Skipped without being asked (its error.code; the message says it to people).
namespace SkipReason {
inline constexpr QLatin1String Complete{"complete"};     // Resume: the target already is the whole source
inline constexpr QLatin1String Identical{"identical"};   // same size and SHA-256 as the source
inline constexpr QLatin1String Chosen{"chosen"};         // the conflict answer was Skip
inline constexpr QLatin1String NotNewer{"not_newer"};    // OverwriteIfNewer: the source is not newer
inline constexpr QLatin1String SameSize{"same_size"};    // OverwriteIfSizeDiffers: the sizes are equal
} // namespace SkipReason

enum class ConflictPolicy { Ask, Fail, Overwrite, Resume, Rename, Skip, OverwriteIfNewer, OverwriteIfSizeDiffers };

struct TransferItem {
    qint64 id = 0;              // unique in the queue
    qint64 jobId = 0;           // the upload()/download() call it came from
    TransferDirection direction = TransferDirection::Upload;
    QString localPath;          // absolute local file path
    QString remotePath;         // absolute virtual path on the server
    bool isDir = false;         // a folder to create (empty folders of a folder transfer)
    qint64 size = 0;            // bytes (known before start for uploads, after the get reply for downloads;
                                // -1: not known yet, e.g. a download whose type is learnt by a stat at start)
    qint64 done = 0;            // bytes at the target, resumed prefix included
    qint64 resumedFrom = 0;     // bytes that were already there when it (re)started
    qint64 mtimeMs = -1;
    double rate = 0;            // bytes per second, smoothed
    qint64 etaSeconds = -1;     // -1: unknown
    TransferState state = TransferState::Queued;
    ConflictPolicy conflict = ConflictPolicy::Ask;
    Error error;                // when Failed
    // The transfer reached the server once with its conflict settled: a restart continues the part file
    // (upload: put mode "resume"; download: from the local part file) instead of asking again.
    bool started = false;
    // The target the user agreed to replace when the upload started (size and mtime of what the server held
    // then; -1: nothing was there). A resume meets another target: it asks instead of replacing it.
    qint64 replacesSize = -1;
    qint64 replacesMtimeMs = -1;
    // A download into a folder its folder item just made: nothing was at its local name then, so its task does
    // not look (a file placed there since is still never replaced: the commit renames without replacing).
    // Not saved, and cleared when the task starts: a restart or a retry looks again.
    bool localNameFree = false;

    // The account the item belongs to: it runs only on a session logged in there (empty user: not stamped
    // yet, it takes the account of the first session it runs on). serverIdentity: the server's key identity,
    // compared once both sides know it (the TLS work fills it).
    QString server;             // "host:port" as connected to
    QString serverIdentity;
    QString user;
    int batch = 0;              // items queued while others ran share a batch; the totals count the last one

    bool isFinished() const
    {
        return state == TransferState::Done || state == TransferState::Failed || state == TransferState::Cancelled
               || state == TransferState::Skipped;
    }
    QString name() const;       // file name for display
    QString account() const;    // "alice@host:port", for display; empty when not stamped

    // Persistence of unfinished items across restarts.
    QJsonObject toJson() const;
    static TransferItem fromJson(const QJsonObject &object);
};

QString transferStateName(TransferState state);   // translated, for display

} // namespace ferry
