#include "ConnectDialog.h"

#include "Icons.h"
#include "KnownServers.h"
#include "NearbyServers.h"
#include "PasswordStore.h"
#include "SiteStore.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPointer>
#include <QPushButton>
#include <QSpinBox>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace ferry::gui {

namespace {
constexpr int KindRole = Qt::UserRole + 1;
constexpr int HostRole = Qt::UserRole + 2;
constexpr int PortRole = Qt::UserRole + 3;
constexpr int UserRole = Qt::UserRole + 4;
constexpr int NameRole = Qt::UserRole + 5;
constexpr int DiscoveryMs = 2500;
} // namespace

ConnectDialog::ConnectDialog(SiteStore *sites, PasswordStore *passwords, QWidget *parent)
    : QDialog(parent), m_sites(sites), m_passwords(passwords), m_discovery(new NearbyServers(this))
{
    setWindowTitle(tr("Connect to a Ferry server"));
    buildList();
    QLayout *form = buildForm();
    auto *refresh = new QPushButton(Icons::refresh(), tr("Search again"));
    QLayout *siteButtons = buildSiteButtons(refresh);

    auto *right = new QVBoxLayout;
    right->addLayout(form);
    right->addStretch();
    right->addLayout(siteButtons);
    auto *columns = new QHBoxLayout;
    columns->addWidget(m_list, 2);
    columns->addLayout(right, 3);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    m_connect = buttons->addButton(tr("&Connect"), QDialogButtonBox::AcceptRole);
    m_connect->setAutoDefault(false);   // default only with a password (updateButtons), never by showing
    buttons->button(QDialogButtonBox::Cancel)->setAutoDefault(false);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(columns);
    layout->addWidget(buttons);
    resize(680, 380);

    connect(buttons, &QDialogButtonBox::accepted, this, &ConnectDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &ConnectDialog::reject);
    wire(refresh);
    reloadSavedAndRecent();
    updateButtons();
    updateIdentity();
}

void ConnectDialog::buildList()
{
    m_list = new QTreeWidget;
    m_list->setHeaderHidden(true);
    m_list->setRootIsDecorated(false);
    m_list->setMinimumWidth(230);
    m_list->setIndentation(12);
    QFont groupFont = m_list->font();
    groupFont.setBold(true);
    const auto makeGroup = [&](const QString &title) {
        auto *group = new QTreeWidgetItem(m_list, {title});
        group->setFlags(Qt::ItemIsEnabled);
        group->setFont(0, groupFont);
        group->setExpanded(true);
        return group;
    };
    m_savedGroup = makeGroup(tr("Saved sites"));
    m_recentGroup = makeGroup(tr("Recent"));
    m_nearbyGroup = makeGroup(tr("Nearby servers"));
}

QLayout *ConnectDialog::buildForm()
{
    m_host = new QLineEdit;
    m_host->setPlaceholderText(tr("server name or address"));
    m_port = new QSpinBox;
    m_port->setRange(1, 65535);
    m_port->setValue(7420);
    m_user = new QLineEdit;
    m_password = new QLineEdit;
    m_password->setEchoMode(QLineEdit::Password);
    m_remember = new QCheckBox(tr("Remember the password in the system keyring"));
    const auto showKeyring = [this] {
        m_remember->setEnabled(m_passwords->isAvailable());
        if (!m_passwords->isAvailable()) {
            m_remember->setChecked(false);
            m_remember->setToolTip(tr("No system keyring is available; Ferry never stores passwords elsewhere."));
        }
    };
    showKeyring();
    connect(m_passwords, &PasswordStore::availabilityChanged, this, showKeyring);

    auto *hostRow = new QHBoxLayout;
    hostRow->addWidget(m_host, 1);
    hostRow->addWidget(new QLabel(tr("Port:")));
    hostRow->addWidget(m_port);
    const auto label = [](const QString &text, QWidget *buddy) {
        auto *widget = new QLabel(text);
        widget->setBuddy(buddy);   // Alt+letter goes to the field
        return widget;
    };
    m_identity = new QLabel;
    m_identity->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_forgetIdentity = new QPushButton(tr("&Forget identity"));
    m_forgetIdentity->setAutoDefault(false);
    m_forgetIdentity->setToolTip(tr("Ferry will ask again, showing the server's code, at the next connection. "
                                    "Do this only after the server's admin confirmed that its identity changed."));
    auto *identityRow = new QHBoxLayout;
    identityRow->addWidget(m_identity, 1);
    identityRow->addWidget(m_forgetIdentity);

    auto *form = new QFormLayout;
    form->addRow(label(tr("&Server:"), m_host), hostRow);
    form->addRow(label(tr("&User:"), m_user), m_user);
    form->addRow(label(tr("&Password:"), m_password), m_password);
    form->addRow(QString(), m_remember);
    form->addRow(tr("Identity:"), identityRow);
    return form;
}

