#pragma once
// One get: verifies the client's prefix, then streams data frames while the connection can take them,
// then the end frame with the whole file's SHA-256 (from the hash stored at upload when still valid).
// A resumed get hashes the part the client already has on the disk pool (PrefixCheck), never on the
// session's socket thread: that can be gigabytes.

#include "Result.h"
#include "Sha256.h"
#include "Storage.h"
#include "VirtualPath.h"

#include <memory>
#include <QObject>

namespace ferry {

class FrameConnection;

class Download : public QObject {
    Q_OBJECT
public:
    // Opens the file and checks the offset; the error is the reply to the get.
    static Result<Download *> open(qint64 id, const VirtualPath &path, qint64 offset, StorageHome &home,
                                   FrameConnection *connection, QObject *parent);

    // The first `offset` bytes, hashed on the disk pool before anything is sent: to compare with the client's
    // prefix_sha256, or, without a stored hash, to start the whole file's hash.
    struct PrefixCheck {
        std::shared_ptr<ReadFile> file;
        qint64 offset = 0;
        Sha256 hash;
        bool readFailed = false;
    };
    bool needsPrefixHash(const QByteArray &prefixSha256) const;
    std::shared_ptr<PrefixCheck> prefixCheck() const;
    static void hashPrefix(PrefixCheck &check);   // any thread
    // Session thread: resume_mismatch or io_error (the reply to the get), or the hash taken over.
    Status acceptPrefix(const PrefixCheck &check, const QByteArray &prefixSha256);

    qint64 id() const { return m_id; }
    qint64 size() const { return m_size; }
    qint64 mtimeMs() const { return m_mtimeMs; }
    qint64 sent() const { return m_position - m_offset; }
    // Sends data while the connection is under its watermark; emits finished() after the end frame.
    // Nothing before start() (a prefix may still be being hashed).
    void start();
    void pump();

signals:
    void finished(const ferry::Status &status);

private:
    Download(qint64 id, FrameConnection *connection, QObject *parent);

    qint64 m_id;
    VirtualPath m_path;
    FrameConnection *m_connection;
    std::shared_ptr<ReadFile> m_file;   // shared with a PrefixCheck on the disk pool
    Sha256 m_hash;
    QByteArray m_knownSha256;   // stored at upload and still valid: no need to hash while sending
    qint64 m_size = 0;
    qint64 m_mtimeMs = 0;
    qint64 m_offset = 0;
    qint64 m_position = 0;
    bool m_started = false;
    bool m_done = false;
};

} // namespace ferry
