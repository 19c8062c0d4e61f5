#include "WidgetDialogs.h"

#include "ConflictDialog.h"
#include "ConnectDialog.h"
#include "ServerIdentityDialog.h"

#include <QInputDialog>
#include <QMessageBox>
#include <QPushButton>

namespace ferry::gui {

std::optional<QString> WidgetDialogs::askText(QWidget *parent, const QString &title, const QString &label,
                                              const QString &initial)
{
    QInputDialog dialog(parent);
    dialog.setWindowTitle(title);
    dialog.setLabelText(label);
    dialog.setTextValue(initial);
    dialog.resize(qMax(dialog.width(), 360), dialog.height());
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.textValue();
}

std::optional<QString> WidgetDialogs::askPassword(QWidget *parent, const QString &title, const QString &label)
{
    bool ok = false;
    const QString password = QInputDialog::getText(parent, title, label, QLineEdit::Password, QString(), &ok);
    if (!ok)
        return std::nullopt;
    return password;
}

bool WidgetDialogs::confirm(QWidget *parent, const QString &title, const QString &text, const QString &acceptLabel)
{
    QMessageBox box(QMessageBox::Warning, title, text, QMessageBox::Cancel, parent);
    QPushButton *accept = box.addButton(acceptLabel, QMessageBox::DestructiveRole);
    box.setDefaultButton(QMessageBox::Cancel);
    box.exec();
    return box.clickedButton() == accept;
}

void WidgetDialogs::askConflict(QWidget *parent, const ConflictResolver::Conflict &conflict, ConflictAnswer answer)
{
    // Window-modal and asynchronous: transfers and the rest of the window keep running meanwhile.
    auto *dialog = new ConflictDialog(conflict, parent);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    QObject::connect(dialog, &QDialog::finished, dialog,
                     [dialog, answer] { answer(dialog->choice(), dialog->applyToAll()); });
    dialog->open();
}

std::optional<ConnectionParams> WidgetDialogs::askConnection(QWidget *parent, const ConnectionParams &suggestion)
{
    ConnectDialog dialog(m_sites, m_passwords, parent);
    dialog.setParams(suggestion);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.params();
}

bool WidgetDialogs::askTrustServer(QWidget *parent, const IdentityCheck &check)
{
    ServerIdentityDialog dialog(ServerIdentityDialog::Kind::FirstContact, check, parent);
    return dialog.exec() == QDialog::Accepted;
}

void WidgetDialogs::showIdentityChanged(QWidget *parent, const IdentityCheck &check)
{
    ServerIdentityDialog dialog(ServerIdentityDialog::Kind::Changed, check, parent);
    dialog.exec();
}

} // namespace ferry::gui
