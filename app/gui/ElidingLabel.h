#pragma once
// A one-line label that gives way with an ellipsis ("Connected to demo@127.0…") instead of being cut off
// mid-letter when the room left for it is too small; the whole text stays in text().

#include <QLabel>

namespace ferry::gui {

class ElidingLabel : public QLabel {
    Q_OBJECT
public:
    using QLabel::QLabel;

    // What is painted: text(), elided to the label's width.
    QString shownText() const;

protected:
    void paintEvent(QPaintEvent *event) override;
};

} // namespace ferry::gui
