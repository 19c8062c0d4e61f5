#include "RemoteMimeData.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace ferry::gui {

namespace {
const QString UriListType = QStringLiteral("text/uri-list");
}

const QString RemoteMimeData::MimeType = QStringLiteral("application/x-ferry-remote-paths");

RemoteMimeData::RemoteMimeData(const QStringList &remotePaths, Materializer materialize)
    : m_paths(remotePaths), m_materialize(std::move(materialize))
{
    setData(MimeType, QJsonDocument(QJsonArray::fromStringList(remotePaths)).toJson(QJsonDocument::Compact));
}

QStringList RemoteMimeData::remotePaths(const QMimeData *data)
{
    if (!data || !data->hasFormat(MimeType))
        return {};
    if (const auto *own = qobject_cast<const RemoteMimeData *>(data))
        return own->m_paths;
    QStringList paths;
    const QJsonArray array = QJsonDocument::fromJson(data->data(MimeType)).array();
    for (const QJsonValue &value : array) {
        if (value.isString())
            paths.append(value.toString());
    }
    return paths;
}

QStringList RemoteMimeData::formats() const
{
    QStringList list = QMimeData::formats();
    if (m_materialize && !list.contains(UriListType))
        list.append(UriListType);
    return list;
}

QVariant RemoteMimeData::retrieveData(const QString &mimeType, QMetaType type) const
{
    if (mimeType != UriListType || !m_materialize)
        return QMimeData::retrieveData(mimeType, type);
    if (!m_materialized) {
        // A target may ask several times (formats, then data); download once.
        m_materialized = true;
        m_urls = m_materialize(m_paths);
    }
    if (m_urls.isEmpty())
        return {};
    QVariantList urls;
    for (const QUrl &url : m_urls)
        urls.append(url);
    return urls;
}

} // namespace ferry::gui