QLayout *ConnectDialog::buildSiteButtons(QPushButton *refresh)
{
    m_save = new QPushButton(tr("Save as site…"));
    m_delete = new QPushButton(tr("Delete site"));
    refresh->setToolTip(tr("Look for Ferry servers on the local network"));
    for (QPushButton *button : {m_save, m_delete, refresh})
        button->setAutoDefault(false);   // Enter connects, whichever of these had the focus
    auto *siteButtons = new QHBoxLayout;
    siteButtons->addWidget(m_save);
    siteButtons->addWidget(m_delete);
    siteButtons->addStretch();
    siteButtons->addWidget(refresh);
    return siteButtons;
}

void ConnectDialog::wire(QPushButton *refresh)
{
    connect(m_list, &QTreeWidget::currentItemChanged, this, [this](QTreeWidgetItem *item) { onItemSelected(item); });
    connect(m_list, &QTreeWidget::itemDoubleClicked, this, [this](QTreeWidgetItem *item) {
        if (item->data(0, KindRole).toInt() != 0 && params().isComplete())
            accept();
    });
    connect(m_save, &QPushButton::clicked, this, &ConnectDialog::saveAsSite);
    connect(m_delete, &QPushButton::clicked, this, &ConnectDialog::deleteSite);
    connect(m_forgetIdentity, &QPushButton::clicked, this, &ConnectDialog::forgetIdentity);
    connect(m_host, &QLineEdit::textChanged, this, &ConnectDialog::updateIdentity);
    connect(m_port, &QSpinBox::valueChanged, this, &ConnectDialog::updateIdentity);
    connect(refresh, &QPushButton::clicked, this, &ConnectDialog::searchNearby);
    connect(m_discovery, &NearbyServers::serverFound, this, &ConnectDialog::addNearby);
    connect(m_discovery, &NearbyServers::serverChanged, this, &ConnectDialog::updateNearby);
    connect(m_discovery, &NearbyServers::finished, this, [this] {
        if (m_searching)   // still there: nobody answered
            m_searching->setText(0, tr("none found"));
    });
    // The password too: Connect is the default button only with one.
    for (QLineEdit *edit : {m_host, m_user, m_password})
        connect(edit, &QLineEdit::textChanged, this, &ConnectDialog::updateButtons);
}

ConnectDialog::~ConnectDialog() = default;

void ConnectDialog::setParams(const ConnectionParams &params)
{
    m_host->setText(params.host);
    m_port->setValue(params.port);
    m_user->setText(params.user);
    m_password->setText(params.password);
    (params.host.isEmpty() ? m_host : params.user.isEmpty() ? m_user : m_password)->setFocus();
}

ConnectionParams ConnectDialog::params() const
{
    ConnectionParams params;
    params.host = m_host->text().trimmed();
    params.port = quint16(m_port->value());
    params.user = m_user->text().trimmed();
    params.password = m_password->text();
    return params;
}

void ConnectDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    updateButtons();   // the button box made its accept button the default while showing
    if (!m_searchedOnce) {
        m_searchedOnce = true;
        searchNearby();
    }
}

void ConnectDialog::searchNearby()
{
    qDeleteAll(m_nearbyGroup->takeChildren());
    m_searching = new QTreeWidgetItem(m_nearbyGroup, {tr("searching…")});
    m_searching->setFlags(Qt::NoItemFlags);
    m_discovery->start(DiscoveryMs);
    if (!m_discovery->mdnsProblem().isEmpty())
        qInfo("ferry: %s", qPrintable(m_discovery->mdnsProblem()));   // the list then shows broadcast answers only
}

void ConnectDialog::addNearby(const DiscoveredServer &server)
{
    const QString address = server.address.toString();
    auto *item = new QTreeWidgetItem(m_nearbyGroup);
    item->setIcon(0, Icons::connect());
    item->setData(0, KindRole, NearbyItem);
    item->setData(0, HostRole, address);
    item->setData(0, PortRole, server.port);
    if (m_searching) {
        delete m_searching;
        m_searching = nullptr;
    }
    updateNearby(m_nearbyGroup->indexOfChild(item), server);
}

// Entries are added in the order NearbyServers lists them, so its index is the row.
void ConnectDialog::updateNearby(int index, const DiscoveredServer &server)
{
    QTreeWidgetItem *item = m_nearbyGroup->child(index);
    if (!item)
        return;
    const QString address = server.address.toString();
    item->setText(0, tr("%1 (%2:%3, %4)").arg(server.name, address).arg(server.port)
                         .arg(NearbyServers::foundByText(server.foundBy)));
    QString tip = item->text(0);   // whole: the narrow list cuts it
    if (!server.identity.isEmpty())
        tip += QLatin1Char('\n') + tr("Announced identity %1 (checked when connecting)").arg(server.identity);
    if (server.tls && !server.fingerprint.isEmpty())
        tip += QLatin1Char('\n') + tr("TLS certificate %1").arg(server.fingerprint);
    item->setToolTip(0, tip);
}

