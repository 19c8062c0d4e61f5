#pragma once
// The local side: this computer's files (QFileSystemModel) with a path bar, Back/Up/Refresh/New folder,
// the pane actions, and drops from the remote pane (which queue downloads into the folder dropped on).

#include "FilePane.h"

class QFileSystemModel;

namespace ferry::gui {

class LocalPane : public FilePane {
    Q_OBJECT
public:
    explicit LocalPane(DialogProvider *dialogs, QWidget *parent = nullptr);

    QFileSystemModel *model() const { return m_model; }

    // Shows `path` (a folder); false and errorOccurred() when it is not one.
    bool navigateTo(const QString &path);
    QStringList selectedPaths() const override;
    void setConnected(bool connected) override;

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
    void uploadRequested(const QStringList &localPaths);
    // Remote paths dropped here (from the remote pane), to download into localDir.
    void downloadRequested(const QStringList &remotePaths, const QString &localDir);

private:
    bool show(const QString &path);
    void onActivated(const QModelIndex &index);
    void updateActions();
    void selectRenamedOnceShown();

    QFileSystemModel *m_model;
    QString m_selectWhenShown;   // an entry just renamed: selected once the model shows it under its new name
    bool m_connected = false;
};

} // namespace ferry::gui
