#include "RemoteModel.h"

#include "ClientSession.h"
#include "FileIcons.h"
#include "RemoteMimeData.h"
#include "RemoteModelNode.h"
#include "SizeText.h"
#include "VirtualPath.h"

#include <QLocale>

namespace ferry::gui {

RemoteModel::RemoteModel(ClientSession *session, QObject *parent)
    : QAbstractItemModel(parent), m_session(session), m_icons(std::make_unique<FileIcons>()),
      // The C locale collates by code point (no numeric order, "B" before "a"): English rules read better.
      m_collator(QLocale().language() == QLocale::C ? QLocale(QLocale::English) : QLocale())
{
    m_collator.setNumericMode(true);           // "file2" before "file10"
    m_collator.setCaseSensitivity(Qt::CaseInsensitive);
    m_root = makeNode(RemoteEntry{QString(), true, 0, 0, {}}, nullptr);
}

RemoteModel::~RemoteModel() = default;

std::unique_ptr<RemoteModel::Node> RemoteModel::makeNode(const RemoteEntry &entry, Node *parent)
{
    return std::make_unique<Node>(entry, parent, m_collator.sortKey(entry.name));
}

void RemoteModel::reset()
{
    beginResetModel();
    m_root = makeNode(RemoteEntry{QString(), true, 0, 0, {}}, nullptr);
    const bool wasLoading = isLoadingAnything();
    m_listingsInFlight.clear();
    endResetModel();
    if (wasLoading)
        emit loadingChanged(false);
}

RemoteModel::Node *RemoteModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex RemoteModel::indexOf(const Node *node, int column) const
{
    if (!node || node == m_root.get())
        return {};
    return createIndex(node->row, column, const_cast<Node *>(node));
}

QString RemoteModel::pathOf(const Node *node) const
{
    QStringList segments;
    for (; node && node != m_root.get(); node = node->parent)
        segments.prepend(node->name);
    return QLatin1Char('/') + segments.join(QLatin1Char('/'));
}

QString RemoteModel::pathOf(const QModelIndex &index) const
{
    return pathOf(nodeOf(index));
}

RemoteModel::Node *RemoteModel::findNode(const QString &path) const
{
    const Result<VirtualPath> virtualPath = VirtualPath::fromWire(path);
    if (!virtualPath)
        return nullptr;
    Node *node = m_root.get();
    for (const QString &segment : virtualPath->segments()) {
        node = node->byName.value(segment);
        if (!node)
            return nullptr;
    }
    return node;
}

std::optional<QModelIndex> RemoteModel::findIndex(const QString &path) const
{
    const Node *node = findNode(path);
    if (!node)
        return std::nullopt;
    return indexOf(node);
}

QModelIndex RemoteModel::indexForPath(const QString &path)
{
    const Result<VirtualPath> virtualPath = VirtualPath::fromWire(path);
    if (!virtualPath)
        return {};
    Node *node = m_root.get();
    for (const QString &segment : virtualPath->segments()) {
        if (!node->isDir)
            break;
        Node *child = node->byName.value(segment);
        if (!child) {
            // Not listed yet: a folder row that lists itself when shown (the caller checked it exists).
            const int row = int(node->children.size());
            beginInsertRows(indexOf(node), row, row);
            std::unique_ptr<Node> created = makeNode(RemoteEntry{segment, true, 0, 0, {}}, node);
            child = created.get();
            child->row = row;
            child->seenInListing = node->listingToken;
            node->byName.insert(segment, child);
            node->children.push_back(std::move(created));
            endInsertRows();
            mergeNewRows(node, row);
        }
        node = child;
    }
    return indexOf(node);
}

bool RemoteModel::isDir(const QModelIndex &index) const
{
    return nodeOf(index)->isDir;
}

RemoteEntry RemoteModel::entry(const QModelIndex &index) const
{
    const Node *node = nodeOf(index);
    return RemoteEntry{node->name, node->isDir, node->size, node->mtimeMs, {}};
}

bool RemoteModel::isLoading(const QModelIndex &folder) const
{
    return nodeOf(folder)->listing == Node::Listing::Listing;
}

bool RemoteModel::isLoaded(const QModelIndex &folder) const
{
    return nodeOf(folder)->listing == Node::Listing::Listed;
}

bool RemoteModel::isLoadingFirstTime(const QModelIndex &folder) const
{
    const Node *node = nodeOf(folder);
    return node->listing == Node::Listing::Listing && !node->everListed;
}

void RemoteModel::refresh(const QModelIndex &folder)
{
    Node *node = nodeOf(folder);
    if (node->isDir)
        startListing(node);
}

void RemoteModel::refreshIfLoaded(const QString &path)
{
    Node *node = findNode(path);
    if (node && node->isDir && node->listing != Node::Listing::NotListed)
        startListing(node);
}

// ---- QAbstractItemModel ----

QModelIndex RemoteModel::index(int row, int column, const QModelIndex &parent) const
{
    const Node *folder = nodeOf(parent);
    if (row < 0 || column < 0 || column >= ColumnCount || size_t(row) >= folder->children.size())
        return {};
    return createIndex(row, column, folder->children[size_t(row)].get());
}

QModelIndex RemoteModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOf(nodeOf(child)->parent);
}

int RemoteModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int RemoteModel::columnCount(const QModelIndex &parent) const
{
    return parent.column() > 0 ? 0 : ColumnCount;
}

bool RemoteModel::hasChildren(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return false;
    const Node *node = nodeOf(parent);
    if (!node->isDir)
        return false;
    // Unlisted folders may hold something: offer to expand them, which lists them.
    return node->listing != Node::Listing::Listed || !node->children.empty();
}

bool RemoteModel::canFetchMore(const QModelIndex &parent) const
{
    const Node *node = nodeOf(parent);
    return parent.column() <= 0 && node->isDir && node->listing == Node::Listing::NotListed && m_session
           && m_session->state() == ClientSession::State::Ready;
}

void RemoteModel::fetchMore(const QModelIndex &parent)
{
    if (canFetchMore(parent))
        startListing(nodeOf(parent));
}

QVariant RemoteModel::data(const QModelIndex &index, int role) const
{
    if (!index.isValid())
        return {};
    const Node *node = nodeOf(index);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return node->name;
        case SizeColumn:
            return node->isDir ? QString() : formatSize(node->size);
        case ModifiedColumn:
            return node->mtimeMs > 0 ? QLocale().toString(QDateTime::fromMSecsSinceEpoch(node->mtimeMs),
                                                           QLocale::ShortFormat)
                                     : QString();
        }
        break;
    case Qt::DecorationRole:
        if (index.column() == NameColumn)
            return node->isDir ? m_icons->folder() : m_icons->forFileName(node->name);
        break;
    case Qt::ToolTipRole:
        if (index.column() == SizeColumn && !node->isDir)
            return tr("%1 bytes").arg(QLocale().toString(node->size));
        if (index.column() == NameColumn)
            return pathOf(node);
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == SizeColumn)
            return QVariant(Qt::AlignRight | Qt::AlignVCenter);
        break;
    case PathRole:
        return pathOf(node);
    case IsDirRole:
        return node->isDir;
    case RawSizeRole:
        return node->size;
    case MtimeRole:
        return node->mtimeMs;
    }
    return {};
}

QVariant RemoteModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractItemModel::headerData(section, orientation, role);
    switch (section) {
    case NameColumn:
        return tr("Name");
    case SizeColumn:
        return tr("Size");
    case ModifiedColumn:
        return tr("Modified");
    }
    return {};
}

bool RemoteModel::isParentRow(const QModelIndex &index) const
{
    return index.isValid() && nodeOf(index)->parentLink;
}

Qt::ItemFlags RemoteModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::ItemIsDropEnabled;
    if (nodeOf(index)->parentLink)
        return Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemNeverHasChildren;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled;
    if (nodeOf(index)->isDir)
        flags |= Qt::ItemIsDropEnabled;
    else
        flags |= Qt::ItemNeverHasChildren;
    if (index.column() == 0)
        flags |= Qt::ItemIsEditable;   // renamed in place by the pane, never through setData
    return flags;
}

QStringList RemoteModel::mimeTypes() const
{
    return {RemoteMimeData::MimeType, QStringLiteral("text/uri-list")};
}

QMimeData *RemoteModel::mimeData(const QModelIndexList &indexes) const
{
    QStringList paths;
    for (const QModelIndex &index : indexes) {
        if (index.isValid() && index.column() == NameColumn)
            paths.append(pathOf(index));
    }
    paths.removeDuplicates();
    if (paths.isEmpty())
        return nullptr;
    return new RemoteMimeData(paths, m_dragOutHandler);
}

} // namespace ferry::gui
