#pragma once
// Turns SIGHUP into a Qt signal, for ferryd's reload. A signal handler may do almost nothing, so it only
// writes a byte into a pipe; a QSocketNotifier reads it in the event loop (the self-pipe pattern of Qt's
// "Calling Qt Functions From Unix Signal Handlers"). Several SIGHUPs before the loop runs make one hangup().
// One instance at a time; its destructor puts the previous handler back.

#include <QObject>

class QSocketNotifier;

namespace ferry {

class HangupNotifier : public QObject {
    Q_OBJECT
public:
    explicit HangupNotifier(QObject *parent = nullptr);
    ~HangupNotifier() override;

    // False when the pipe could not be made (then SIGHUP keeps its default action: it ends the process).
    bool isActive() const { return m_notifier != nullptr; }

signals:
    void hangup();

private:
    void onReadable();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace ferry
