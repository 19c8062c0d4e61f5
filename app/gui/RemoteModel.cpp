#include "RemoteModel.h"

#include "ClientSession.h"
#include "FileIcons.h"
#include "RemoteMimeData.h"
#include "SizeText.h"
#include "VirtualPath.h"

#include <QCollatorSortKey>
#include <QHash>
#include <QLocale>

#include <algorithm>
#include <vector>

namespace ferry::gui {

struct RemoteModel::Node {
    Node(const RemoteEntry &entry, Node *parentNode, QCollatorSortKey sortKey)
        : name(entry.name), isDir(entry.isDir), size(entry.size), mtimeMs(entry.mtimeMs),
          key(std::move(sortKey)), parent(parentNode)
    {
    }

    QString name;
    bool isDir = true;
    qint64 size = 0;
    qint64 mtimeMs = 0;
    QCollatorSortKey key;            // computed once: sorting 100 000 names compares bytes, not strings
    Node *parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<Node>> children;
    QHash<QString, Node *> byName;
    enum class Listing { NotListed, Listing, Listed } listing = Listing::NotListed;
    quint64 listingToken = 0;        // the latest listing of this folder; pages of older ones are ignored
    quint64 seenInListing = 0;       // the token of the last listing of the parent that named this entry
};

RemoteModel::RemoteModel(ClientSession *session, QObject *parent)
    : QAbstractItemModel(parent), m_session(session), m_icons(std::make_unique<FileIcons>()),
      // The C locale collates by code point (no numeric order, "B" before "a"): English rules read better.
      m_collator(QLocale().language() == QLocale::C ? QLocale(QLocale::English) : QLocale())
{
    m_collator.setNumericMode(true);           // "file2" before "file10"
    m_collator.setCaseSensitivity(Qt::CaseInsensitive);
    m_root = makeNode(RemoteEntry{QString(), true, 0, 0}, nullptr);
}

RemoteModel::~RemoteModel() = default;

std::unique_ptr<RemoteModel::Node> RemoteModel::makeNode(const RemoteEntry &entry, Node *parent)
{
    return std::make_unique<Node>(entry, parent, m_collator.sortKey(entry.name));
}

void RemoteModel::reset()
{
    beginResetModel();
    m_root = makeNode(RemoteEntry{QString(), true, 0, 0}, nullptr);
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
            std::unique_ptr<Node> created = makeNode(RemoteEntry{segment, true, 0, 0}, node);
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
    return RemoteEntry{node->name, node->isDir, node->size, node->mtimeMs};
}

bool RemoteModel::isLoading(const QModelIndex &folder) const
{
    return nodeOf(folder)->listing == Node::Listing::Listing;
}

bool RemoteModel::isLoaded(const QModelIndex &folder) const
{
    return nodeOf(folder)->listing == Node::Listing::Listed;
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

// ---- listing ----

void RemoteModel::startListing(Node *folder)
{
    if (!m_session || m_session->state() != ClientSession::State::Ready)
        return;
    const bool wasLoading = isLoadingAnything();
    if (folder->listing == Node::Listing::Listing)
        m_listingsInFlight.remove(folder->listingToken);   // superseded: its later pages are ignored
    const quint64 token = ++m_nextListingToken;
    folder->listingToken = token;
    folder->listing = Node::Listing::Listing;
    m_listingsInFlight.insert(token);
    if (!wasLoading)
        emit loadingChanged(true);

    const QString path = pathOf(folder);
    QPointer<RemoteModel> self(this);
    m_session->listPaged(path, [self, path, token](const Result<QList<RemoteEntry>> &page, bool last) {
        if (self)
            self->onListingPage(path, token, page, last);
    });
}

void RemoteModel::onListingPage(const QString &path, quint64 token, const Result<QList<RemoteEntry>> &page,
                                bool last)
{
    Node *folder = findNode(path);
    // The folder may be gone (removed by its parent's refresh, or a reset) or listed again meanwhile.
    const bool current = folder && folder->listingToken == token && m_listingsInFlight.contains(token);
    if (current && page.ok()) {
        applyPage(folder, *page);
        emit loadProgress(path, int(folder->children.size()));
    }
    if (!last)
        return;
    if (current)
        finishListing(folder, page.ok() ? Error{} : page.error());
    forgetListing(token);
}

void RemoteModel::forgetListing(quint64 token)
{
    if (m_listingsInFlight.remove(token) && m_listingsInFlight.isEmpty())
        emit loadingChanged(false);
}

void RemoteModel::applyPage(Node *folder, const QList<RemoteEntry> &entries)
{
    std::vector<std::unique_ptr<Node>> fresh;
    QSet<QString> freshNames;
    for (const RemoteEntry &entry : entries) {
        if (Node *existing = folder->byName.value(entry.name)) {
            existing->seenInListing = folder->listingToken;
            updateRow(existing, entry);
        } else if (!freshNames.contains(entry.name)) {
            freshNames.insert(entry.name);
            fresh.push_back(makeNode(entry, folder));
            fresh.back()->seenInListing = folder->listingToken;
        }
    }
    if (fresh.empty())
        return;
    std::stable_sort(fresh.begin(), fresh.end(),
                     [this](const auto &left, const auto &right) { return lessThan(left.get(), right.get()); });
    const int first = int(folder->children.size());
    beginInsertRows(indexOf(folder), first, first + int(fresh.size()) - 1);
    for (std::unique_ptr<Node> &node : fresh) {
        node->row = int(folder->children.size());
        folder->byName.insert(node->name, node.get());
        folder->children.push_back(std::move(node));
    }
    endInsertRows();
    mergeNewRows(folder, first);
}

void RemoteModel::updateRow(Node *node, const RemoteEntry &entry)
{
    if (node->isDir == entry.isDir && node->size == entry.size && node->mtimeMs == entry.mtimeMs)
        return;
    if (node->isDir && !entry.isDir) {
        // A folder replaced by a file: what was known inside it is gone.
        if (!node->children.empty())
            removeChildren(node, 0, int(node->children.size()) - 1);
        node->listing = Node::Listing::NotListed;
    }
    node->isDir = entry.isDir;
    node->size = entry.size;
    node->mtimeMs = entry.mtimeMs;
    emit dataChanged(indexOf(node, NameColumn), indexOf(node, ColumnCount - 1));
}

void RemoteModel::finishListing(Node *folder, const Error &error)
{
    if (error.isError()) {
        // A lost connection is retried after reconnecting; anything else is an answer (and must not make a
        // view fetch the same folder again and again).
        folder->listing = error.code == QLatin1String("connection_lost") ? Node::Listing::NotListed
                                                                         : Node::Listing::Listed;
        emit loadFailed(pathOf(folder), error);
        return;
    }
    removeUnseenChildren(folder);
    folder->listing = Node::Listing::Listed;
    const auto byOrder = [this](const auto &left, const auto &right) { return lessThan(left.get(), right.get()); };
    if (!std::is_sorted(folder->children.begin(), folder->children.end(), byOrder)) {
        // Sizes or times of known rows changed their order.
        emit layoutAboutToBeChanged({}, VerticalSortHint);
        const QModelIndexList before = persistentIndexList();
        sortChildren(folder, false);
        QModelIndexList after;
        for (const QModelIndex &old : before)
            after.append(indexOf(static_cast<Node *>(old.internalPointer()), old.column()));
        changePersistentIndexList(before, after);
        emit layoutChanged({}, VerticalSortHint);
    }
    emit folderLoaded(pathOf(folder));
}

void RemoteModel::removeUnseenChildren(Node *folder)
{
    int last = int(folder->children.size()) - 1;
    while (last >= 0) {
        if (folder->children[size_t(last)]->seenInListing == folder->listingToken) {
            --last;
            continue;
        }
        int first = last;
        while (first > 0 && folder->children[size_t(first - 1)]->seenInListing != folder->listingToken)
            --first;
        removeChildren(folder, first, last);
        last = first - 1;
    }
}

void RemoteModel::removeChildren(Node *folder, int first, int last)
{
    beginRemoveRows(indexOf(folder), first, last);
    for (int row = first; row <= last; ++row)
        folder->byName.remove(folder->children[size_t(row)]->name);
    folder->children.erase(folder->children.begin() + first, folder->children.begin() + last + 1);
    for (size_t row = size_t(first); row < folder->children.size(); ++row)
        folder->children[row]->row = int(row);
    endRemoveRows();
}

// ---- order ----

bool RemoteModel::lessThan(const Node *left, const Node *right) const
{
    if (left->isDir != right->isDir)
        return left->isDir;   // folders first, in either order
    int order = 0;
    if (m_sortColumn == SizeColumn && !left->isDir)
        order = left->size < right->size ? -1 : (left->size > right->size ? 1 : 0);
    else if (m_sortColumn == ModifiedColumn)
        order = left->mtimeMs < right->mtimeMs ? -1 : (left->mtimeMs > right->mtimeMs ? 1 : 0);
    if (order == 0)
        order = left->key.compare(right->key);
    if (order == 0)
        order = left->name.compare(right->name);
    return m_sortOrder == Qt::AscendingOrder ? order < 0 : order > 0;
}

void RemoteModel::mergeNewRows(Node *folder, int sortedFrom)
{
    auto &children = folder->children;
    if (sortedFrom <= 0 || size_t(sortedFrom) >= children.size()
        || !lessThan(children[size_t(sortedFrom)].get(), children[size_t(sortedFrom - 1)].get()))
        return;   // already in order (the common case when a listing streams in sorted)
    const QModelIndex parentIndex = indexOf(folder);
    const QList<QPersistentModelIndex> parents =
            parentIndex.isValid() ? QList<QPersistentModelIndex>{parentIndex} : QList<QPersistentModelIndex>{};
    emit layoutAboutToBeChanged(parents, VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    std::inplace_merge(children.begin(), children.begin() + sortedFrom, children.end(),
                       [this](const auto &left, const auto &right) { return lessThan(left.get(), right.get()); });
    for (size_t row = 0; row < children.size(); ++row)
        children[row]->row = int(row);
    QModelIndexList from;
    QModelIndexList to;
    for (const QModelIndex &old : before) {
        Node *node = static_cast<Node *>(old.internalPointer());
        if (node->parent == folder) {
            from.append(old);
            to.append(indexOf(node, old.column()));
        }
    }
    changePersistentIndexList(from, to);
    emit layoutChanged(parents, VerticalSortHint);
}

void RemoteModel::sortChildren(Node *folder, bool recursive)
{
    std::stable_sort(folder->children.begin(), folder->children.end(),
                     [this](const auto &left, const auto &right) { return lessThan(left.get(), right.get()); });
    for (size_t row = 0; row < folder->children.size(); ++row) {
        folder->children[row]->row = int(row);
        if (recursive && !folder->children[row]->children.empty())
            sortChildren(folder->children[row].get(), true);
    }
}

void RemoteModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount || (column == m_sortColumn && order == m_sortOrder))
        return;
    m_sortColumn = column;
    m_sortOrder = order;
    emit layoutAboutToBeChanged({}, VerticalSortHint);
    const QModelIndexList before = persistentIndexList();
    sortChildren(m_root.get(), true);
    QModelIndexList after;
    for (const QModelIndex &old : before)
        after.append(indexOf(static_cast<Node *>(old.internalPointer()), old.column()));
    changePersistentIndexList(before, after);
    emit layoutChanged({}, VerticalSortHint);
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

Qt::ItemFlags RemoteModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::ItemIsDropEnabled;
    Qt::ItemFlags flags = Qt::ItemIsEnabled | Qt::ItemIsSelectable | Qt::ItemIsDragEnabled;
    if (nodeOf(index)->isDir)
        flags |= Qt::ItemIsDropEnabled;
    else
        flags |= Qt::ItemNeverHasChildren;
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
