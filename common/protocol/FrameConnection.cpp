#include "FrameConnection.h"

#include "Protocol.h"
#include "Reply.h"


namespace ferry {

namespace {
// A peer that sends requests but never reads the replies stops being read above this much unsent output
// (bulk senders stay under WriteWatermarkBytes plus one frame, so they never reach it).
constexpr qint64 OutputLimitBytes = 2 * Limits::WriteWatermarkBytes;
// Frames handled, or time spent on them, before the thread goes back to its event loop: the other connections
// it serves get their turn, and the replies start to leave, even while a peer has thousands of requests
// pipelined (MaxFramesPerTurn). The time bound is for requests that cost much each (a list of a large folder).
constexpr qint64 MaxTurnNs = 10'000'000;
// Small frames queued in one event-loop turn before they are encrypted and handed to the kernel there and then.
// TlsSocket otherwise sends only when the turn ends, and a client starting 256 small uploads in one turn kept
// the server idle until it had read, hashed and framed all of them.
constexpr qint64 FlushBytes = 64 * 1024;
}

FrameConnection::FrameConnection(TlsSocket *socket, QObject *parent)
    : QObject(parent), m_socket(socket)
{
    socket->setParent(this);
    connect(socket, &TlsSocket::readyRead, this, &FrameConnection::readAvailable);
    connect(socket, &TlsSocket::bytesWritten, this, &FrameConnection::onBytesWritten);
    connect(socket, &TlsSocket::disconnected, this, &FrameConnection::onDisconnected);
    // Reads are pulled: what arrived before this connection existed is read once the event loop turns.
    if (socket->isEncrypted())
        postReadAvailable();
}

FrameConnection::~FrameConnection() = default;

QString FrameConnection::peerAddress() const
{
    return m_socket ? m_socket->peerAddressText() : QString();
}

void FrameConnection::send(const QJsonObject &header)
{
    if (!isOpen())
        return;
    m_socket->write(encodeFrame(header));
    flushIfMuchQueued();
}

void FrameConnection::send(const QJsonObject &header, const QByteArray &payload)
{
    if (!isOpen())
        return;
    if (payload.size() < 64 * 1024) {
        // One write per frame: a small frame leaves in one segment.
        m_socket->write(encodeFrame(header, payload));
        flushIfMuchQueued();
    } else {
        // Large payloads are written as they are, without copying them behind the header. Bulk data leaves at
        // the end of the turn, up to the watermark at once: flushing each 1 MiB chunk on its own gained nothing.
        m_socket->write(encodeFrameHead(header, payload.size()));
        m_socket->write(payload);
    }
}

void FrameConnection::flushIfMuchQueued()
{
    if (m_flushing || !m_socket || m_socket->bytesToWrite() < FlushBytes)
        return;
    // The socket reports what it wrote, or that the connection broke, while it flushes: neither may call a
    // sender back from inside its own send, so both reports wait for the event loop.
    m_flushing = true;
    m_socket->flush();
    m_flushing = false;
    if (m_wroteWhileFlushing) {
        m_wroteWhileFlushing = false;
        QMetaObject::invokeMethod(this, &FrameConnection::onBytesWritten, Qt::QueuedConnection);
    }
}

qint64 FrameConnection::pendingBytes() const
{
    return m_socket ? m_socket->bytesToWrite() : 0;
}

bool FrameConnection::canWrite() const
{
    return isOpen() && pendingBytes() < Limits::WriteWatermarkBytes;
}

void FrameConnection::setReceivePaused(bool paused)
{
    if (m_receivePaused == paused)
        return;
    m_receivePaused = paused;
    if (!paused)
        postReadAvailable();
}

bool FrameConnection::isOpen() const
{
    return m_socket && !m_failed && m_socket->isEncrypted();
}

void FrameConnection::close()
{
    if (m_socket)
        m_socket->disconnectFromHost();
}

void FrameConnection::readAvailable()
{
    if (!m_socket)
        return;
    m_framesThisTurn = 0;
    m_turnUsedUp = false;
    m_turnTimer.start();
    // Frames already buffered go first; then read only while nobody has paused us, until the socket has no
    // more (it watches for more only then: TlsSocket's reads are pulled).
    deliverFrames();
    while (mayRead() && m_socket) {
        const qint64 missing = m_decoder.payloadBytesMissing();
        if (missing > 0) {
            // Payload bytes go from the socket straight into the frame's buffer: one copy fewer.
            const qint64 read = m_socket->read(m_decoder.payloadWritePointer(), missing);
            if (read <= 0)
                break;
            ++m_socketReads;
            m_decoder.payloadFilled(read);
        } else {
            // Small reads between payloads (at most one TLS record): what follows a header is mostly payload,
            // read directly above.
            char chunk[16 * 1024];
            const qint64 read = m_socket->read(chunk, sizeof chunk);
            if (read <= 0)
                break;
            ++m_socketReads;
            m_decoder.feed(chunk, read);
        }
        deliverFrames();
    }
}

// At most one continuation is ever queued. Each queued turn that runs out queues the next, so without this
// every pause, unpause and unblocked output would add one more for good: with 25 of them queued, the
// thread spent 250 ms per event-loop pass on one peer's requests while another's ping waited.
void FrameConnection::postReadAvailable()
{
    if (m_readPosted)
        return;
    m_readPosted = true;
    QMetaObject::invokeMethod(this, [this] {
        m_readPosted = false;
        readAvailable();
    }, Qt::QueuedConnection);
}

void FrameConnection::deliverFrames()
{
    if (m_delivering)
        return;   // a handler that sends or pauses re-enters through the event loop, not recursively
    m_delivering = true;
    QPointer<FrameConnection> self(this);
    Frame frame;
    while (self && mayRead()) {
        if (pendingBytes() >= OutputLimitBytes) {
            m_outputBlocked = true;   // resumes in onBytesWritten once the peer reads again
            break;
        }
        if (m_framesThisTurn >= MaxFramesPerTurn
            || (m_framesThisTurn > 0 && m_turnTimer.nsecsElapsed() > MaxTurnNs)) {
            m_turnUsedUp = true;
            postReadAvailable();
            break;
        }
        const FrameDecoder::Status status = m_decoder.next(frame);
        if (status == FrameDecoder::Status::NeedMore)
            break;
        if (status == FrameDecoder::Status::Failed) {
            m_failed = true;
            const QString message = m_decoder.failureMessage();
            if (m_socket && m_socket->isEncrypted()) {
                m_socket->write(encodeFrame(Reply::fatal(Error::make(ErrorCode::ProtocolError, message))));
                m_socket->disconnectFromHost();
            }
            emit framingError(message);
            break;
        }
        ++m_framesThisTurn;
        emit frameReceived(frame);
    }
    if (self)
        m_delivering = false;
}

void FrameConnection::onBytesWritten()
{
    if (m_flushing) {
        m_wroteWhileFlushing = true;
        return;
    }
    if (!m_socket || pendingBytes() >= Limits::WriteWatermarkBytes)
        return;
    if (m_outputBlocked) {
        m_outputBlocked = false;
        postReadAvailable();
    }
    emit writable();
}

void FrameConnection::onDisconnected()
{
    if (m_flushing) {
        // A write failed inside flushIfMuchQueued: its sender learns of it from the event loop, not from inside
        // its own send().
        QMetaObject::invokeMethod(this, &FrameConnection::onDisconnected, Qt::QueuedConnection);
        return;
    }
    if (m_closedEmitted)
        return;
    m_closedEmitted = true;
    emit closed();
}

} // namespace ferry
