#pragma once
// Test support: a wire-level client that sends any bytes or frames and waits for frames, for tests that
// must speak the protocol exactly (or break it on purpose) without the client engine in between.

#include "Frame.h"

#include <QTcpSocket>

namespace ferry::test {

class RawClient {
public:
    bool connectTo(quint16 port, int timeoutMs = 10000);
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
    QTcpSocket &socket() { return m_socket; }
    qint64 receivedBytes() const { return m_received; }

private:
    QTcpSocket m_socket;
    FrameDecoder m_decoder;
    qint64 m_lastId = 0;
    qint64 m_received = 0;
};

} // namespace ferry::test
