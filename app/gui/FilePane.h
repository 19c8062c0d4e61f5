#pragma once
// What the two panes have in common: a PaneView under a PathBar, the pane actions (open, transfer, rename,
// delete, new folder, refresh, copy path, back, up), the folders visited, and the operations those actions
// call. LocalPane implements them for this computer, RemotePane for the server.

#include "NavigationHistory.h"
#include "PaneActions.h"

#include <QWidget>

namespace ferry::gui {

class DialogProvider;
class PaneView;
class PathBar;

class FilePane : public QWidget {
    Q_OBJECT
public:
    PaneView *view() const { return m_view; }
    PathBar *pathBar() const { return m_pathBar; }
    const PaneActions &actions() const { return m_actions; }
    QString currentPath() const { return m_currentPath; }

    virtual QStringList selectedPaths() const = 0;
    virtual void setConnected(bool connected) = 0;

    virtual void openSelected() = 0;
    // Upload (local pane) or download (remote pane) the selection.
    virtual void transferSelected() = 0;
    virtual void goBack() = 0;
    virtual void goUp() = 0;
    virtual void refresh() = 0;
    virtual void createFolder() = 0;
    // F2: edits the selected name in place; the committed name goes to renameEntry().
    void renameSelected();
    virtual void renameEntry(const QModelIndex &index, const QString &newName) = 0;
    virtual void deleteSelected() = 0;
    virtual void copyPath() = 0;

signals:
    void currentPathChanged(const QString &path);
    void errorOccurred(const QString &message);

protected:
    FilePane(DialogProvider *dialogs, QWidget *parent);
    // Connects the pane actions to the operations above (once m_actions exists).
    void wireActions();

    DialogProvider *m_dialogs;
    PaneView *m_view = nullptr;
    PathBar *m_pathBar = nullptr;
    PaneActions m_actions;
    NavigationHistory m_history;
    QString m_currentPath;
};

} // namespace ferry::gui
