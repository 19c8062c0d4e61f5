#pragma once
// Column widths fitted to what a column can show, as FileZilla and Dolphin do: a size, date, speed or state
// column is as wide as the widest text it can hold in this language, locale and font (so nothing in it is
// cut), the name column takes what is left (QHeaderView::Stretch), and the user can still drag the others.

#include <QStringList>

class QAbstractItemView;
class QHeaderView;

namespace ferry::gui::ColumnFit {

// The width `section` of `view` needs to show each of `samples` whole, and its header title (with the sort
// indicator): the same measure the view's delegate and header use.
int width(const QAbstractItemView *view, const QHeaderView *header, int section, const QStringList &samples);
// Sets `section` to that width; the user can drag it.
void fit(QAbstractItemView *view, QHeaderView *header, int section, const QStringList &samples);

// The widest texts of a kind, in the current language and locale.
QStringList sizeSamples();       // "1023 MiB" and its kin
QStringList rateSamples();       // "1023 MiB/s" and its kin
QStringList durationSamples();   // "59 min 59 s", "99 h 59 min"
QStringList dateTimeSamples();   // a date and time in every month, morning and evening, the locale's short format

} // namespace ferry::gui::ColumnFit
