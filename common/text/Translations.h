#pragma once
// The user interface language follows the system locale: Ferry's own catalogue (compiled into each
// program under :/i18n) and Qt's for its standard texts.

class QCoreApplication;

namespace ferry {

// Installs the translators for QLocale() on `app`; true when Ferry's own catalogue was found (English,
// the source language, needs none).
bool installTranslations(QCoreApplication *app);

} // namespace ferry
