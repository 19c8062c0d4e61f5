#pragma once
// Turns Ctrl-C (SIGINT) and SIGTERM into a Qt signal, so that ferry-cli can stop its transfers cleanly
// (part files kept for --resume) and exit 128 + the signal number. A signal handler may do almost
// nothing, so it only writes the signal's number into a pipe; a QSocketNotifier reads it in the event
// loop (the self-pipe pattern of Qt's "Calling Qt Functions From Unix Signal Handlers").
//
// A second Ctrl-C while the first is being handled ends the program at once (default action).
// One instance at a time; its destructor puts the previous handlers back.

#include <QObject>

class QSocketNotifier;

namespace ferry::cli {

class InterruptWatcher : public QObject {
    Q_OBJECT
public:
    explicit InterruptWatcher(QObject *parent = nullptr);
    ~InterruptWatcher() override;

    // False when the pipe could not be made (then signals keep their default action).
    bool isActive() const { return m_notifier != nullptr; }

signals:
    void interrupted(int signalNumber);

private:
    void onReadable();

    QSocketNotifier *m_notifier = nullptr;
};

} // namespace ferry::cli
