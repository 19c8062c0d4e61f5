#include "FileIcons.h"

#include <QFileIconProvider>
#include <QFileInfo>

namespace ferry::gui {

QIcon FileIcons::folder() const
{
    if (m_folder.isNull())
        m_folder = QFileIconProvider().icon(QFileIconProvider::Folder);
    return m_folder;
}

QIcon FileIcons::forFileName(const QString &name) const
{
    const QString suffix = QFileInfo(name).suffix().toLower();
    const auto cached = m_bySuffix.constFind(suffix);
    if (cached != m_bySuffix.constEnd())
        return *cached;

    if (m_genericFile.isNull())
        m_genericFile = QFileIconProvider().icon(QFileIconProvider::File);
    QIcon icon;
    if (!suffix.isEmpty()) {
        const QMimeType type = m_mimeDatabase.mimeTypeForFile(name, QMimeDatabase::MatchExtension);
        icon = QIcon::fromTheme(type.iconName(), QIcon::fromTheme(type.genericIconName()));
    }
    if (icon.isNull())
        icon = m_genericFile;
    m_bySuffix.insert(suffix, icon);
    return icon;
}

} // namespace ferry::gui
