#pragma once
// One put on the wire (docs/PROTOCOL.md, "Upload"):
//
//   C: put{path,size,mode,mtime}        S: ok{offset} | error
//   C: data{bytes} … (offset..size)     (1 MiB payloads, sent while the session can write)
//   C: end{sha256 of the whole file}    S: ok{size,sha256} | error
//
// Small files (one data frame) are pipelined: put, data and end leave at once without waiting for the
// put's ok; the server ignores the data and end of a put it refused. On resume the bytes before the
// server's offset are read and hashed but not sent, so every byte is hashed exactly once.

#include "Protocol.h"
#include "Result.h"
#include "Sha256.h"

#include <QFile>
#include <QObject>
#include <QPointer>

#include <memory>

namespace ferry {

class ClientSession;
class FileChunkReader;
struct Frame;

class UploadRunner : public QObject {
    Q_OBJECT
public:
    using Mode = PutMode;   // the wire's put modes (Protocol.h)
    // Files up to this size fit one data frame and are pipelined (unless resuming, which needs the offset).
    static constexpr qint64 PipelinedBytes = 1024 * 1024;
    static bool isPipelined(qint64 size, Mode mode) { return size <= PipelinedBytes && mode != Mode::Resume; }

    UploadRunner(ClientSession *session, const QString &localPath, const QString &remotePath, Mode mode,
                 QObject *parent = nullptr);
    ~UploadRunner() override;

    // Opens the local file and sends the put; the outcome arrives through finished().
    void start();
    // Cancels the put on the wire; no signal follows. discard: the server deletes its part file too (and
    // frees its quota); otherwise it keeps it for a resume. Returns whether a cancel went on the wire.
    bool stop(bool discard = false);
    // Deletes the part file the server holds for an upload of `localSize` bytes to `remotePath` that is not
    // running: a put in mode resume (which finds the part file) cancelled at once with discard.
    static void discardPart(ClientSession *session, const QString &remotePath, qint64 localSize);

    qint64 size() const { return m_size; }
    qint64 mtimeMs() const { return m_mtimeMs; }

signals:
    // The server accepted the put and already holds `offset` bytes of it.
    void accepted(qint64 offset, qint64 size);
    void progress(qint64 done);
    // Success: the server stored exactly our bytes (its size and SHA-256 match ours).
    void finished(const ferry::Status &status);

private:
    bool onFrame(const Frame &frame);
    void onAccepted(qint64 offset);
    void hashPrefix();
    void pump();
    void sendEnd();
    void checkResult(const Frame &frame);
    // Ends the put on the wire for a local reason (unreadable file) and reports the error.
    void abortWith(const Error &error);
    void finish(const Status &status);
    Error error(QLatin1String code, const QString &message) const;

    enum class Phase { Idle, Accepting, Hashing, Sending, Verifying, Finished };

    QPointer<ClientSession> m_session;
    QString m_localPath;
    QString m_remotePath;
    Mode m_mode;
    Phase m_phase = Phase::Idle;
    bool m_pipelined = false;
    bool m_accepted = false;
    QFile m_file;
    Sha256 m_hash;                               // declared before the reader, which updates it
    std::unique_ptr<FileChunkReader> m_reader;   // while sending
    QByteArray m_sha256;     // of the whole file, once its last byte was read
    qint64 m_size = 0;
    qint64 m_mtimeMs = -1;
    qint64 m_position = 0;   // next byte to hash (and send, past the offset)
    qint64 m_offset = 0;
    qint64 m_id = 0;
    QMetaObject::Connection m_writable;
};

} // namespace ferry
