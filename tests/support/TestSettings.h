#pragma once
// Test support: QSettings of the code under test go to a temporary folder, never the user's own.

#include <QCoreApplication>
#include <QSettings>

namespace ferry::test {

inline void isolateSettings(const QString &folder, const QString &applicationName)
{
    QCoreApplication::setOrganizationName(QStringLiteral("FerryTests"));
    QCoreApplication::setApplicationName(applicationName);
    QSettings::setDefaultFormat(QSettings::IniFormat);
    QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, folder);
}

} // namespace ferry::test
