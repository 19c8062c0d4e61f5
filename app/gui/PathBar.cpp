#include "PathBar.h"

#include "PaneActions.h"

#include <QAction>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QToolButton>

namespace ferry::gui {

PathBar::PathBar(const QString &title, const PaneActions &actions, QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);

    auto *titleLabel = new QLabel(QStringLiteral("<b>%1</b>").arg(title.toHtmlEscaped()));
    layout->addWidget(titleLabel);
    layout->addSpacing(6);
    for (QAction *action : {actions.back, actions.up, actions.refresh, actions.newFolder}) {
        auto *button = new QToolButton;
        button->setDefaultAction(action);
        button->setAutoRaise(true);
        layout->addWidget(button);
    }

    m_edit = new QLineEdit;
    m_edit->setClearButtonEnabled(false);
    m_edit->setToolTip(tr("Type a folder and press Enter"));
    layout->addWidget(m_edit, 1);

    m_busy = new QProgressBar;
    m_busy->setRange(0, 0);   // indeterminate
    m_busy->setMaximumWidth(60);
    m_busy->setMaximumHeight(12);
    m_busy->setTextVisible(false);
    m_busyText = new QLabel;
    layout->addWidget(m_busy);
    layout->addWidget(m_busyText);
    m_busy->hide();
    m_busyText->hide();

    connect(m_edit, &QLineEdit::returnPressed, this, [this] { emit pathEntered(typedPath()); });
}

void PathBar::setPath(const QString &path)
{
    m_edit->setText(path);
}

QString PathBar::typedPath() const
{
    return m_edit->text().trimmed();
}

void PathBar::setBusy(const QString &text)
{
    m_busy->setVisible(!text.isEmpty());
    m_busyText->setVisible(!text.isEmpty());
    m_busyText->setText(text);
}

bool PathBar::isBusy() const
{
    return !m_busy->isHidden();
}

} // namespace ferry::gui
