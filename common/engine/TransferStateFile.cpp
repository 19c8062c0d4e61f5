#include "TransferStateFile.h"

#include "Protocol.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace ferry {

namespace {
constexpr int FormatVersion = 1;
}

TransferStateFile::TransferStateFile(std::function<QList<TransferItem>()> snapshot, QObject *parent)
    : QObject(parent), m_snapshot(std::move(snapshot))
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { save(); });
    m_writer.setMaxThreadCount(1);
}

TransferStateFile::~TransferStateFile()
{
    m_writer.waitForDone();
}

void TransferStateFile::setPath(const QString &path)
{
    m_path = path;
}

void TransferStateFile::markDirty()
{
    if (m_path.isEmpty())
        return;
    m_dirty = true;
    if (!m_timer.isActive())
        m_timer.start(SaveDelayMs);
}

void TransferStateFile::flush()
{
    m_timer.stop();
    if (m_dirty)
        save();
    m_writer.waitForDone();
}

void TransferStateFile::save()
{
    m_dirty = false;
    if (m_path.isEmpty())
        return;
    QJsonArray items;
    for (const TransferItem &item : m_snapshot())
        items.append(item.toJson());
    const QByteArray json = QJsonDocument(QJsonObject{{QLatin1String("version"), FormatVersion}, {QLatin1String("items"), items}})
                                .toJson(QJsonDocument::Compact);
    m_writer.start([path = m_path, json] {
        QSaveFile file(path);
        if (!file.open(QIODevice::WriteOnly) || file.write(json) != json.size() || !file.commit())
            qWarning("Cannot save the transfer queue to %s: %s", qPrintable(path), qPrintable(file.errorString()));
    });
}

Result<QList<TransferItem>> TransferStateFile::load() const
{
    QFile file(m_path);
    if (!file.exists())
        return QList<TransferItem>();
    if (!file.open(QIODevice::ReadOnly))
        return Error::make(ErrorCode::IoError, tr("Cannot read %1: %2").arg(m_path, file.errorString()));
    QJsonParseError parseError{};
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!document.isObject() || document.object().value(QLatin1String("version")).toInt() != FormatVersion)
        return Error::make(ErrorCode::IoError, tr("%1 is not a transfer queue file.").arg(m_path));
    QList<TransferItem> items;
    for (const QJsonValue &value : document.object().value(QLatin1String("items")).toArray()) {
        if (value.isObject())
            items.append(TransferItem::fromJson(value.toObject()));
    }
    return items;
}

} // namespace ferry
