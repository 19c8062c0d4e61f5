#include "ConnectionParams.h"

#include "Protocol.h"

namespace ferry {

QString ConnectionParams::displayName() const
{
    const QString hostText = host.contains(QLatin1Char(':')) ? QStringLiteral("[%1]").arg(host) : host;
    return QStringLiteral("%1@%2:%3").arg(user, hostText).arg(port);
}

QUrl ConnectionParams::toUrl() const
{
    QUrl url;
    url.setScheme(QStringLiteral("ferry"));
    url.setUserName(user);
    url.setHost(host);
    url.setPort(port);
    return url;
}

std::optional<ConnectionParams> ConnectionParams::fromUrl(const QUrl &url)
{
    if (!url.isValid() || url.scheme() != QLatin1String("ferry") || url.host().isEmpty())
        return std::nullopt;
    ConnectionParams params;
    params.host = url.host();
    const int port = url.port(Limits::DefaultPort);
    if (port < 1 || port > 65535)
        return std::nullopt;
    params.port = quint16(port);
    params.user = url.userName();
    params.password = url.password();
    return params;
}

} // namespace ferry
