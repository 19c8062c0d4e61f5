#pragma once
// The status bar's quota gauge: "1.2 GiB of 10 GiB", a bar that turns orange past 80 % and red past 95 %,
// or just the usage when the account has no limit.

#include "RemoteEntry.h"

#include <QProgressBar>

namespace ferry::gui {

class QuotaGauge : public QProgressBar {
    Q_OBJECT
public:
    enum class Level { Normal, NearlyFull, Full };

    explicit QuotaGauge(QWidget *parent = nullptr);

    void setQuota(const QuotaInfo &quota);
    void clear();   // not connected
    Level level() const { return m_level; }
    QString text() const override;

private:
    void applyLevel(Level level);

    QuotaInfo m_quota;
    bool m_known = false;
    Level m_level = Level::Normal;
};

} // namespace ferry::gui
