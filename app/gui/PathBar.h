#pragma once
// The strip above a pane's list: Back, Up, Refresh, New folder buttons, an editable path, and (for the
// remote pane) a busy indicator while a listing streams in.

#include <QWidget>

class QLabel;
class QLineEdit;
class QProgressBar;

namespace ferry::gui {

struct PaneActions;

class PathBar : public QWidget {
    Q_OBJECT
public:
    PathBar(const QString &title, const PaneActions &actions, QWidget *parent = nullptr);

    void setPath(const QString &path);
    QString typedPath() const;
    QLineEdit *edit() const { return m_edit; }
    // Shows the busy indicator with a text ("Loading… 12 000 items"); an empty text hides it.
    void setBusy(const QString &text);
    bool isBusy() const;

signals:
    void pathEntered(const QString &path);

private:
    QLineEdit *m_edit;
    QProgressBar *m_busy;
    QLabel *m_busyText;
};

} // namespace ferry::gui
