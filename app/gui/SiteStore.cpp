#include "SiteStore.h"

#include <QSettings>

namespace ferry::gui {

namespace {

const QString SitesKey = QStringLiteral("connections/sites");
const QString RecentKey = QStringLiteral("connections/recent");

ConnectionParams readParams(const QSettings &settings)
{
    ConnectionParams params;
    params.host = settings.value(QStringLiteral("host")).toString();
    params.port = quint16(settings.value(QStringLiteral("port"), 7420).toUInt());
    params.user = settings.value(QStringLiteral("user")).toString();
    return params;
}

void writeParams(QSettings &settings, const ConnectionParams &params)
{
    settings.setValue(QStringLiteral("host"), params.host);
    settings.setValue(QStringLiteral("port"), params.port);
    settings.setValue(QStringLiteral("user"), params.user);
}

} // namespace

QList<SavedSite> SiteStore::sites() const
{
    QSettings settings;
    QList<SavedSite> list;
    const int count = settings.beginReadArray(SitesKey);
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        SavedSite site{settings.value(QStringLiteral("name")).toString(), readParams(settings)};
        if (!site.name.isEmpty() && site.params.isComplete())
            list.append(site);
    }
    settings.endArray();
    return list;
}

void SiteStore::writeSites(const QList<SavedSite> &sites)
{
    QSettings settings;
    settings.remove(SitesKey);
    settings.beginWriteArray(SitesKey, int(sites.size()));
    for (int i = 0; i < sites.size(); ++i) {
        settings.setArrayIndex(i);
        settings.setValue(QStringLiteral("name"), sites[i].name);
        writeParams(settings, sites[i].params);
    }
    settings.endArray();
}

void SiteStore::saveSite(const SavedSite &site)
{
    QList<SavedSite> list = sites();
    SavedSite stored = site;
    stored.params.password.clear();
    auto existing = std::find_if(list.begin(), list.end(), [&](const SavedSite &s) { return s.name == site.name; });
    if (existing != list.end())
        *existing = stored;
    else
        list.append(stored);
    writeSites(list);
}

void SiteStore::removeSite(const QString &name)
{
    QList<SavedSite> list = sites();
    list.removeIf([&](const SavedSite &s) { return s.name == name; });
    writeSites(list);
}

QList<ConnectionParams> SiteStore::recent() const
{
    QSettings settings;
    QList<ConnectionParams> list;
    const int count = settings.beginReadArray(RecentKey);
    for (int i = 0; i < count; ++i) {
        settings.setArrayIndex(i);
        const ConnectionParams params = readParams(settings);
        if (params.isComplete())
            list.append(params);
    }
    settings.endArray();
    return list;
}

void SiteStore::addRecent(const ConnectionParams &params)
{
    QList<ConnectionParams> list = recent();
    list.removeIf([&](const ConnectionParams &p) { return p.sameServerAndUser(params); });
    ConnectionParams stored = params;
    stored.password.clear();
    list.prepend(stored);
    while (list.size() > MaxRecent)
        list.removeLast();
    QSettings settings;
    settings.remove(RecentKey);
    settings.beginWriteArray(RecentKey, int(list.size()));
    for (int i = 0; i < list.size(); ++i) {
        settings.setArrayIndex(i);
        writeParams(settings, list[i]);
    }
    settings.endArray();
}

void SiteStore::clearRecent()
{
    QSettings().remove(RecentKey);
}

} // namespace ferry::gui
