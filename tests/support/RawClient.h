#pragma once
// Test support: a wire-level client that sends any bytes or frames and waits for frames, for tests that
// must speak the protocol exactly (or break it on purpose) without the client engine in between.
// It speaks TLS and trusts any server key (no pin: tests about pinning use the engine); connectPlain()
// and setTlsProtocol() are for tests of what the server refuses.

#include "Frame.h"

#include <QSslSocket>

namespace ferry::test {

class RawClient {
public:
    // TCP connect and TLS handshake; false when either fails.
    bool connectTo(quint16 port, int timeoutMs = 10000);
    // TCP only, no TLS: what a version 1 client (or a scanner) would do.
    bool connectPlain(quint16 port, int timeoutMs = 10000);
    // The TLS versions offered by the next connectTo() (default: TLS 1.3).
    void setTlsProtocol(QSsl::SslProtocol protocol) { m_protocol = protocol; }
    void sendRaw(const QByteArray &bytes);
    void send(const QJsonObject &header, const QByteArray &payload = {}, bool withPayload = false);
    // The next frame from the server; nullopt on timeout, a closed connection or a framing error.
    std::optional<Frame> next(int timeoutMs = 10000);
    // Frames until one with "re" == id whose op is ok/error/end (or entries with more:false) arrives.
    QList<Frame> untilFinal(qint64 id, int timeoutMs = 10000);
    // Waits until the server closes the connection.
    bool waitClosed(int timeoutMs = 10000);
    // Connects, reads hello and logs in with SCRAM; false on any failure.
    bool login(quint16 port, const QString &user, const QString &password);
    // Sends request {op, id, fields…} and returns the final reply.
    Frame request(const QJsonObject &header, int timeoutMs = 10000);
    qint64 nextId() { return ++m_lastId; }
    QSslSocket &socket() { return m_socket; }
    qint64 receivedBytes() const { return m_received; }

private:
    QSslSocket m_socket;
    QSsl::SslProtocol m_protocol = QSsl::TlsV1_3OrLater;
    FrameDecoder m_decoder;
    qint64 m_lastId = 0;
    qint64 m_received = 0;
};

} // namespace ferry::test
