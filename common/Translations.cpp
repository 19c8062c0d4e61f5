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

    auto *ferryTranslator = new QTranslator(app);
    if (ferryTranslator->load(locale, QStringLiteral("ferry"), QStringLiteral("_"), QStringLiteral(":/i18n"))) {
        QCoreApplication::installTranslator(ferryTranslator);
        return true;
    }
    delete ferryTranslator;
    return false;
}

} // namespace ferry
