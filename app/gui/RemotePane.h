#pragma once
// The server side: the remote folders (RemoteModel) with a path bar, Back/Up/Refresh/New folder, the pane
// actions (mkdir, rename, delete go straight to the ClientSession), drops of local files (uploads), and a
// "Not connected" page with a Connect button while there is no session.

#include "NavigationHistory.h"
#include "PaneActions.h"
#include "Result.h"

#include <QWidget>

class QStackedWidget;

namespace ferry {
class ClientSession;
}

namespace ferry::gui {

class DialogProvider;
class PaneView;
class PathBar;
class RemoteModel;

class RemotePane : public QWidget {
    Q_OBJECT
public:
    RemotePane(ClientSession *session, DialogProvider *dialogs, QWidget *parent = nullptr);

    RemoteModel *model() const { return m_model; }
    PaneView *view() const { return m_view; }
    PathBar *pathBar() const { return m_pathBar; }
    const PaneActions &actions() const { return m_actions; }

    QString currentPath() const { return m_currentPath; }
    // Shows the folder `path`, checking first (stat) when it was never listed; errors go to errorOccurred().
    void navigateTo(const QString &path);
    QStringList selectedPaths() const;
    // Connected: the list (current folder refreshed); not connected: the "Connect…" page.
    void setConnected(bool connected);
    // Another server or user: forget everything and start at "/".
    void startOver();

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
    void downloadRequested(const QStringList &remotePaths);
    void openFileRequested(const QString &remotePath);
    void uploadRequested(const QStringList &localPaths, const QString &remoteDir);
    void errorOccurred(const QString &message);
    void connectRequested();
    // Something on the server changed through this pane (usage may have changed).
    void serverChanged();

private:
    void show(const QString &path);
    void onActivated(const QModelIndex &index);
    void onFolderLoaded(const QString &path);
    void updateBusy();
    void updateActions();
    void reportFailure(const QString &what, const Error &error);
    static QString parentOf(const QString &path);
    static QString join(const QString &folder, const QString &name);

    ClientSession *m_session;
    DialogProvider *m_dialogs;
    RemoteModel *m_model;
    PaneView *m_view;
    PathBar *m_pathBar;
    QStackedWidget *m_pages;
    PaneActions m_actions;
    NavigationHistory m_history;
    QString m_currentPath = QStringLiteral("/");
    QString m_selectWhenListed;   // a folder just created, selected once its parent's listing shows it
    bool m_connected = false;
};

} // namespace ferry::gui
