#pragma once
// Where a pane has been, for its Back button.

#include <QStringList>

namespace ferry::gui {

class NavigationHistory {
public:
    static constexpr int MaxEntries = 50;

    void visit(const QString &path)
    {
        if (!m_current.isEmpty() && m_current != path) {
            m_back.append(m_current);
            if (m_back.size() > MaxEntries)
                m_back.removeFirst();
        }
        m_current = path;
    }
    bool canGoBack() const { return !m_back.isEmpty(); }
    // The previous place (which becomes current); empty when there is none.
    QString goBack()
    {
        if (m_back.isEmpty())
            return {};
        m_current = m_back.takeLast();
        return m_current;
    }
    void clear()
    {
        m_back.clear();
        m_current.clear();
    }

private:
    QStringList m_back;
    QString m_current;
};

} // namespace ferry::gui
