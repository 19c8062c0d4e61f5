#pragma once
// A strip above the panes that says what went wrong (or what is going on) in plain words, with an
// optional action ("Reconnect now", "Connect…") and a close button. Errors stay until closed or replaced;
// information goes away by itself after a while.

#include <QFrame>
#include <QTimer>

#include <functional>

class QLabel;
class QPushButton;
class QToolButton;

namespace ferry::gui {

class MessageBar : public QFrame {
    Q_OBJECT
public:
    enum class Level { Information, Warning, Error };

    explicit MessageBar(QWidget *parent = nullptr);

    void showMessage(Level level, const QString &text, const QString &actionText = {},
                     std::function<void()> action = {});
    void dismiss();

    QString text() const;
    Level level() const { return m_level; }

private:
    Level m_level = Level::Information;
    QLabel *m_icon;
    QLabel *m_text;
    QPushButton *m_action;
    QToolButton *m_close;
    std::function<void()> m_onAction;
    QTimer m_autoHide;
};

} // namespace ferry::gui
