#pragma once
// The server side: the remote folders (RemoteModel) with a path bar, Back/Up/Refresh/New folder, the pane
// actions (mkdir, rename, delete go straight to the ClientSession), drops of local files (uploads), and a
// "Not connected" page with a Connect button while there is no session.

#include "FilePane.h"
#include "Result.h"

class QStackedWidget;

namespace ferry {
class ClientSession;
}

namespace ferry::gui {

class RemoteModel;

class RemotePane : public FilePane {
    Q_OBJECT
public:
    RemotePane(ClientSession *session, DialogProvider *dialogs, QWidget *parent = nullptr);

    RemoteModel *model() const { return m_model; }

    // Shows the folder `path`, checking first (stat) when it was never listed; errors go to errorOccurred().
    void navigateTo(const QString &path);
    QStringList selectedPaths() const override;
    // Connected: the list (current folder refreshed); not connected: the "Connect…" page.
    void setConnected(bool connected) override;
    // Another server or user: forget everything and start at "/".
    void startOver();

    void openSelected() override;
    void transferSelected() override;
    void goBack() override;
    void goUp() override;
    void refresh() override;
    void createFolder() override;
    void renameEntry(const QModelIndex &index, const QString &newName) override;
    void deleteSelected() override;
    void copyPath() override;

signals:
    void downloadRequested(const QStringList &remotePaths);
    void openFileRequested(const QString &remotePath);
    void uploadRequested(const QStringList &localPaths, const QString &remoteDir);
    void connectRequested();
    // Something on the server changed through this pane (usage may have changed).
    void serverChanged();
    // The user asked for the server's current state (another client may have changed files and usage).
    void refreshed();

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
    RemoteModel *m_model;
    QStackedWidget *m_pages;
    QString m_selectWhenListed;   // an entry just created or renamed, selected once its parent's listing shows it
    bool m_connected = false;
};

} // namespace ferry::gui
