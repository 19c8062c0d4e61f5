// Fuzzes the SCRAM message parsers (common/protocol/Scram.*), both directions; the first input byte picks
// the message, the rest is the message. Invariants, beyond "a bad message is an error":
//  - client-first: an accepted message starts with "n,,n=" + the escaped returned user + ",r=", and the
//    server-first built on it carries that client nonce;
//  - client-final and server-final: only the one right answer of a fixed exchange is accepted;
//  - server-first: a refusal is auth_failed; an accepted one yields "c=biws,r=<that nonce>,p=<32 bytes>";
//  - user names: unescape(x) accepted means escape() gives x back; escape() always unescapes back.

#include "FuzzCheck.h"
#include "Protocol.h"
#include "ScramServer.h"

#include <cstdint>

using namespace ferry;

namespace {

const QByteArray ClientNonce = QByteArrayLiteral("fyko+d2lbbFgONRv9qkxdawL");
const QByteArray ServerNonce = QByteArrayLiteral("3rfcNHYJY1ZVvWVs7j");
const QString User = QStringLiteral("user");
const QString Password = QStringLiteral("pencil");

// One honest exchange, computed once: the messages the fuzzed ones are checked against.
struct Exchange {
    ScramCredentials credentials = ScramCredentials::derive(Password, QByteArrayLiteral("salt-of-sixteen!"),
                                                            Limits::MinScramIterations);
    ScramClient client{User, Password, ClientNonce};
    QByteArray clientFirst = client.clientFirstMessage();
    QByteArray serverFirst;
    QByteArray clientFinal;
    QByteArray serverFinal;

    Exchange()
    {
        ScramServer server(ServerNonce);
        FUZZ_CHECK(server.receiveClientFirst(clientFirst).ok());
        serverFirst = server.serverFirstMessage(credentials);
        clientFinal = *client.clientFinalMessage(serverFirst);
        serverFinal = *server.receiveClientFinal(clientFinal);
    }
};

const Exchange &exchange()
{
    static const Exchange instance;
    return instance;
}

std::optional<QByteArray> base64(const QByteArray &text)
{
    const auto decoded = QByteArray::fromBase64Encoding(text, QByteArray::AbortOnBase64DecodingErrors);
    return decoded ? std::optional<QByteArray>(decoded.decoded) : std::nullopt;
}

QByteArray firstPart(const QByteArray &message)
{
    const qsizetype comma = message.indexOf(',');
    return comma < 0 ? message : message.left(comma);
}

void clientFirst(const QByteArray &message)
{
    ScramServer server(ServerNonce);
    const Result<QString> user = server.receiveClientFirst(message);
    if (!user) {
        FUZZ_CHECK(user.error().code == ErrorCode::BadRequest);
        FUZZ_CHECK(server.serverFirstMessage(exchange().credentials).isEmpty());
        return;
    }
    const QByteArray prefix = QByteArrayLiteral("n,,n=") + scramEscapeName(*user) + QByteArrayLiteral(",r=");
    FUZZ_CHECK(message.startsWith(prefix));
    FUZZ_CHECK(server.user() == *user);
    const QByteArray nonce = firstPart(message.mid(prefix.size()));
    FUZZ_CHECK(!nonce.isEmpty());
    FUZZ_CHECK(server.serverFirstMessage(exchange().credentials).startsWith(QByteArray("r=" + nonce + ServerNonce + ",s=")));
}

// A server-first the parser would accept costs a PBKDF2 of >= 4096 rounds; those are left out (the
// crypto after the parse is covered by tst_scram) so the target keeps its speed.
bool wouldDerive(const QByteArray &message)
{
    const QList<QByteArray> parts = message.split(',');
    if (parts.size() < 3 || !parts[2].startsWith("i="))
        return false;
    bool number = false;
    const int iterations = parts[2].mid(2).toInt(&number);
    return number && iterations >= Limits::MinScramIterations;
}

int serverFirst(const QByteArray &message)
{
    if (wouldDerive(message))
        return -1;
    ScramClient client(User, Password, ClientNonce);
    const Result<QByteArray> final = client.clientFinalMessage(message);
    if (!final) {
        FUZZ_CHECK(final.error().code == ErrorCode::AuthFailed);
        FUZZ_CHECK(!client.verifyServerFinal(exchange().serverFinal));
        return 0;
    }
    const QByteArray nonce = firstPart(message).mid(2);
    FUZZ_CHECK(nonce.startsWith(ClientNonce) && nonce.size() > ClientNonce.size());
    FUZZ_CHECK(final->startsWith(QByteArray("c=biws,r=" + nonce + ",p=")));
    const std::optional<QByteArray> proof = base64(final->mid(final->indexOf(",p=") + 3));
    FUZZ_CHECK(proof && proof->size() == 32);
    return 0;
}

void clientFinal(const QByteArray &message)
{
    ScramServer server(ServerNonce);
    FUZZ_CHECK(server.receiveClientFirst(exchange().clientFirst).ok());
    server.serverFirstMessage(exchange().credentials);
    const Result<QByteArray> final = server.receiveClientFinal(message);
    if (!final) {
        FUZZ_CHECK(final.error().code == ErrorCode::AuthFailed);
        return;
    }
    const QByteArray &honest = exchange().clientFinal;
    const qsizetype proofAt = message.lastIndexOf(",p=");
    FUZZ_CHECK(message.left(proofAt) == honest.left(honest.lastIndexOf(",p=")));
    FUZZ_CHECK(base64(message.mid(proofAt + 3)) == base64(honest.mid(honest.lastIndexOf(",p=") + 3)));
    FUZZ_CHECK(*final == exchange().serverFinal);
    FUZZ_CHECK(!server.receiveClientFinal(message).ok());   // one attempt per exchange
}

void serverFinal(const QByteArray &message)
{
    if (!exchange().client.verifyServerFinal(message))
        return;
    const QByteArray first = firstPart(message);
    FUZZ_CHECK(first.startsWith("v="));
    FUZZ_CHECK(base64(first.mid(2)) == base64(exchange().serverFinal.mid(2)));
}

void userName(const QByteArray &escaped)
{
    if (const std::optional<QString> name = scramUnescapeName(escaped)) {
        FUZZ_CHECK(!name->isEmpty());
        FUZZ_CHECK(scramEscapeName(*name) == escaped);
    }
    const QString name = QString::fromUtf8(escaped);
    if (!name.isEmpty() && !name.contains(QChar(0)))
        FUZZ_CHECK(scramUnescapeName(scramEscapeName(name)) == name);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    const QByteArray message(reinterpret_cast<const char *>(data + 1), qsizetype(size - 1));
    switch (data[0] % 5) {
    case 0:
        clientFirst(message);
        return 0;
    case 1:
        return serverFirst(message);
    case 2:
        clientFinal(message);
        return 0;
    case 3:
        serverFinal(message);
        return 0;
    default:
        userName(message);
        return 0;
    }
}
