#include "TlsSocket.h"

#include "Protocol.h"

#include <QSocketNotifier>
#include <QSslKey>
#include <QTcpSocket>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ferry {

namespace {

// Whatever has arrived, up to this much, is read in one system call into a buffering BIO, from which OpenSSL
// takes one record at a time into its own buffer. Not OpenSSL's read-ahead: before each record it moves all that
// is left in its buffer to the front (to align the payload), which with 256 KiB read ahead moved every byte
// several times (docs/PERFORMANCE.md, session 31); record by record from the socket costs two system calls each.
constexpr int ReadBufferBytes = 256 * 1024;
// Encrypted records are gathered up to this much before a send(): a 1 GiB upload took 5-10 % less CPU than
// with one send() per 16 KiB record (docs/PERFORMANCE.md).
constexpr long WriteBufferBytes = 64 * 1024;
// Writes smaller than this are gathered into one buffer (a run of small frames leaves as full records).
constexpr qint64 GatherBelowBytes = 16 * 1024;
constexpr qint64 GatherBufferBytes = 64 * 1024;

QString openSslErrors()
{
    QStringList messages;
    char text[256];
    while (const unsigned long code = ERR_get_error()) {
        ERR_error_string_n(code, text, sizeof text);
        messages << QString::fromLatin1(text);
    }
    return messages.join(QStringLiteral("; "));
}

SSL_CTX *newContext(const SSL_METHOD *method)
{
    SSL_CTX *context = SSL_CTX_new(method);
    if (!context)
        return nullptr;
    SSL_CTX_set_min_proto_version(context, TLS1_3_VERSION);   // docs/PROTOCOL.md: TLS 1.3 only
    SSL_CTX_set_max_proto_version(context, TLS1_3_VERSION);
    // Partial writes: SSL_write returns once a record left, so a full socket never holds a whole payload back.
    SSL_CTX_set_mode(context, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    return context;
}

// OpenSSL's socket BIO, except that it writes with MSG_NOSIGNAL: a peer that closed must end the connection, not
// the process (plain write() on such a socket raises SIGPIPE; Qt's own sockets avoid it the same way).
int sendWithoutSignal(BIO *bio, const char *data, int size)
{
    int descriptor = -1;
    BIO_get_fd(bio, &descriptor);
    const ssize_t sent = ::send(descriptor, data, size_t(size), MSG_NOSIGNAL);
    BIO_clear_retry_flags(bio);
    if (sent < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR))
        BIO_set_retry_write(bio);
    return int(sent);
}

const BIO_METHOD *socketMethod()
{
    static const BIO_METHOD *method = [] {
        const BIO_METHOD *socket = BIO_s_socket();
        BIO_METHOD *own = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK | BIO_TYPE_DESCRIPTOR,
                                       "ferry socket");
        BIO_meth_set_write(own, sendWithoutSignal);
        BIO_meth_set_read(own, BIO_meth_get_read(socket));
        BIO_meth_set_puts(own, BIO_meth_get_puts(socket));
        BIO_meth_set_ctrl(own, BIO_meth_get_ctrl(socket));
        BIO_meth_set_create(own, BIO_meth_get_create(socket));
        BIO_meth_set_destroy(own, BIO_meth_get_destroy(socket));
        return own;
    }();
    return method;
}

void setSocketOptions(int descriptor)
{
    const int on = 1;
    // Small frames (replies, pipelined puts) must never wait for Nagle's timer. Keepalive: a peer that
    // vanished (cable, sleep) is noticed by the kernel even on an idle session.
    setsockopt(descriptor, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    setsockopt(descriptor, SOL_SOCKET, SO_KEEPALIVE, &on, sizeof on);
    fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK);
}

} // namespace

std::shared_ptr<const TlsContext> TlsContext::client()
{
    static const std::shared_ptr<const TlsContext> shared = [] {
        SSL_CTX *context = newContext(TLS_client_method());
        if (context)
            SSL_CTX_set_verify(context, SSL_VERIFY_NONE, nullptr);
        return std::shared_ptr<const TlsContext>(new TlsContext(context));
    }();
    return shared;
}

