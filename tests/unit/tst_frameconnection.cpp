// FrameConnection (common/protocol) over a real TLS 1.3 loopback pair: frames both ways (small, split
// header/payload writes, 4 MiB), framing errors answered with one protocol_error and a close, receive pause
// without loss, the output limit against a peer that does not read, the write watermark, closed() once. The
// connections run on Ferry's TlsSocket; the raw peers of some tests are Qt's QSslSocket (another TLS stack).

#include "FrameConnection.h"
#include "TlsListener.h"

#include <QJsonArray>
#include <QtEndian>
#include <QRandomGenerator>
#include <QSignalSpy>
#include <QSslConfiguration>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>

#include <poll.h>
#include <sys/ioctl.h>

#include <memory>

using namespace ferry;
using ferry::test::TlsSocketListener;

Q_DECLARE_METATYPE(ferry::Frame)

namespace {

QByteArray randomBytes(qint64 size, quint32 seed)
{
    QByteArray bytes(size, Qt::Uninitialized);
    QRandomGenerator generator(seed);
    for (qint64 i = 0; i < size; ++i)
        bytes[i] = char(generator.generate() & 0xff);
    return bytes;
}

QByteArray bigEndian32(quint32 value)
{
    QByteArray bytes(4, Qt::Uninitialized);
    qToBigEndian(value, bytes.data());
    return bytes;
}

// One TLS 1.3 connection on loopback: `server` is the accepted end, `client` the connecting one (a TlsSocket
// as Ferry's client has it, or with openRaw() Qt's QSslSocket as `rawClient`).
struct TlsPair {
    TlsSocketListener listener;
    TlsSocket *server = nullptr;
    TlsSocket *client = nullptr;       // owned by the test (or by the FrameConnection it is given to)
    QSslSocket *rawClient = nullptr;   // owned by the test

    bool open()
    {
        if (!listen())
            return false;
        client = new TlsSocket(TlsContext::client());
        client->connectToHost(QStringLiteral("127.0.0.1"), listener.serverPort());
        return QTest::qWaitFor([this] { return server && client->isEncrypted(); }, 10000);
    }

    bool openRaw()
    {
        if (!listen())
            return false;
        rawClient = new QSslSocket;
        QSslConfiguration configuration = QSslConfiguration::defaultConfiguration();
        configuration.setProtocol(QSsl::TlsV1_3OrLater);
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
        rawClient->setSslConfiguration(configuration);
        rawClient->connectToHostEncrypted(QStringLiteral("127.0.0.1"), listener.serverPort());
        return QTest::qWaitFor([this] { return server && rawClient->isEncrypted(); }, 10000);
    }

private:
    bool listen()
    {
        QObject::connect(&listener, &TlsSocketListener::encryptedConnection, &listener,
                         [this](TlsSocket *socket) { server = socket; });
        return listener.listenLocal();
    }
};

// Encrypted bytes that arrived at `socket` and wait in the kernel, unread.
int bytesInKernel(const TlsSocket *socket)
{
    int bytes = 0;
    if (::ioctl(int(socket->socketDescriptor()), FIONREAD, &bytes) != 0)
        return -1;
    return bytes;
}

// Reads frames off a raw socket (the peer that is not a FrameConnection).
struct RawReader {
    FrameDecoder decoder;
    QList<Frame> frames;
    bool failed = false;

    void read(QSslSocket *socket)
    {
        decoder.feed(socket->readAll());
        Frame frame;
        for (;;) {
            const FrameDecoder::Status status = decoder.next(frame);
            if (status == FrameDecoder::Status::Failed)
                failed = true;
            if (status != FrameDecoder::Status::FrameReady)
                break;
            frames.append(frame);
        }
    }
};

QJsonObject request(int n)
{
    return QJsonObject{{QStringLiteral("op"), QStringLiteral("ping")}, {QStringLiteral("id"), n}};
}

// The header of data frame `n` (its payload goes beside it).
QJsonObject dataHeader(int n)
{
    return QJsonObject{{QStringLiteral("op"), QStringLiteral("data")}, {QStringLiteral("id"), n}};
}

} // namespace

