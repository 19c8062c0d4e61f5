#include "ServerIdentityDialog.h"

#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace ferry::gui {

namespace {

QLabel *codeLabel(const QString &code)
{
    auto *label = new QLabel(code);
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    font.setPointSizeF(font.pointSizeF() * 2.2);
    font.setBold(true);
    label->setFont(font);
    label->setAlignment(Qt::AlignCenter);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    label->setObjectName(QStringLiteral("identityCode"));
    return label;
}

QLabel *textLabel(const QString &text)
{
    auto *label = new QLabel(text);
    label->setWordWrap(true);
    return label;
}

} // namespace

ServerIdentityDialog::ServerIdentityDialog(Kind kind, const IdentityCheck &check, QWidget *parent) : QDialog(parent)
{
    auto *layout = new QVBoxLayout(this);
    auto *buttons = new QDialogButtonBox;
    if (kind == Kind::FirstContact) {
        setWindowTitle(tr("New server"));
        layout->addWidget(textLabel(tr("This is the first connection to %1 from this computer. Its identity is:")
                                        .arg(check.address())));
        layout->addWidget(codeLabel(check.identity.code()));
        layout->addWidget(textLabel(tr("Compare it with the code the server shows: ferryd prints it when it starts "
                                       "(and \"ferryd identity\" prints it any time). Trust the server only if both "
                                       "codes are the same; Ferry remembers it and checks it at every connection.")));
        QPushButton *trust = buttons->addButton(tr("Trust this server"), QDialogButtonBox::AcceptRole);
        trust->setObjectName(QStringLiteral("trustButton"));
        buttons->addButton(QDialogButtonBox::Cancel)->setDefault(true);
    } else {
        setWindowTitle(tr("Server identity changed"));
        layout->addWidget(textLabel(tr("<b>The identity of %1 has changed.</b> Someone may be intercepting the "
                                       "connection, or the server was reinstalled with a new key.")
                                        .arg(check.address().toHtmlEscaped())));
        layout->addWidget(textLabel(tr("Remembered identity:")));
        layout->addWidget(codeLabel(check.known.code()));
        layout->addWidget(textLabel(tr("Identity it shows now:")));
        layout->addWidget(codeLabel(check.identity.code()));
        layout->addWidget(textLabel(tr("Ferry did not connect and sent nothing. Ask the server's admin which code "
                                       "\"ferryd identity\" prints. Only if it is the new one, forget the old identity "
                                       "(\"Forget identity\" in the Connect dialog, or run \"ferry-cli forget %1\") "
                                       "and connect again.")
                                        .arg(check.address())));
        buttons->addButton(QDialogButtonBox::Close);
    }
    layout->addWidget(buttons);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    setMinimumWidth(480);
}

} // namespace ferry::gui