Result<std::shared_ptr<const TlsContext>> TlsContext::server(const QSslCertificate &certificate, const QSslKey &key)
{
    ERR_clear_error();
    SSL_CTX *context = newContext(TLS_server_method());
    std::shared_ptr<const TlsContext> result(new TlsContext(context));
    const QByteArray certificatePem = certificate.toPem();
    const QByteArray keyPem = key.toPem();
    BIO *certificateBio = BIO_new_mem_buf(certificatePem.constData(), int(certificatePem.size()));
    BIO *keyBio = BIO_new_mem_buf(keyPem.constData(), int(keyPem.size()));
    X509 *x509 = PEM_read_bio_X509(certificateBio, nullptr, nullptr, nullptr);
    EVP_PKEY *privateKey = PEM_read_bio_PrivateKey(keyBio, nullptr, nullptr, nullptr);
    const bool usable = context && x509 && privateKey && SSL_CTX_use_certificate(context, x509) == 1
            && SSL_CTX_use_PrivateKey(context, privateKey) == 1 && SSL_CTX_check_private_key(context) == 1;
    X509_free(x509);
    EVP_PKEY_free(privateKey);
    BIO_free(certificateBio);
    BIO_free(keyBio);
    if (!usable)
        return Error::make(ErrorCode::IoError, QStringLiteral("cannot use the TLS key: ") + openSslErrors());
    SSL_CTX_set_num_tickets(context, 0);   // no session resumption: nothing to send after the handshake
    return result;
}

TlsContext::~TlsContext()
{
    SSL_CTX_free(m_context);
}

TlsSocket::TlsSocket(std::shared_ptr<const TlsContext> context, QObject *parent)
    : QObject(parent), m_context(std::move(context))
{
}

TlsSocket::~TlsSocket()
{
    release();
}

void TlsSocket::connectToHost(const QString &host, quint16 port)
{
    if (m_state != State::Unconnected)
        return;
    m_error.clear();
    m_state = State::Connecting;
    // Qt finds and connects to the address; the connected descriptor then moves here (a duplicate, as
    // QTcpSocket cannot let go of its own), before Qt reads anything from it.
    m_connector = new QTcpSocket(this);
    connect(m_connector, &QTcpSocket::connected, this, [this] {
        const int descriptor = fcntl(int(m_connector->socketDescriptor()), F_DUPFD_CLOEXEC, 0);
        const int dupError = errno;
        m_connector->disconnect(this);
        m_connector->abort();
        m_connector->deleteLater();
        m_connector = nullptr;
        if (descriptor < 0) {
            fail(tr("cannot use the connection: %1").arg(QString::fromLocal8Bit(strerror(dupError))), false);
            return;
        }
        if (adopt(descriptor, false))
            emit connected();
        if (m_state == State::Handshaking)
            continueHandshake();
    });
    connect(m_connector, &QTcpSocket::errorOccurred, this, [this](QAbstractSocket::SocketError) {
        const QString message = m_connector->errorString();
        m_connector->disconnect(this);
        m_connector->deleteLater();
        m_connector = nullptr;
        fail(message, false);
    });
    m_connector->connectToHost(host, port);
}

void TlsSocket::limitReceiveBuffer(int bytes)
{
    if (m_descriptor >= 0)
        setsockopt(m_descriptor, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof bytes);
}

bool TlsSocket::startServer(qintptr descriptor, const QHostAddress &peer)
{
    if (m_state != State::Unconnected) {
        ::close(int(descriptor));
        return false;
    }
    if (!adopt(descriptor, true, peer))
        return false;
    continueHandshake();
    return true;
}

