#pragma once
// The "Log" tab: what the session did, one time-stamped line each (FileZilla's message log) — connections
// and their loss, logins, every file that arrived or failed and why, and every message the bar showed —
// for when something went wrong and the message bar has moved on. Kept to the last MaxLines lines.

#include "TransferItem.h"

#include <QPlainTextEdit>

namespace ferry {
class TransferQueue;
}

namespace ferry::gui {

class ActivityLog : public QPlainTextEdit {
    Q_OBJECT
public:
    static constexpr int MaxLines = 5000;
    enum class Kind { Status, Transfer, Error };

    explicit ActivityLog(QWidget *parent = nullptr);

    void add(Kind kind, const QString &text);
    // Logs every file of `queue` that ends (done, failed with the reason, cancelled, skipped).
    void follow(TransferQueue *queue);
    QStringList lines() const;

private:
    void onItemChanged(TransferQueue *queue, int row);

    QHash<qint64, TransferState> m_logged;   // the end state already written for an item
};

} // namespace ferry::gui
