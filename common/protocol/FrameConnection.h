#pragma once
// A frame-level connection over one TlsSocket: decodes incoming frames, sends frames with flow control,
// and on a framing error sends one protocol_error frame and closes (docs/PROTOCOL.md, "Framing errors").
// Frames go out only once the socket is encrypted: nothing of the protocol ever crosses in clear text.

#include "Frame.h"
#include "TlsSocket.h"

#include <QObject>
#include <QElapsedTimer>
#include <QPointer>


namespace ferry {

class FrameConnection : public QObject {
    Q_OBJECT
public:
    // Frames handled before the thread goes back to its event loop (fewer when they cost more than 10 ms).
    static constexpr int MaxFramesPerTurn = 16;

    // Takes ownership of the socket (which may be encrypted already, or still connecting).
    explicit FrameConnection(TlsSocket *socket, QObject *parent = nullptr);
    ~FrameConnection() override;

    TlsSocket *socket() const { return m_socket; }
    QString peerAddress() const;

    void send(const QJsonObject &header);
    void send(const QJsonObject &header, const QByteArray &payload);

    // Refuse payloads without buffering them (a server before login: protocol_error and close).
    void setPayloadsAllowed(bool allowed) { m_decoder.setPayloadsAllowed(allowed); }

    // Bytes queued in the socket (plain and encrypted) but not yet written to the kernel.
    qint64 pendingBytes() const;
    // True while pendingBytes() is under the write watermark: senders of bulk data check this.
    bool canWrite() const;

    // While paused, no more frames are delivered and nothing more is read (TCP then pushes back on the peer).
    void setReceivePaused(bool paused);
    // True while frames are not read because the peer does not read our replies (output over the limit).
    bool isOutputBlocked() const { return m_outputBlocked; }
    // Counts the reads that took bytes from the socket: every frame delivered since a given count was received
    // before that count was taken (a server reuses a look at changing state until the next read).
    quint64 socketReads() const { return m_socketReads; }

    // Flushes what is queued, then closes.
    void close();
    bool isOpen() const;

signals:
    void frameReceived(const ferry::Frame &frame);
    // Pending bytes fell under the watermark: bulk senders continue.
    void writable();
    // The peer broke the framing rules; a protocol_error frame was sent and the connection is closing.
    void framingError(const QString &message);
    // The peer sent protocol_error or the socket closed; emitted once.
    void closed();

private:
    void readAvailable();
    // Queues one readAvailable for the next event-loop turn; a second request while one is queued adds nothing.
    void postReadAvailable();
    void deliverFrames();
    // Encrypts and writes what is queued once it is FlushBytes or more, instead of at the end of the turn.
    void flushIfMuchQueued();
    void onBytesWritten();
    void onDisconnected();

    bool mayRead() const { return !m_failed && !m_receivePaused && !m_outputBlocked && !m_turnUsedUp; }

    QPointer<TlsSocket> m_socket;
    FrameDecoder m_decoder;
    bool m_receivePaused = false;
    bool m_outputBlocked = false;
    bool m_delivering = false;
    int m_framesThisTurn = 0;    // delivered since the event loop last called readAvailable
    QElapsedTimer m_turnTimer;   // since then
    bool m_turnUsedUp = false;   // a queued readAvailable continues
    bool m_readPosted = false;   // a readAvailable is queued
    bool m_failed = false;
    bool m_flushing = false;            // inside flushIfMuchQueued
    bool m_wroteWhileFlushing = false;  // the socket reported bytes written meanwhile: report them queued
    bool m_closedEmitted = false;
    quint64 m_socketReads = 0;
};

} // namespace ferry
