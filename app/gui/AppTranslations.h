#pragma once
// The user interface language follows the system locale: Ferry's own catalogue (compiled into the app
// under :/i18n) and Qt's for its standard dialogs and buttons.

class QCoreApplication;

namespace ferry::gui {

// Installs the translators for QLocale() on `app` (Ferry's, falling back to English plurals, and Qt's);
// returns true when a Ferry catalogue was installed.
bool installTranslations(QCoreApplication *app);

} // namespace ferry::gui
