#pragma once
// The local side: this computer's files (QFileSystemModel) with a path bar, Back/Up/Refresh/New folder,
// the pane actions, and drops from the remote pane (which queue downloads into the folder dropped on).

#include "NavigationHistory.h"
#include "PaneActions.h"

#include <QWidget>

class QFileSystemModel;

namespace ferry::gui {

class DialogProvider;
class PaneView;
class PathBar;

class LocalPane : public QWidget {
    Q_OBJECT
public:
    explicit LocalPane(DialogProvider *dialogs, QWidget *parent = nullptr);

    QFileSystemModel *model() const { return m_model; }
    PaneView *view() const { return m_view; }
    PathBar *pathBar() const { return m_pathBar; }
    const PaneActions &actions() const { return m_actions; }

    QString currentPath() const { return m_currentPath; }
    // Shows `path` (a folder); false and errorOccurred() when it is not one.
    bool navigateTo(const QString &path);
    QStringList selectedPaths() const;
    void setConnected(bool connected);

    void openSelected();
    void goBack();
    void goUp();
    void refresh();
    void createFolder();
    void renameSelected();
    void deleteSelected();
    void copyPath();

signals:
    void currentPathChanged(const QString &path);
    void uploadRequested(const QStringList &localPaths);
    // Remote paths dropped here (from the remote pane), to download into localDir.
    void downloadRequested(const QStringList &remotePaths, const QString &localDir);
    void errorOccurred(const QString &message);

private:
    bool show(const QString &path);
    void onActivated(const QModelIndex &index);
    void updateActions();

    DialogProvider *m_dialogs;
    QFileSystemModel *m_model;
    PaneView *m_view;
    PathBar *m_pathBar;
    PaneActions m_actions;
    NavigationHistory m_history;
    QString m_currentPath;
    bool m_connected = false;
};

} // namespace ferry::gui
