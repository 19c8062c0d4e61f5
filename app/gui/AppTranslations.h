#pragma once
// The user interface language follows the system locale: Ferry's own catalogue (compiled into the app
// under :/i18n) and Qt's for its standard dialogs and buttons.

class QCoreApplication;

namespace ferry::gui {

// Installs the translators for QLocale() on `app`; returns true when Ferry's own catalogue was found
// (English, the source language, needs none).
bool installTranslations(QCoreApplication *app);

} // namespace ferry::gui