class TestFrameConnection : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { qRegisterMetaType<ferry::Frame>(); }

    void framesBothWays_data()
    {
        QTest::addColumn<qint64>("payloadBytes");
        QTest::newRow("no payload") << qint64(-1);
        QTest::newRow("empty payload") << qint64(0);
        QTest::newRow("small") << qint64(1000);
        QTest::newRow("just under 64 KiB (one write)") << qint64(64 * 1024 - 1);
        QTest::newRow("64 KiB (head and payload written apart)") << qint64(64 * 1024);
        QTest::newRow("300 KiB") << qint64(300 * 1024);
        QTest::newRow("4 MiB") << Limits::MaxPayloadBytes;
    }

    // Three frames each way, the middle one with the payload: each arrives whole, in order, unchanged.
    void framesBothWays()
    {
        QFETCH(qint64, payloadBytes);
        TlsPair pair;
        QVERIFY(pair.open());
        FrameConnection server(pair.server);
        FrameConnection client(pair.client);
        QVERIFY(server.isOpen() && client.isOpen());
        QSignalSpy atServer(&server, &FrameConnection::frameReceived);
        QSignalSpy atClient(&client, &FrameConnection::frameReceived);

        const QByteArray payload = randomBytes(qMax<qint64>(payloadBytes, 0), quint32(payloadBytes + 7));
        const QJsonObject header{{QStringLiteral("op"), QStringLiteral("data")},
                                 {QStringLiteral("id"), 2},
                                 {QStringLiteral("name"), QStringLiteral("Grüße")}};
        for (FrameConnection *sender : {&client, &server}) {
            sender->send(request(1));
            if (payloadBytes < 0)
                sender->send(header);
            else
                sender->send(header, payload);
            sender->send(request(3), QByteArray("tail"));
        }

        for (QSignalSpy *spy : {&atServer, &atClient}) {
            QTRY_COMPARE_WITH_TIMEOUT(spy->count(), 3, 20000);
            const Frame first = spy->at(0).at(0).value<Frame>();
            const Frame middle = spy->at(1).at(0).value<Frame>();
            const Frame last = spy->at(2).at(0).value<Frame>();
            QCOMPARE(first.header, request(1));
            QVERIFY(first.payload.isEmpty());
            QCOMPARE(middle.op(), QStringLiteral("data"));
            QCOMPARE(middle.header.value(QStringLiteral("name")).toString(), QStringLiteral("Grüße"));
            QCOMPARE(middle.header.contains(QStringLiteral("bytes")), payloadBytes >= 0);
            if (payloadBytes >= 0)
                QCOMPARE(middle.header.value(QStringLiteral("bytes")).toInteger(), payloadBytes);
            QCOMPARE(middle.payload.size(), payload.size());
            QVERIFY(middle.payload == payload);
            QCOMPARE(last.header.value(QStringLiteral("id")).toInt(), 3);
            QCOMPARE(last.payload, QByteArray("tail"));
        }
    }

    // Nothing is sent before the handshake is done: no frame ever crosses in clear text.
    void nothingSentBeforeEncryption()
    {
        TlsSocketListener listener;
        QVERIFY(listener.listenLocal());
        TlsSocket *accepted = nullptr;
        connect(&listener, &TlsSocketListener::encryptedConnection, this, [&](TlsSocket *s) { accepted = s; });
        auto *socket = new TlsSocket(TlsContext::client());
        FrameConnection client(socket);
        socket->connectToHost(QStringLiteral("127.0.0.1"), listener.serverPort());
        client.send(request(1));   // still connecting: dropped
        QVERIFY(!client.isOpen());
        QTRY_VERIFY_WITH_TIMEOUT(accepted && client.isOpen(), 10000);
        FrameConnection server(accepted);
        QSignalSpy received(&server, &FrameConnection::frameReceived);
        client.send(request(2));
        QVERIFY(received.wait(10000));
        QCOMPARE(received.count(), 1);
        QCOMPARE(received.at(0).at(0).value<Frame>().header, request(2));
    }

    void framingErrorAnsweredAndClosed_data()
    {
        QTest::addColumn<QByteArray>("bad");
        QTest::addColumn<QString>("message");
        QTest::newRow("zero-length header") << bigEndian32(0) << QStringLiteral("Frame header length is 0");
        const QByteArray array = QByteArray("[1,2]");
        QTest::newRow("header not an object") << bigEndian32(array.size()) + array
                                              << QStringLiteral("Frame header is not a JSON object.");
        const QByteArray noOp = QByteArray("{\"id\":1}");
        QTest::newRow("no op") << bigEndian32(noOp.size()) + noOp << QStringLiteral("Frame header has no string \"op\".");
        QTest::newRow("header too long") << bigEndian32(Limits::MaxHeaderBytes + 1)
                                         << QStringLiteral("Frame header length is over the limit");
    }

    // A good frame, then broken framing in the same write: the good one is delivered, then framingError
    // with the decoder's message, exactly one protocol_error frame to the peer, and the connection closes.
    void framingErrorAnsweredAndClosed()
    {
        QFETCH(QByteArray, bad);
        QFETCH(QString, message);
        TlsPair pair;
        QVERIFY(pair.openRaw());
        std::unique_ptr<QSslSocket> peer(pair.rawClient);
        FrameConnection server(pair.server);
        QSignalSpy received(&server, &FrameConnection::frameReceived);
        QSignalSpy failed(&server, &FrameConnection::framingError);
        QSignalSpy closed(&server, &FrameConnection::closed);
        QSignalSpy peerDisconnected(peer.get(), &QSslSocket::disconnected);
        RawReader reader;
        connect(peer.get(), &QSslSocket::readyRead, this, [&] { reader.read(peer.get()); });

        peer->write(encodeFrame(request(1)) + bad + encodeFrame(request(2)));
        QVERIFY(failed.wait(10000));
        QCOMPARE(failed.count(), 1);
        QVERIFY2(failed.at(0).at(0).toString().startsWith(message), qPrintable(failed.at(0).at(0).toString()));
        QCOMPARE(received.count(), 1);
        QCOMPARE(received.at(0).at(0).value<Frame>().header, request(1));
        QVERIFY(!server.isOpen());

        QTRY_VERIFY_WITH_TIMEOUT(peerDisconnected.count() == 1, 10000);
        reader.read(peer.get());
        QVERIFY(!reader.failed);
        QCOMPARE(reader.frames.size(), 1);
        const QJsonObject error = reader.frames.at(0).header;
        QCOMPARE(error.value(QStringLiteral("op")).toString(), QStringLiteral("error"));
        QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("protocol_error"));
        QCOMPARE(error.value(QStringLiteral("message")).toString(), failed.at(0).at(0).toString());
        QTRY_COMPARE_WITH_TIMEOUT(closed.count(), 1, 10000);
        // After the failure nothing more is read or sent.
        server.send(request(9));
        QCOMPARE(received.count(), 1);
        QCOMPARE(failed.count(), 1);
    }

    // Paused from the start: every byte arrives and waits in the socket, none is delivered; resumed, all
    // frames come in order. Paused again from inside a handler: delivery stops at once, even with more
    // frames decoded, and a frame sent meanwhile waits too. Nothing is lost.
    void receivePauseLosesNothing()
    {
        TlsPair pair;
        QVERIFY(pair.open());
        FrameConnection server(pair.server);
        FrameConnection client(pair.client);
        server.setReceivePaused(true);
        QList<int> ids;
        int pauseAt = 10;
        connect(&server, &FrameConnection::frameReceived, this, [&](const Frame &frame) {
            ids.append(frame.header.value(QStringLiteral("id")).toInt());
            if (ids.size() == pauseAt)
                server.setReceivePaused(true);
        });

        constexpr int Count = 40;
        qint64 sent = 0;
        for (int i = 0; i < Count; ++i) {
            const QByteArray payload = randomBytes(1000 + i, quint32(i));
            sent += encodeFrame(request(i), payload).size();
            client.send(request(i), payload);
        }
        QTRY_VERIFY_WITH_TIMEOUT(client.pendingBytes() == 0 && bytesInKernel(pair.server) >= sent, 10000);
        QCoreApplication::processEvents();
        QVERIFY(ids.isEmpty());

        server.setReceivePaused(false);
        QTRY_COMPARE_WITH_TIMEOUT(ids.size(), pauseAt, 10000);
        QCoreApplication::processEvents();
        QCOMPARE(ids.size(), pauseAt);   // the handler's pause holds though more frames are buffered

        client.send(request(Count));
        QTRY_VERIFY_WITH_TIMEOUT(client.pendingBytes() == 0 && bytesInKernel(pair.server) > 0, 10000);
        QCoreApplication::processEvents();
        QCOMPARE(ids.size(), pauseAt);

        pauseAt = -1;
        server.setReceivePaused(false);
        QTRY_COMPARE_WITH_TIMEOUT(ids.size(), Count + 1, 10000);
        for (int i = 0; i <= Count; ++i)
            QCOMPARE(ids.at(i), i);
    }

    // However often reading was paused and resumed, one event-loop pass hands over one turn of frames: every
    // other connection on the thread gets its turn in between. Before, each resume queued one more turn for
    // good, and under load 25 of them in one pass kept another session's ping waiting 600 ms.
    void onePassOfTheEventLoopDeliversOneTurn()
    {
        TlsPair pair;
        QVERIFY(pair.open());
        FrameConnection server(pair.server);
        FrameConnection client(pair.client);
        server.setReceivePaused(true);
        int delivered = 0;
        connect(&server, &FrameConnection::frameReceived, this, [&](const Frame &) { ++delivered; });
        constexpr int Count = 200;
        qint64 sent = 0;
        for (int i = 0; i < Count; ++i) {
            sent += encodeFrame(request(i)).size();
            client.send(request(i));
        }
        QTRY_VERIFY_WITH_TIMEOUT(client.pendingBytes() == 0 && bytesInKernel(pair.server) >= sent, 10000);
        for (int i = 0; i < 20; ++i) {
            server.setReceivePaused(false);
            server.setReceivePaused(true);
        }
        server.setReceivePaused(false);
        QCOMPARE(delivered, 0);
        QCoreApplication::sendPostedEvents(&server, QEvent::MetaCall);   // one pass, this connection's part
        QVERIFY2(delivered >= 1 && delivered <= FrameConnection::MaxFramesPerTurn,
                 qPrintable(QStringLiteral("%1 frames in one pass").arg(delivered)));
        QTRY_COMPARE_WITH_TIMEOUT(delivered, Count, 10000);
    }

    // A peer that floods requests and never reads the (big) replies: once unsent output passes the limit
    // the connection stops reading requests, so output stays bounded; when the peer reads, every request
    // is answered, in order.
    void floodingPeerIsNotReadPastOutputLimit()
    {
        TlsPair pair;
        QVERIFY(pair.openRaw());
        std::unique_ptr<QSslSocket> peer(pair.rawClient);
        peer->setReadBufferSize(64 * 1024);   // the peer does not read: TCP fills up behind it
        FrameConnection server(pair.server);
        const QByteArray reply = randomBytes(1024 * 1024, 42);
        qint64 maxPending = 0;
        int answered = 0;
        connect(&server, &FrameConnection::frameReceived, this, [&](const Frame &frame) {
            server.send(QJsonObject{{QStringLiteral("op"), QStringLiteral("ok")}, {QStringLiteral("re"), frame.header.value(QStringLiteral("id"))}},
                        reply);
            ++answered;
            maxPending = qMax(maxPending, server.pendingBytes());
        });

        constexpr int Count = 64;   // 64 MiB of replies: far more than the kernel's socket buffers hold
        for (int i = 0; i < Count; ++i)
            peer->write(encodeFrame(request(i)));
        const qint64 bound = 2 * Limits::WriteWatermarkBytes + reply.size() + 64 * 1024;
        QTRY_VERIFY_WITH_TIMEOUT(server.isOutputBlocked() || maxPending > bound || answered == Count, 20000);
        QVERIFY2(maxPending <= bound, qPrintable(QString::number(maxPending)));
        QVERIFY2(answered < Count, qPrintable(QString::number(answered)));
        QVERIFY(server.isOutputBlocked());
        QVERIFY(server.pendingBytes() >= Limits::WriteWatermarkBytes);   // blocked until under the watermark

        // The peer reads now: the connection reads requests again and answers them all.
        RawReader reader;
        peer->setReadBufferSize(0);
        connect(peer.get(), &QSslSocket::readyRead, this, [&] { reader.read(peer.get()); });
        reader.read(peer.get());
        QTRY_COMPARE_WITH_TIMEOUT(reader.frames.size(), Count, 60000);
        QVERIFY(!reader.failed);
        QCOMPARE(answered, Count);
        QVERIFY2(maxPending <= bound, qPrintable(QString::number(maxPending)));
        for (int i = 0; i < Count; ++i) {
            QCOMPARE(reader.frames.at(i).header.value(QStringLiteral("re")).toInt(), i);
            QVERIFY(reader.frames.at(i).payload == reply);
        }
        QVERIFY(!server.isOutputBlocked());
    }

    // Frames sent in one event-loop turn start to leave once 64 KiB are queued, not when the turn ends: a
    // client starting 256 small uploads in one turn kept the server idle until it had framed all of them. The
    // socket's report of what it wrote reaches writable() through the event loop, never from inside send().
    void framesLeaveWhileTheTurnGoesOn()
    {
        TlsPair pair;
        QVERIFY(pair.open());
        FrameConnection sender(pair.client);
        bool insideSend = false;
        int writableInsideSend = 0;
        connect(&sender, &FrameConnection::writable, this, [&] { writableInsideSend += insideSend ? 1 : 0; });
        const QByteArray payload = randomBytes(4096, 3);
        constexpr int Count = 64;   // 256 KiB and a little
        insideSend = true;
        for (int i = 0; i < Count; ++i)
            sender.send(dataHeader(i), payload);
        insideSend = false;
        // Still in the same turn: records are in the peer's kernel buffer already (loopback; as much as its
        // receive window takes), and what is not yet encrypted is under 64 KiB.
        int inKernel = 0;
        inKernel = bytesInKernel(pair.server);
        QVERIFY2(inKernel >= 64 * 1024, qPrintable(QString::number(inKernel)));
        QVERIFY2(pair.client->bytesToWrite() < 64 * 1024, qPrintable(QString::number(pair.client->bytesToWrite())));
        QCOMPARE(writableInsideSend, 0);

        FrameConnection receiver(pair.server);
        QSignalSpy received(&receiver, &FrameConnection::frameReceived);
        QTRY_COMPARE_WITH_TIMEOUT(received.count(), Count, 10000);
        for (int i = 0; i < Count; ++i) {
            const Frame frame = received.at(i).at(0).value<Frame>();
            QCOMPARE(frame.header.value(QStringLiteral("id")).toInt(), i);
            QVERIFY(frame.payload == payload);
        }
    }

    // A write that fails while small frames are flushed (the peer reset the connection) is reported by closed()
    // from the event loop, once, never from inside send().
    void aFailedFlushIsReportedFromTheEventLoop()
    {
        TlsPair pair;
        QVERIFY(pair.open());
        FrameConnection sender(pair.client);
        bool insideSend = false;
        int closedInsideSend = 0;
        int closed = 0;
        connect(&sender, &FrameConnection::closed, this, [&] {
            ++closed;
            closedInsideSend += insideSend ? 1 : 0;
        });
        pair.server->abort();
        // The peer's close reached this end's kernel (the event loop has not seen it): the next write fails.
        pollfd peer{int(pair.client->socketDescriptor()), POLLIN, 0};
        QCOMPARE(::poll(&peer, 1, 10000), 1);
        const QByteArray payload = randomBytes(4096, 5);
        insideSend = true;
        for (int i = 0; i < 256 && sender.isOpen(); ++i)
            sender.send(dataHeader(i), payload);
        insideSend = false;
        QCOMPARE(closedInsideSend, 0);
        QTRY_COMPARE_WITH_TIMEOUT(closed, 1, 10000);
        QCoreApplication::processEvents();
        QCOMPARE(closed, 1);
    }

    // A bulk sender driven by canWrite()/writable(): with the receiver paused it stalls with the output at
    // the watermark (plus at most one frame); writable() only comes when canWrite() is true; once the
    // receiver reads, every frame arrives intact.
    void bulkSenderFollowsWatermark()
    {
        TlsPair pair;
        QVERIFY(pair.open());
        FrameConnection sender(pair.server);
        FrameConnection receiver(pair.client);
        receiver.setReceivePaused(true);
        QSignalSpy received(&receiver, &FrameConnection::frameReceived);

        constexpr int Count = 48;   // 48 MiB: more than the kernel buffers and the receiver's read buffer
        const QByteArray chunk = randomBytes(Limits::DataChunkBytes, 7);
        int sent = 0;
        qint64 maxPending = 0;
        int writableWhileFull = 0;
        auto pump = [&] {
            while (sender.canWrite() && sent < Count) {
                QVERIFY(sender.pendingBytes() < Limits::WriteWatermarkBytes);
                sender.send(dataHeader(sent), chunk);
                ++sent;
                maxPending = qMax(maxPending, sender.pendingBytes());
            }
        };
        connect(&sender, &FrameConnection::writable, this, [&] {
            if (!sender.canWrite())
                ++writableWhileFull;
            pump();
        });
        pump();
        QVERIFY(!sender.canWrite());
        QVERIFY(sender.pendingBytes() >= Limits::WriteWatermarkBytes);

        // The paused receiver reads nothing (nothing piles up above the kernel): the kernel's buffers fill, TCP
        // pushes back and the sender stalls.
        QTRY_VERIFY_WITH_TIMEOUT(bytesInKernel(pair.client) >= 64 * 1024, 20000);
        QTRY_VERIFY_WITH_TIMEOUT(!sender.canWrite(), 20000);
        QCoreApplication::processEvents();
        QVERIFY2(sent < Count, qPrintable(QString::number(sent)));
        QCOMPARE(received.count(), 0);

        receiver.setReceivePaused(false);
        QTRY_COMPARE_WITH_TIMEOUT(received.count(), Count, 60000);
        QCOMPARE(sent, Count);
        QCOMPARE(writableWhileFull, 0);
        QVERIFY2(maxPending < Limits::WriteWatermarkBytes + chunk.size() + 64 * 1024, qPrintable(QString::number(maxPending)));
        for (int i = 0; i < Count; ++i) {
            const Frame frame = received.at(i).at(0).value<Frame>();
            QCOMPARE(frame.header.value(QStringLiteral("id")).toInt(), i);
            QVERIFY(frame.payload == chunk);
        }
        QTRY_VERIFY_WITH_TIMEOUT(sender.canWrite(), 10000);
    }

    void closedEmittedOnce_data()
    {
        QTest::addColumn<QString>("how");
        QTest::newRow("peer closes") << QStringLiteral("peer close");
        QTest::newRow("peer aborts") << QStringLiteral("peer abort");
        QTest::newRow("closed here") << QStringLiteral("local close");
    }

    // Whatever ends the connection, closed() comes once on each side, and the connection is no longer open.
    void closedEmittedOnce()
    {
        QFETCH(QString, how);
        TlsPair pair;
        QVERIFY(pair.open());
        FrameConnection server(pair.server);
        FrameConnection client(pair.client);
        QSignalSpy serverClosed(&server, &FrameConnection::closed);
        QSignalSpy clientClosed(&client, &FrameConnection::closed);
        QSignalSpy received(&server, &FrameConnection::frameReceived);
        client.send(request(1));   // a frame in flight still arrives before a clean close
        if (how == QLatin1String("peer close")) {
            client.close();
        } else {
            QVERIFY(received.wait(10000));
            if (how == QLatin1String("peer abort"))
                pair.client->abort();
            else
                server.close();
        }

        QTRY_COMPARE_WITH_TIMEOUT(serverClosed.count(), 1, 10000);
        QTRY_COMPARE_WITH_TIMEOUT(clientClosed.count(), 1, 10000);
        QCOMPARE(received.count(), 1);
        QVERIFY(!server.isOpen());
        QVERIFY(!client.isOpen());
        // Later socket errors and a second close do not repeat it.
        server.close();
        client.close();
        QCoreApplication::processEvents();
        QCoreApplication::processEvents();
        QCOMPARE(serverClosed.count(), 1);
        QCOMPARE(clientClosed.count(), 1);
    }

    void closedOnceWhenConnectingFails_data()
    {
        QTest::addColumn<bool>("refused");
        QTest::newRow("connection refused") << true;
        QTest::newRow("TLS handshake fails (the server does not speak TLS)") << false;
    }

    // A connection that never opens reports closed() once too (by the socket error, with or without a
    // disconnected signal after it), and never counts as open.
    void closedOnceWhenConnectingFails()
    {
        QFETCH(bool, refused);
        QTcpServer listener;
        QVERIFY(listener.listen(QHostAddress::LocalHost, 0));
        connect(&listener, &QTcpServer::newConnection, this, [&] {
            QTcpSocket *plain = listener.nextPendingConnection();
            plain->write("220 not TLS\r\n");
            plain->disconnectFromHost();
        });
        const quint16 port = listener.serverPort();
        if (refused)
            listener.close();
        auto *socket = new TlsSocket(TlsContext::client());
        FrameConnection client(socket);
        QSignalSpy closed(&client, &FrameConnection::closed);
        QSignalSpy handshakeFailed(socket, &TlsSocket::handshakeFailed);
        socket->connectToHost(QStringLiteral("127.0.0.1"), port);
        QTRY_COMPARE_WITH_TIMEOUT(closed.count(), 1, 10000);
        QCOMPARE(socket->state(), TlsSocket::State::Unconnected);
        QVERIFY(!socket->errorString().isEmpty());
        QCOMPARE(handshakeFailed.count(), refused ? 0 : 1);
        QCoreApplication::processEvents();
        QCOMPARE(closed.count(), 1);
        QVERIFY(!client.isOpen());
    }
};

QTEST_MAIN(TestFrameConnection)
#include "tst_frameconnection.moc"
