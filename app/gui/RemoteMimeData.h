#pragma once
// What a drag out of the remote pane carries: the remote paths (for Ferry's own local pane, which queues
// downloads) and, for other applications such as a file manager, text/uri-list produced lazily: only when
// the drop target asks for it are the files downloaded to a temporary folder and their URLs handed over.

#include <QMimeData>
#include <QUrl>

#include <functional>

namespace ferry::gui {

class RemoteMimeData : public QMimeData {
    Q_OBJECT
public:
    using Materializer = std::function<QList<QUrl>(const QStringList &remotePaths)>;

    // materialize may be empty: then only Ferry's own panes can take the drop.
    RemoteMimeData(const QStringList &remotePaths, Materializer materialize);

    static const QString MimeType;   // "application/x-ferry-remote-paths"
    // The remote paths of a Ferry drag; empty for anything else (never triggers a download).
    static QStringList remotePaths(const QMimeData *data);

    QStringList formats() const override;

protected:
    QVariant retrieveData(const QString &mimeType, QMetaType type) const override;

private:
    QStringList m_paths;
    Materializer m_materialize;
    mutable bool m_materialized = false;
    mutable QList<QUrl> m_urls;
};

} // namespace ferry::gui
