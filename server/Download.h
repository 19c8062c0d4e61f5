#pragma once
// One get: verifies the client's prefix, then streams data frames while the connection can take them,
// then the end frame with the whole file's SHA-256 (from the hash stored at upload when still valid).

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
    // Opens the file and checks offset and prefix; the error is the reply to the get.
    static Result<Download *> begin(qint64 id, const VirtualPath &path, qint64 offset,
                                    const QByteArray &prefixSha256, StorageHome &home,
                                    FrameConnection *connection, QObject *parent);

    qint64 size() const { return m_size; }
    qint64 mtimeMs() const { return m_mtimeMs; }
    qint64 sent() const { return m_position - m_offset; }
    // Sends data while the connection is under its watermark; emits finished() after the end frame.
    void pump();

signals:
    void finished(const ferry::Status &status);

private:
    Download(qint64 id, FrameConnection *connection, QObject *parent);

    qint64 m_id;
    FrameConnection *m_connection;
    std::unique_ptr<ReadFile> m_file;
    Sha256 m_hash;
    QByteArray m_knownSha256;   // stored at upload and still valid: no need to hash while sending
    qint64 m_size = 0;
    qint64 m_mtimeMs = 0;
    qint64 m_offset = 0;
    qint64 m_position = 0;
    bool m_done = false;
};

} // namespace ferry
