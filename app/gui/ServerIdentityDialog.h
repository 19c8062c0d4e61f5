#pragma once
// The two questions about a server's identity: first contact (shows the code large, says where to find it
// on the server, Trust / Cancel) and "identity changed" (both codes, no way to connect from here: the user
// must forget the old identity first, after checking with the server's admin).

#include "KnownServers.h"

#include <QDialog>

namespace ferry::gui {

class ServerIdentityDialog : public QDialog {
    Q_OBJECT
public:
    enum class Kind { FirstContact, Changed };
    ServerIdentityDialog(Kind kind, const IdentityCheck &check, QWidget *parent = nullptr);
};

} // namespace ferry::gui
