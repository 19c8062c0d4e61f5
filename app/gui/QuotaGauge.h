#pragma once
// The status bar's quota gauge: "1.2 GiB of 10 GiB", a bar that turns orange past 80 % and red past 95 %,
// or just the usage when the account has no limit. It paints its text itself, centred, in a colour that reads
// on the bar where the text lies over it (the style's choice was dark on the blue bar).

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

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void applyLevel(Level level);

    QuotaInfo m_quota;
    bool m_known = false;
    Level m_level = Level::Normal;
};

} // namespace ferry::gui
