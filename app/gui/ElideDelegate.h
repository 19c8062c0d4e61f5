#pragma once
// A text delegate with an elide mode of its own, for a column that must be cut elsewhere than the rest of its
// view (QAbstractItemView has one mode for all columns): the transfers' paths and names lose their middle,
// a state such as "Failed: not enough space…" its end.

#include <QStyledItemDelegate>

namespace ferry::gui {

class ElideDelegate : public QStyledItemDelegate {
    Q_OBJECT
public:
    ElideDelegate(Qt::TextElideMode mode, QObject *parent) : QStyledItemDelegate(parent), m_mode(mode) {}

    Qt::TextElideMode mode() const { return m_mode; }

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::initStyleOption(option, index);
        option->textElideMode = m_mode;
    }

private:
    Qt::TextElideMode m_mode;
};

} // namespace ferry::gui