bool TlsSocket::adopt(qintptr descriptor, bool asServer, const QHostAddress &peer)
{
    m_state = State::Handshaking;   // from here on, a failure reports disconnected()
    m_descriptor = int(descriptor);
    setSocketOptions(m_descriptor);
    m_peerAddress = peer;
    if (m_peerAddress.isNull()) {
        sockaddr_storage address{};
        socklen_t length = sizeof address;
        if (getpeername(m_descriptor, reinterpret_cast<sockaddr *>(&address), &length) == 0)
            m_peerAddress = QHostAddress(reinterpret_cast<const sockaddr *>(&address));
    }
    ERR_clear_error();
    m_ssl = m_context->handle() ? SSL_new(m_context->handle()) : nullptr;
    BIO *bio = m_ssl ? BIO_new(socketMethod()) : nullptr;
    if (!bio) {
        fail(tr("TLS error: %1").arg(openSslErrors()), true);
        return false;
    }
    BIO_set_fd(bio, m_descriptor, BIO_NOCLOSE);
    // Records arrive and leave through one buffering BIO: several per system call each way (flush() sends).
    BIO *buffer = BIO_new(BIO_f_buffer());
    if (!buffer || BIO_set_read_buffer_size(buffer, ReadBufferBytes) != 1
        || BIO_set_write_buffer_size(buffer, WriteBufferBytes) != 1) {
        BIO_free(bio);
        BIO_free(buffer);
        fail(tr("TLS error: %1").arg(openSslErrors()), true);
        return false;
    }
    BIO_push(buffer, bio);
    SSL_set_bio(m_ssl, buffer, buffer);
    if (asServer)
        SSL_set_accept_state(m_ssl);
    else
        SSL_set_connect_state(m_ssl);
    m_readNotifier = new QSocketNotifier(m_descriptor, QSocketNotifier::Read, this);
    m_writeNotifier = new QSocketNotifier(m_descriptor, QSocketNotifier::Write, this);
    m_readNotifier->setEnabled(false);
    m_writeNotifier->setEnabled(false);
    connect(m_readNotifier, &QSocketNotifier::activated, this, &TlsSocket::onReadable);
    connect(m_writeNotifier, &QSocketNotifier::activated, this, &TlsSocket::onWritable);
    return true;
}

QString TlsSocket::addressText(const QHostAddress &peer)
{
    QHostAddress address = peer;
    bool isV4 = false;
    const quint32 v4 = address.toIPv4Address(&isV4);
    if (isV4)
        address = QHostAddress(v4);
    return address.toString();
}

QByteArray TlsSocket::peerCertificateDer() const
{
    if (!m_ssl)
        return {};
    X509 *certificate = SSL_get1_peer_certificate(m_ssl);
    if (!certificate)
        return {};
    QByteArray der(i2d_X509(certificate, nullptr), Qt::Uninitialized);
    auto *out = reinterpret_cast<unsigned char *>(der.data());
    i2d_X509(certificate, &out);
    X509_free(certificate);
    return der;
}

QSslCertificate TlsSocket::peerCertificate() const
{
    const QByteArray der = peerCertificateDer();
    return der.isEmpty() ? QSslCertificate() : QSslCertificate(der, QSsl::Der);
}

void TlsSocket::continueHandshake()
{
    ERR_clear_error();
    const int result = SSL_do_handshake(m_ssl);
    if (result == 1) {
        m_state = State::Encrypted;
        emit encrypted();
        if (m_state != State::Encrypted)
            return;
        // The read buffer may already hold the peer's first records: nothing would signal them. What arrives later
        // is signalled once by the notifier (and again only after a read found nothing more).
        m_readNotifier->setEnabled(true);
        QMetaObject::invokeMethod(this, &TlsSocket::readyRead, Qt::QueuedConnection);
        if (!m_queue.empty())
            scheduleFlush();
        return;
    }
    const int systemError = errno;
    const int error = SSL_get_error(m_ssl, result);
    if (error == SSL_ERROR_WANT_READ) {
        m_readNotifier->setEnabled(true);
    } else if (error == SSL_ERROR_WANT_WRITE) {
        m_writeNotifier->setEnabled(true);
    } else {
        const QString reason = openSslErrors();
        if (reason.isEmpty() || reason.contains(QLatin1String("unexpected eof"))) {
            // The peer went away before the handshake (a port probe, a client that gave up): no TLS failure.
            fail(error == SSL_ERROR_SYSCALL && systemError ? QString::fromLocal8Bit(strerror(systemError))
                                                           : tr("the connection was closed"), false);
            return;
        }
        const QString message = tr("TLS handshake failed: %1").arg(reason);
        emit handshakeFailed(message);
        fail(message, false);
    }
}

