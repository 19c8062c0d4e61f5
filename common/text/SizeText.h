#pragma once
// Sizes as people type and read them: "10G" (powers of 1024) and "1.5 GiB".

#include <QString>

#include <optional>

namespace ferry {

// Plain bytes or a K/M/G/T suffix (powers of 1024, optional "B"/"iB"): "1048576", "10G", "512MiB".
std::optional<qint64> parseSize(const QString &text);
// "0 B", "1023 B", "1.5 KiB", "12.3 MiB", … (translated through QCoreApplication::translate).
QString formatSize(qint64 bytes);
// "850 KiB/s"
QString formatRate(double bytesPerSecond);
// "42 s", "3 min 05 s", "1 h 02 min"; "--" when unknown (negative)
QString formatDuration(qint64 seconds);

} // namespace ferry
