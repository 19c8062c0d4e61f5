#include "Translations.h"

#include <QCoreApplication>
#include <QLibraryInfo>
#include <QLocale>
#include <QTranslator>

namespace ferry {

bool installTranslations(QCoreApplication *app)
{
    const QLocale locale;
    auto *qtTranslator = new QTranslator(app);
    if (qtTranslator->load(locale, QStringLiteral("qtbase"), QStringLiteral("_"),
                           QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QCoreApplication::installTranslator(qtTranslator);
    else
        delete qtTranslator;

    // The user's language, else English (whose catalogue holds only the plural forms of the source).
    auto *ferryTranslator = new QTranslator(app);
    if (ferryTranslator->load(locale, QStringLiteral("ferry"), QStringLiteral("_"), QStringLiteral(":/i18n"))
        || ferryTranslator->load(QStringLiteral("ferry_en"), QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(ferryTranslator);
        return true;
    }
    delete ferryTranslator;
    return false;
}

} // namespace ferry