qint64 TlsSocket::read(char *data, qint64 maxSize)
{
    if (!m_ssl || maxSize <= 0 || (m_state != State::Encrypted && m_state != State::Closing))
        return 0;
    ERR_clear_error();
    size_t got = 0;
    const int result = SSL_read_ex(m_ssl, data, size_t(maxSize), &got);
    if (result == 1)
        return qint64(got);
    awaitOrFail(result, true);
    return 0;
}

QByteArray TlsSocket::read(qint64 maxSize)
{
    QByteArray bytes(maxSize, Qt::Uninitialized);
    const qint64 got = read(bytes.data(), maxSize);
    bytes.truncate(got);
    return bytes;
}

bool TlsSocket::awaitOrFail(int result, bool fromRead)
{
    const int systemError = errno;
    const int error = SSL_get_error(m_ssl, result);
    switch (error) {
    case SSL_ERROR_WANT_READ:
        if (!fromRead)
            m_writeWantsRead = true;
        m_readNotifier->setEnabled(true);
        return true;
    case SSL_ERROR_WANT_WRITE:
        if (fromRead)
            m_readWantsWrite = true;
        m_writeNotifier->setEnabled(true);
        return true;
    case SSL_ERROR_ZERO_RETURN:   // the peer's close_notify: a clean end
        fail({}, true);
        return false;
    default: {
        QString reason = openSslErrors();
        if (error == SSL_ERROR_SYSCALL && systemError && reason.isEmpty())
            reason = QString::fromLocal8Bit(strerror(systemError));
        // OpenSSL calls an end without close_notify an error; for the user it is the peer closing.
        if (reason.isEmpty() || reason.contains(QLatin1String("unexpected eof")))
            reason = tr("the remote host closed the connection");
        fail(reason, true);
        return false;
    }
    }
}

void TlsSocket::write(const QByteArray &data)
{
    if (data.isEmpty() || m_state == State::Unconnected || m_state == State::Closing)
        return;
    if (data.size() >= GatherBelowBytes) {
        m_queue.push_back(Outgoing{data, 0, false});
    } else {
        if (m_queue.empty() || !m_queue.back().gathering
            || m_queue.back().data.size() + data.size() > GatherBufferBytes) {
            Outgoing gathered;
            gathered.data.reserve(GatherBufferBytes);
            gathered.gathering = true;
            m_queue.push_back(std::move(gathered));
        }
        m_queue.back().data.append(data);
    }
    m_queuedBytes += data.size();
    scheduleFlush();
}

void TlsSocket::scheduleFlush()
{
    if (m_flushPosted)
        return;
    m_flushPosted = true;
    QMetaObject::invokeMethod(this, [this] {
        m_flushPosted = false;
        flush();
    }, Qt::QueuedConnection);
}

void TlsSocket::flush()
{
    if (m_state != State::Encrypted && m_state != State::Closing)
        return;
    if (m_writeNotifier->isEnabled() || m_writeWantsRead)
        return;   // the socket is full (or OpenSSL waits for input): the notifier continues
    qint64 written = 0;
    bool open = true;
    while (!m_queue.empty()) {
        Outgoing &front = m_queue.front();
        front.gathering = false;   // a retried SSL_write must see the same bytes
        ERR_clear_error();
        size_t sent = 0;
        const int result = SSL_write_ex(m_ssl, front.data.constData() + front.offset,
                                        size_t(front.data.size() - front.offset), &sent);
        if (result != 1) {
            open = awaitOrFail(result, false);
            break;
        }
        front.offset += qint64(sent);
        written += qint64(sent);
        m_queuedBytes -= qint64(sent);
        if (front.offset == front.data.size())
            m_queue.pop_front();
    }
    if (!open)
        return;
    if (!flushRecords())
        return;
    if (written > 0)
        emit bytesWritten(written);
    if (m_queue.empty() && m_state == State::Closing && BIO_wpending(SSL_get_wbio(m_ssl)) == 0)
        finishClosing();
}