void ConnectDialog::reloadSavedAndRecent()
{
    qDeleteAll(m_savedGroup->takeChildren());
    qDeleteAll(m_recentGroup->takeChildren());
    const QIcon siteIcon = Icons::connect();
    for (const SavedSite &site : m_sites->sites()) {
        auto *item = new QTreeWidgetItem(m_savedGroup, {site.name});
        item->setIcon(0, siteIcon);
        item->setToolTip(0, site.params.displayName());
        item->setData(0, KindRole, SiteItem);
        item->setData(0, NameRole, site.name);
        item->setData(0, HostRole, site.params.host);
        item->setData(0, PortRole, site.params.port);
        item->setData(0, UserRole, site.params.user);
    }
    const QIcon recentIcon = Icons::connect();
    for (const ConnectionParams &params : m_sites->recent()) {
        auto *item = new QTreeWidgetItem(m_recentGroup, {params.displayName()});
        item->setIcon(0, recentIcon);
        item->setData(0, KindRole, RecentItem);
        item->setData(0, HostRole, params.host);
        item->setData(0, PortRole, params.port);
        item->setData(0, UserRole, params.user);
    }
    m_savedGroup->setHidden(m_savedGroup->childCount() == 0);
    m_recentGroup->setHidden(m_recentGroup->childCount() == 0);
}

void ConnectDialog::onItemSelected(QTreeWidgetItem *item)
{
    updateButtons();
    if (!item || item->data(0, KindRole).toInt() == 0)
        return;
    ConnectionParams chosen;
    chosen.host = item->data(0, HostRole).toString();
    chosen.port = quint16(item->data(0, PortRole).toUInt());
    chosen.user = item->data(0, UserRole).toString();
    if (chosen.user.isEmpty())
        chosen.user = m_user->text();   // a nearby server: keep the name typed so far
    setParams(chosen);
    if (chosen.isComplete()) {
        // The keyring answers later; only fill in if the form still shows that connection.
        QPointer<ConnectDialog> self(this);
        m_passwords->read(chosen.displayName(), [self, chosen](std::optional<QString> password) {
            if (self && password && self->params().sameServerAndUser(chosen) && self->m_password->text().isEmpty()) {
                self->m_password->setText(*password);
                self->m_remember->setChecked(true);
            }
        });
    }
}

void ConnectDialog::saveAsSite()
{
    const ConnectionParams current = params();
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Save site"), tr("Name of the site:"), QLineEdit::Normal,
                                               current.host, &ok)
                                 .trimmed();
    if (!ok || name.isEmpty())
        return;
    m_sites->saveSite(SavedSite{name, current});
    if (m_remember->isChecked() && !current.password.isEmpty())
        m_passwords->write(current.displayName(), current.password);
    reloadSavedAndRecent();
}

void ConnectDialog::deleteSite()
{
    QTreeWidgetItem *item = m_list->currentItem();
    if (!item || item->data(0, KindRole).toInt() != SiteItem)
        return;
    m_sites->removeSite(item->data(0, NameRole).toString());
    reloadSavedAndRecent();
}

void ConnectDialog::updateButtons()
{
    const ConnectionParams current = params();
    m_connect->setEnabled(current.isComplete());
    // Enter connects (again after being disabled), but not with an empty password: Enter in a dialog opened
    // by a stray Ctrl+K must not end a live session with a failed login.
    m_connect->setDefault(current.isComplete() && !current.password.isEmpty());
    m_save->setEnabled(current.isComplete());
    const QTreeWidgetItem *item = m_list->currentItem();
    m_delete->setEnabled(item && item->data(0, KindRole).toInt() == SiteItem);
}

void ConnectDialog::updateIdentity()
{
    const QString host = m_host->text().trimmed();
    const ServerIdentity known = host.isEmpty() ? ServerIdentity() : KnownServers().find(host, quint16(m_port->value()));
    if (known.isValid()) {
        m_identity->setText(known.code());
        m_identity->setToolTip(tr("Remembered at the first connection. Ferry refuses this server if it ever "
                                  "shows another identity."));
    } else {
        m_identity->setText(tr("not known yet (shown at the first connection)"));
        m_identity->setToolTip(QString());
    }
    m_forgetIdentity->setEnabled(known.isValid());
}

void ConnectDialog::forgetIdentity()
{
    const Result<bool> forgotten = KnownServers().forget(m_host->text().trimmed(), quint16(m_port->value()));
    updateIdentity();
    if (!forgotten)
        m_identity->setText(tr("Cannot forget the identity: %1").arg(forgotten.error().message));
}

void ConnectDialog::accept()
{
    const ConnectionParams current = params();
    if (!current.isComplete())
        return;
    if (m_remember->isEnabled()) {
        if (m_remember->isChecked() && !current.password.isEmpty())
            m_passwords->write(current.displayName(), current.password);
        else if (!m_remember->isChecked())
            m_passwords->remove(current.displayName());
    }
    m_discovery->stop();
    QDialog::accept();
}

} // namespace ferry::gui
