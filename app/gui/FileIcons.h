#pragma once
// The platform's file-type icons for remote entries, which have a name but no local file to ask about:
// the MIME type guessed from the name, its theme icon, else the platform's generic file/folder icon.

#include <QHash>
#include <QIcon>
#include <QMimeDatabase>

namespace ferry::gui {

class FileIcons {
public:
    QIcon folder() const;
    QIcon forFileName(const QString &name) const;

private:
    QMimeDatabase m_mimeDatabase;
    mutable QHash<QString, QIcon> m_bySuffix;   // thousands of rows share a handful of icons
    mutable QIcon m_folder;
    mutable QIcon m_genericFile;
};

} // namespace ferry::gui
