#pragma once
// The remote pane's model: a lazy tree over the server's folders. A folder is listed (ClientSession::
// listPaged) only when a view expands or enters it; its rows appear page by page, so a folder of 100 000
// entries fills in gradually instead of freezing the window. Refreshing a folder keeps the rows that are
// still there (and with them expansion and selection) and applies only what changed.
//
// The model sorts itself (folders first, then name / size / modified): a sorting proxy over a model that
// grows by a thousand rows at a time would announce every row separately.
//
// The invisible root is the user's home "/". Indexes of folders never seen yet can be made on demand
// (indexForPath), so a typed path can be shown before its parents were listed.

#include "RemoteEntry.h"
#include "Result.h"

#include <QAbstractItemModel>
#include <QCollator>
#include <QPointer>
#include <QSet>

#include <functional>
#include <memory>
#include <optional>

namespace ferry {
class ClientSession;
}

namespace ferry::gui {

class FileIcons;

class RemoteModel : public QAbstractItemModel {
    Q_OBJECT
public:
    enum Column { NameColumn, SizeColumn, ModifiedColumn, ColumnCount };
    enum Role { PathRole = Qt::UserRole + 1, IsDirRole, RawSizeRole, MtimeRole };

    explicit RemoteModel(ClientSession *session, QObject *parent = nullptr);
    ~RemoteModel() override;

    // Forgets everything (another server or user); the home is listed again when a view asks.
    void reset();
    // The index of the folder or file at `path` ("/" and invalid paths: the invisible root). Unknown path
    // segments become folder rows that are listed when shown.
    QModelIndex indexForPath(const QString &path);
    // The index of `path` if this model knows it (the invisible root for "/"); nullopt otherwise.
    std::optional<QModelIndex> findIndex(const QString &path) const;
    QString pathOf(const QModelIndex &index) const;   // "/" for the root
    bool isDir(const QModelIndex &index) const;       // the root is a folder
    // A ".." row first in every listed folder but the home, as file managers show (off by default). It
    // stands for "go up": not selectable for transfers, never dragged, renamed or listed.
    void setParentRows(bool enabled) { m_parentRows = enabled; }
    bool isParentRow(const QModelIndex &index) const;
    RemoteEntry entry(const QModelIndex &index) const;
    // Lists the folder again (the root for an invalid index), keeping rows that are still there.
    void refresh(const QModelIndex &folder);
    // refresh() of `path` when it is a folder this model has listed before; otherwise nothing.
    void refreshIfLoaded(const QString &path);
    bool isLoading(const QModelIndex &folder) const;
    bool isLoaded(const QModelIndex &folder) const;
    // Loading and never listed before (a refresh of a shown folder is not worth a busy indicator).
    bool isLoadingFirstTime(const QModelIndex &folder) const;
    bool isLoadingAnything() const { return !m_listingsInFlight.isEmpty(); }

    // How a drag out to another application gets local files: downloads the remote paths somewhere and
    // returns their local URLs (empty when it cannot). Called only when the drop target asks for files.
    using DragOutHandler = std::function<QList<QUrl>(const QStringList &remotePaths)>;
    void setDragOutHandler(DragOutHandler handler) { m_dragOutHandler = std::move(handler); }

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    bool hasChildren(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    bool canFetchMore(const QModelIndex &parent) const override;
    void fetchMore(const QModelIndex &parent) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;
    QStringList mimeTypes() const override;
    QMimeData *mimeData(const QModelIndexList &indexes) const override;
    Qt::DropActions supportedDragActions() const override { return Qt::CopyAction; }

signals:
    // A listing started or ended somewhere (for a busy indicator).
    void loadingChanged(bool loading);
    // Rows of `path` so far, while its listing streams in.
    void loadProgress(const QString &path, int entries);
    void folderLoaded(const QString &path);
    void loadFailed(const QString &path, const ferry::Error &error);

private:
    struct Node;
    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOf(const Node *node, int column = 0) const;
    Node *findNode(const QString &path) const;
    QString pathOf(const Node *node) const;
    void startListing(Node *folder);
    void onListingPage(const QString &path, quint64 token, const Result<QList<RemoteEntry>> &page, bool last);
    void applyPage(Node *folder, const QList<RemoteEntry> &entries);
    void finishListing(Node *folder, const Error &error);
    void updateRow(Node *node, const RemoteEntry &entry);
    void removeUnseenChildren(Node *folder);
    void removeChildren(Node *folder, int first, int last);
    // Moves the rows [sortedFrom, end) of `folder` (sorted among themselves) into order with the rest.
    void mergeNewRows(Node *folder, int sortedFrom);
    void sortChildren(Node *folder, bool recursive);
    bool lessThan(const Node *left, const Node *right) const;
    std::unique_ptr<Node> makeNode(const RemoteEntry &entry, Node *parent);
    void forgetListing(quint64 token);
    void ensureParentRow(Node *folder);

    QPointer<ClientSession> m_session;
    std::unique_ptr<Node> m_root;
    std::unique_ptr<FileIcons> m_icons;
    QCollator m_collator;
    int m_sortColumn = NameColumn;
    Qt::SortOrder m_sortOrder = Qt::AscendingOrder;
    quint64 m_nextListingToken = 0;
    QSet<quint64> m_listingsInFlight;   // tokens of listings whose last page has not arrived
    DragOutHandler m_dragOutHandler;
    bool m_parentRows = false;
};

} // namespace ferry::gui
