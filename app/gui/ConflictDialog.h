#pragma once
// "This file already exists": overwrite / resume (when a partial copy can be continued) / keep both
// (the new one as "name (1).ext") / skip / overwrite only if newer or only if the size differs (settled per
// file by the engine), and whether to do the same for the rest of the transfer.

#include "TransferQueue.h"

#include <QDialog>

class QCheckBox;
class QDialogButtonBox;
class QLabel;
class QPushButton;
class QVBoxLayout;

namespace ferry::gui {

class ConflictDialog : public QDialog {
    Q_OBJECT
public:
    explicit ConflictDialog(const ConflictResolver::Conflict &conflict, QWidget *parent = nullptr);

    ConflictPolicy choice() const { return m_choice; }
    bool applyToAll() const;

    // For tests and screenshots: the button that answers `policy` (nullptr if none).
    QPushButton *button(ConflictPolicy policy) const;

private:
    QLabel *createQuestionIcon();
    // Heading, where the file is, both files' size and date, the resume hint and the "for all" box.
    QVBoxLayout *createDescription(const ConflictResolver::Conflict &conflict);
    static QString locationText(const TransferItem &item);
    QDialogButtonBox *createChoiceButtons(bool canResume);
    QDialogButtonBox *createConditionalButtons();
    void choose(ConflictPolicy policy);

    ConflictPolicy m_choice = ConflictPolicy::Skip;   // closing the dialog skips the file
    QCheckBox *m_applyToAll = nullptr;
    QPushButton *m_overwrite = nullptr;
    QPushButton *m_resume = nullptr;
    QPushButton *m_rename = nullptr;
    QPushButton *m_skip = nullptr;
    QPushButton *m_ifNewer = nullptr;
    QPushButton *m_ifSizeDiffers = nullptr;
};

} // namespace ferry::gui
