// The identity dialogs: first contact shows the code large and offers Trust / Cancel; a changed identity
// shows both codes and offers no way to connect.

#include "ServerIdentityDialog.h"

#include <QDialogButtonBox>
#include <QLabel>
#include <QPushButton>
#include <QtTest>

using namespace ferry;
using namespace ferry::gui;

namespace {

IdentityCheck exampleCheck()
{
    return IdentityCheck{QStringLiteral("192.168.1.20"), 7420, ServerIdentity::fromDigest(QByteArray(32, '\x5a')),
                         ServerIdentity::fromDigest(QByteArray(32, '\0'))};
}

QStringList codesShown(const QDialog &dialog)
{
    QStringList codes;
    for (const QLabel *label : dialog.findChildren<QLabel *>(QStringLiteral("identityCode")))
        codes.append(label->text());
    return codes;
}

} // namespace

class TestIdentityDialogs : public QObject {
    Q_OBJECT
private slots:
    void firstContactShowsTheCodeAndTrustAccepts()
    {
        ServerIdentityDialog dialog(ServerIdentityDialog::Kind::FirstContact, exampleCheck());
        QCOMPARE(codesShown(dialog), QStringList{QStringLiteral("B9D5-MPJT-B9D5-MPJT")});
        auto *trust = dialog.findChild<QPushButton *>(QStringLiteral("trustButton"));
        QVERIFY(trust);
        QVERIFY(!trust->isDefault());   // Enter does not trust by accident
        QTimer::singleShot(0, trust, &QPushButton::click);
        QCOMPARE(dialog.exec(), int(QDialog::Accepted));
    }

    void changedIdentityShowsBothCodesAndCannotConnect()
    {
        ServerIdentityDialog dialog(ServerIdentityDialog::Kind::Changed, exampleCheck());
        QCOMPARE(codesShown(dialog), (QStringList{QStringLiteral("0000-0000-0000-0000"), QStringLiteral("B9D5-MPJT-B9D5-MPJT")}));
        const QList<QAbstractButton *> buttons = dialog.findChild<QDialogButtonBox *>()->buttons();
        QCOMPARE(buttons.size(), 1);
        QCOMPARE(dialog.findChild<QDialogButtonBox *>()->buttonRole(buttons.first()), QDialogButtonBox::RejectRole);
        QVERIFY(!dialog.findChild<QPushButton *>(QStringLiteral("trustButton")));
    }
};

QTEST_MAIN(TestIdentityDialogs)
#include "tst_identitydialogs.moc"
