#pragma once
// The user interface language follows the system locale: Ferry's own catalogue and Qt's for its standard
// texts. Ferry's .qm files live in share/ferry/translations: next to the installed programs
// (PREFIX/bin/../share/ferry/translations; in the build tree that is build/share/ferry/translations), else
// compiled into the program under :/i18n.

#include <QStringList>

class QCoreApplication;

namespace ferry {

// Installs the translators for QLocale() on `app`; true when Ferry's own catalogue was found (English,
// the source language, needs none).
bool installTranslations(QCoreApplication *app);

// Where the catalogue is looked for, first match wins.
QStringList translationDirs();

} // namespace ferry
