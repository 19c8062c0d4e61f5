// ferry: the desktop client. `ferry` opens the window; `ferry ferry://user@host:port` also connects,
// with the password from FERRY_PASSWORD when set (as the README's demo command does), else it asks.

#include "BulkAllocator.h"
#include "ClientContext.h"
#include "ConnectionParams.h"
#include "Icons.h"
#include "MainWindow.h"
#include "OpenFileLimit.h"
#include "Translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QIcon>
#include <QInputDialog>
#include <QMessageBox>

using ferry::ConnectionParams;
using namespace ferry::gui;

int main(int argc, char *argv[])
{
    ferry::keepBulkBuffersMapped();
    ferry::raiseOpenFileLimit();
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Ferry"));
    QApplication::setApplicationName(QStringLiteral("ferry"));
    QApplication::setApplicationDisplayName(QStringLiteral("Ferry"));
    QApplication::setApplicationVersion(QStringLiteral(FERRY_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("ferry"));
    ferry::installTranslations(&app);
    QApplication::setWindowIcon(Icons::app());
    // File-type icons come from the desktop's icon theme; without one (a bare window manager), Adwaita's.
    QIcon::setFallbackThemeName(QStringLiteral("Adwaita"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Ferry: fast, verified file transfer."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("url"),
                                 QApplication::translate("main", "Server to connect to: ferry://user@host:port"),
                                 QStringLiteral("[ferry://user@host:port]"));
    parser.process(app);

    ClientContext client;   // the session and the queue belong to the application, the window shows them
    MainWindow window(&client);
    window.show();

    const QStringList arguments = parser.positionalArguments();
    if (!arguments.isEmpty()) {
        std::optional<ConnectionParams> params = ConnectionParams::fromUrl(QUrl(arguments.first()));
        if (!params || params->user.isEmpty()) {
            QMessageBox::warning(&window, QApplication::translate("main", "Ferry"),
                                 QApplication::translate("main", "“%1” is not a server address like "
                                                                 "ferry://user@host:7420.")
                                         .arg(arguments.first()));
        } else {
            const QByteArray fromEnvironment = qgetenv("FERRY_PASSWORD");
            if (!fromEnvironment.isEmpty())
                params->password = QString::fromUtf8(fromEnvironment);
            if (params->password.isEmpty()) {
                bool ok = false;
                params->password = QInputDialog::getText(&window, QApplication::translate("main", "Password"),
                                                         QApplication::translate("main", "Password for %1:")
                                                                 .arg(params->displayName()),
                                                         QLineEdit::Password, QString(), &ok);
                if (!ok)
                    params.reset();
            }
            if (params)
                window.connectTo(*params);
        }
    }
    return QApplication::exec();
}
