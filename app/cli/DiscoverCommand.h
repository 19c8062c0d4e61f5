#pragma once
// `ferry-cli discover`: searches the LAN for ferryd (mDNS and broadcast, NearbyServers) and prints one line
// per server: name, host:port, how it was found, and the identity it announces.

class QTextStream;

namespace ferry::cli {

// Runs an event loop for the search; returns 0 when a server answered, 1 when none did.
int runDiscover(QTextStream &out, QTextStream &err, int durationMs = 2500);

} // namespace ferry::cli
