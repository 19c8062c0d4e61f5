#pragma once
// One put: checks and quota reservation before any data, then data written to a hidden part file beside
// the target while it is hashed, then (on end) verified, made durable and renamed into place.
// Durability is group-committed by the session: many small files that ended together share one sync.

#include "Result.h"
#include "Sha256.h"
#include "VirtualPath.h"

#include <QFile>
#include <QString>

#include <memory>

namespace ferry {

class PartFileWriter;
struct ServerServices;

class Upload {
public:
    enum class Mode { New, Overwrite, Resume };
    struct Request {
        qint64 id = 0;
        VirtualPath path;
        qint64 size = 0;
        Mode mode = Mode::New;
        std::optional<qint64> mtimeMs;
    };

    // Checks path, mode, lock and quota; opens the part file. The error is the reply to the put.
    static Result<std::unique_ptr<Upload>> begin(const Request &request, const QString &user,
                                                 const QString &home, std::optional<qint64> limit,
                                                 ServerServices &services);
    ~Upload();   // an unfinished upload keeps its part file for a later resume

    qint64 offset() const { return m_offset; }
    qint64 received() const { return m_written; }
    const Request &request() const { return m_request; }

    // Appends a data frame's bytes. size_mismatch (too many bytes) or io_error: the part file is removed.
    Status append(const QByteArray &bytes);
    // Checks byte count and hash at end (size_mismatch / checksum_mismatch remove the part file) and
    // starts writing the data back to disk; commit() then completes it.
    Status verify(const QByteArray &sha256Hex);
    // Makes the part file durable (unless syncBatch() already did), renames it into place. Returns the
    // reply's fields.
    Result<QJsonObject> commit(bool alreadySynced = false);
    // Group commit: makes every verified upload of the batch durable with one file-system sync instead of
    // one fdatasync (and journal commit) per file. Returns whether it synced.
    static bool syncBatch(const QList<Upload *> &batch);
    QString targetDirectory() const;

private:
    Upload(ServerServices &services, const Request &request, const QString &user);
    void discardPartFile();
    void closePartFile();

    ServerServices &m_services;
    Request m_request;
    QString m_user;
    QString m_targetPath;    // real path
    QString m_partPath;      // real path
    QFile m_part;
    std::unique_ptr<PartFileWriter> m_writer;   // open while the part file is
    Sha256 m_hash;
    QByteArray m_sha256Hex;
    qint64 m_offset = 0;
    qint64 m_mtimeMs = -1;
    qint64 m_written = 0;    // bytes the part file holds
    qint64 m_replacedBytes = 0;
    qint64 m_reservation = 0;
    bool m_locked = false;
    bool m_finished = false;
};

} // namespace ferry
