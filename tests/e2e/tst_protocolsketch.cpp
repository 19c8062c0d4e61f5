// The minimal Python client of docs/PROTOCOL.md §22, taken from the document as it stands and run with python3
// against a real ferryd: a document that drifts from the server (a field renamed, the binding computed another
// way) fails here. The slow-reader probe of run.sh, a copy of that sketch, went on speaking protocol version 1
// for several sessions after TLS landed, and nothing noticed.

#include "TestServer.h"
#include "TestTiming.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace ferry;
using namespace ferry::test;

namespace {

const QString Python = QStringLiteral("python3");

// The first ```python block after the heading "## 22.".
QString sketchFromProtocolDocument()
{
    QFile document(QStringLiteral(FERRY_SOURCE_DIR "/docs/PROTOCOL.md"));
    if (!document.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(document.readAll());
    const qsizetype section = text.indexOf(QLatin1String("\n## 22."));
    if (section < 0)
        return {};
    static const QRegularExpression block(QStringLiteral("```python\\n(.*?)\\n```"),
                                          QRegularExpression::DotMatchesEverythingOption);
    const QRegularExpressionMatch match = block.match(text, section);
    return match.hasMatch() ? match.captured(1) : QString();
}

} // namespace

class TestProtocolSketch : public QObject {
    Q_OBJECT

private:
    TestServer m_server;
    QTemporaryDir m_scripts;

    // Runs `driver` (Python, with the sketch importable as ferry_client); its standard output, or a failure.
    bool runPython(const QString &driver, QString *output)
    {
        QFile script(m_scripts.filePath(QStringLiteral("driver.py")));
        if (!script.open(QIODevice::WriteOnly | QIODevice::Truncate) || script.write(driver.toUtf8()) < 0)
            return false;
        script.close();
        QProcess python;
        python.setWorkingDirectory(m_scripts.path());
        QSignalSpy finished(&python, &QProcess::finished);
        python.start(Python, {script.fileName()});
        if (!finished.wait(scaledMs(60000))) {   // the event loop turns meanwhile: the server is in this process
            python.kill();
            return false;
        }
        *output = QString::fromUtf8(python.readAllStandardOutput());
        const QString errors = QString::fromUtf8(python.readAllStandardError());
        if (python.exitStatus() != QProcess::NormalExit || python.exitCode() != 0) {
            qWarning("python3 failed: %s%s", qPrintable(*output), qPrintable(errors));
            return false;
        }
        return true;
    }

private slots:
    void initTestCase()
    {
        if (QStandardPaths::findExecutable(Python).isEmpty())
            QFAIL("python3 is needed (.ci/setup installs it)");
        const QString sketch = sketchFromProtocolDocument();
        QVERIFY2(sketch.contains(QLatin1String("class FerryClient")), "no Python client in PROTOCOL.md §22");
        QFile module(m_scripts.filePath(QStringLiteral("ferry_client.py")));
        QVERIFY(module.open(QIODevice::WriteOnly));
        QVERIFY(module.write(sketch.toUtf8()) > 0);
        module.close();
        QVERIFY(m_server.addUser(QStringLiteral("alice"), QStringLiteral("sketch-password")));
        QVERIFY(m_server.start());
        QVERIFY(writeFile(m_server.home(QStringLiteral("alice")) + QStringLiteral("/hello.txt"), "hello"));
    }

    void logsInWithTheBoundProofAndLists()
    {
        QString output;
        QVERIFY(runPython(QStringLiteral(R"(
import ferry_client
client = ferry_client.FerryClient("127.0.0.1", %1, expected_identity="%2")
print("proto", client.hello["proto"], "identity", client.identity)
ok = client.login("alice", "sketch-password")
print("user", ok["user"])
for entry in client.list("/"):
    print("entry", entry["type"], entry["size"], entry["name"])
client.bye()
)").arg(m_server.port()).arg(m_server.identity().code()), &output));
        QVERIFY2(output.contains(QStringLiteral("proto 2 identity %1\n").arg(m_server.identity().code())), qPrintable(output));
        QVERIFY2(output.contains(QLatin1String("user alice\n")), qPrintable(output));
        QVERIFY2(output.contains(QLatin1String("entry file 5 hello.txt\n")), qPrintable(output));
    }

    void aWrongPasswordAndAnotherIdentityAreRefused()
    {
        QString output;
        QVERIFY(runPython(QStringLiteral(R"(
import ferry_client
try:
    ferry_client.FerryClient("127.0.0.1", %1, expected_identity="0000-0000-0000-0000")
    print("accepted another identity")
except ConnectionError:
    print("identity refused")
client = ferry_client.FerryClient("127.0.0.1", %1)
try:
    client.login("alice", "not-the-password")
    print("logged in with a wrong password")
except ferry_client.FerryError as error:
    print("login refused", error.frame["code"])
)").arg(m_server.port()), &output));
        QVERIFY2(output.contains(QLatin1String("identity refused\n")), qPrintable(output));
        QVERIFY2(output.contains(QLatin1String("login refused auth_failed\n")), qPrintable(output));
    }
};

QTEST_GUILESS_MAIN(TestProtocolSketch)
#include "tst_protocolsketch.moc"
