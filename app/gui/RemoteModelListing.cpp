// RemoteModel: listing folders page by page, applying each page to the rows already there, and keeping
// every folder's rows in order. The model interface is in RemoteModel.cpp.

#include "RemoteModel.h"

#include "ClientSession.h"
#include "Protocol.h"
#include "RemoteModelNode.h"

#include <QSet>

#include <algorithm>

namespace ferry::gui {

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
    ensureParentRow(folder);
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

void RemoteModel::ensureParentRow(Node *folder)
{
    if (!m_parentRows || folder == m_root.get())
        return;
    if (folder->children.empty() || !folder->children.front()->parentLink) {
        RemoteEntry entry;
        entry.name = QStringLiteral("..");
        entry.isDir = true;
        std::unique_ptr<Node> link = makeNode(entry, folder);
        link->parentLink = true;
        link->listing = Node::Listing::Listed;   // nothing to list: it only leads up
        beginInsertRows(indexOf(folder), 0, 0);
        folder->children.insert(folder->children.begin(), std::move(link));
        for (size_t row = 0; row < folder->children.size(); ++row)
            folder->children[row]->row = int(row);
        endInsertRows();
    }
    folder->children.front()->seenInListing = folder->listingToken;   // stays through every listing
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
        folder->listing = error.code == ErrorCode::ConnectionLost ? Node::Listing::NotListed
                                                                         : Node::Listing::Listed;
        emit loadFailed(pathOf(folder), error);
        return;
    }
    removeUnseenChildren(folder);
    folder->listing = Node::Listing::Listed;
    folder->everListed = true;
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
    if (left->parentLink != right->parentLink)
        return left->parentLink;   // ".." stays first in either order
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

} // namespace ferry::gui
