#include "MessageBar.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QStyle>
#include <QToolButton>

namespace ferry::gui {

namespace {
constexpr int InformationMs = 8000;
}

MessageBar::MessageBar(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("messageBar"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);

    m_icon = new QLabel;
    m_text = new QLabel;
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_action = new QPushButton;
    m_close = new QToolButton;
    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    m_close->setToolTip(tr("Close this message"));

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_icon);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_action);
    layout->addWidget(m_close);

    m_autoHide.setSingleShot(true);
    connect(&m_autoHide, &QTimer::timeout, this, &MessageBar::dismiss);
    connect(m_close, &QToolButton::clicked, this, &MessageBar::dismiss);
    connect(m_action, &QPushButton::clicked, this, [this] {
        const auto action = m_onAction;
        dismiss();
        if (action)
            action();
    });
    hide();
}

void MessageBar::showMessage(Level level, const QString &text, const QString &actionText,
                             std::function<void()> action)
{
    m_level = level;
    m_text->setText(text);
    m_onAction = std::move(action);
    m_action->setText(actionText);
    m_action->setVisible(!actionText.isEmpty() && m_onAction);

    QStyle::StandardPixmap icon = QStyle::SP_MessageBoxInformation;
    QColor background(0xe3, 0xf0, 0xfb);
    if (level == Level::Warning) {
        icon = QStyle::SP_MessageBoxWarning;
        background = QColor(0xfd, 0xf3, 0xd7);
    } else if (level == Level::Error) {
        icon = QStyle::SP_MessageBoxCritical;
        background = QColor(0xfb, 0xe3, 0xe1);
    }
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    m_icon->setPixmap(style()->standardIcon(icon, nullptr, this).pixmap(iconSize));
    QPalette pal = palette();
    pal.setColor(QPalette::Window, background);
    pal.setColor(QPalette::WindowText, QColor(0x20, 0x20, 0x20));
    setPalette(pal);

    if (level == Level::Information)
        m_autoHide.start(InformationMs);
    else
        m_autoHide.stop();
    show();
}

void MessageBar::dismiss()
{
    m_autoHide.stop();
    m_onAction = nullptr;
    hide();
}

QString MessageBar::text() const
{
    return isHidden() ? QString() : m_text->text();
}

} // namespace ferry::gui
