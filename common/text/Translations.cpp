#include "Translations.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace ferry {

QStringList translationDirs()
{
    // Installed: PREFIX/bin or PREFIX/sbin. In the build tree every program and test sits one folder below
    // build/, and translations/CMakeLists.txt compiles the catalogue into build/share/ferry/translations.
    return {QCoreApplication::applicationDirPath() + QStringLiteral("/../share/ferry/translations"),
            QStringLiteral(":/i18n")};
}

bool installTranslations(QCoreApplication *app)
{
    const QLocale locale;
    auto *qtTranslator = new QTranslator(app);
    if (qtTranslator->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                           QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qtTranslator);
    else
        delete qtTranslator;

    // The first folder holding a catalogue wins; in it, the user's language, else English (whose
    // catalogue holds only the plural forms of the source).
    for (const QString &dir : translationDirs()) {
        if (!QFileInfo::exists(dir + QStringLiteral("/ferry_en.qm")))
            continue;
        auto *ferryTranslator = new QTranslator(app);
        if (ferryTranslator->load(locale, QStringLiteral("ferry"), QStringLiteral("_"), dir)
            || ferryTranslator->load(QStringLiteral("ferry_en"), dir)) {
            QCoreApplication::installTranslator(ferryTranslator);
            return true;
        }
        delete ferryTranslator;
    }
    return false;
}

} // namespace ferry