bool TlsSocket::flushRecords()
{
    const int systemError = errno;
    BIO *out = SSL_get_wbio(m_ssl);
    ERR_clear_error();
    if (BIO_flush(out) == 1)
        return true;
    if (BIO_should_retry(out)) {
        m_writeNotifier->setEnabled(true);   // the socket is full: the rest leaves when it has room
        return true;
    }
    const int error = errno ? errno : systemError;
    fail(error ? QString::fromLocal8Bit(strerror(error)) : tr("the remote host closed the connection"), true);
    return false;
}

void TlsSocket::onReadable()
{
    m_readNotifier->setEnabled(false);
    if (m_state == State::Handshaking) {
        continueHandshake();
        return;
    }
    if (m_writeWantsRead) {
        m_writeWantsRead = false;
        flush();
    }
    if (m_state == State::Encrypted || m_state == State::Closing)
        emit readyRead();
}

void TlsSocket::onWritable()
{
    m_writeNotifier->setEnabled(false);
    if (m_state == State::Handshaking) {
        continueHandshake();
        return;
    }
    flush();
    if (m_readWantsWrite && (m_state == State::Encrypted || m_state == State::Closing)) {
        m_readWantsWrite = false;
        emit readyRead();
    }
}

void TlsSocket::disconnectFromHost()
{
    switch (m_state) {
    case State::Unconnected:
    case State::Closing:
        return;
    case State::Connecting:
    case State::Handshaking:
        abort();
        return;
    case State::Encrypted:
        m_state = State::Closing;
        flush();   // closes once everything queued has left
        return;
    }
}

void TlsSocket::finishClosing()
{
    ERR_clear_error();
    SSL_shutdown(m_ssl);   // close_notify, if the socket takes it; the peer sees the end either way
    BIO_flush(SSL_get_wbio(m_ssl));
    if (release())
        emit disconnected();
}

void TlsSocket::abort()
{
    m_queue.clear();
    m_queuedBytes = 0;
    if (release())
        emit disconnected();
}

void TlsSocket::fail(const QString &message, bool reportLater)
{
    m_error = message;
    m_queue.clear();
    m_queuedBytes = 0;
    if (!release())
        return;
    if (!reportLater) {
        emit disconnected();
        return;
    }
    // Found inside read() or flush(): the caller hears of it from the event loop, not from inside its call.
    QMetaObject::invokeMethod(this, &TlsSocket::disconnected, Qt::QueuedConnection);
}

bool TlsSocket::release()
{
    const bool wasOpen = m_state != State::Unconnected;
    m_state = State::Unconnected;
    if (m_connector) {
        m_connector->disconnect(this);
        m_connector->abort();
        m_connector->deleteLater();
        m_connector = nullptr;
    }
    // The notifiers stop before the descriptor they watch closes; deleted later, as this may run inside their
    // own signal.
    for (QSocketNotifier *notifier : {m_readNotifier, m_writeNotifier}) {
        if (notifier) {
            notifier->setEnabled(false);
            notifier->disconnect(this);
            notifier->deleteLater();
        }
    }
    m_readNotifier = nullptr;
    m_writeNotifier = nullptr;
    m_readWantsWrite = false;
    m_writeWantsRead = false;
    if (m_ssl) {
        SSL_free(m_ssl);
        m_ssl = nullptr;
    }
    if (m_descriptor >= 0) {
        ::close(m_descriptor);
        m_descriptor = -1;
    }
    return wasOpen;
}

} // namespace ferry
