#pragma once
// The remote model's tree node, shared by RemoteModel.cpp (the model interface) and
// RemoteModelListing.cpp (listing, merging pages, order). Private to RemoteModel.

#include "RemoteModel.h"

#include <QCollatorSortKey>
#include <QHash>

#include <memory>
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
    bool everListed = false;
    bool parentLink = false;         // the ".." row of a folder (setParentRows): no entry of the server
};

} // namespace ferry::gui
