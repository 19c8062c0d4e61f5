#include "ConflictDialog.h"

#include "SizeText.h"

#include <QCheckBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QStyle>
#include <QVBoxLayout>

namespace ferry::gui {

namespace {

QString describe(qint64 size, qint64 mtimeMs)
{
    const QString sizeText = size >= 0 ? formatSize(size) : ConflictDialog::tr("size unknown");
    if (mtimeMs <= 0)
        return sizeText;
    return ConflictDialog::tr("%1, modified %2")
            .arg(sizeText, QLocale().toString(QDateTime::fromMSecsSinceEpoch(mtimeMs), QLocale::ShortFormat));
}

QString remoteFolderOf(const QString &path)
{
    const int slash = path.lastIndexOf(QLatin1Char('/'));
    return slash <= 0 ? QStringLiteral("/") : path.left(slash);
}

} // namespace

ConflictDialog::ConflictDialog(const ConflictResolver::Conflict &conflict, QWidget *parent) : QDialog(parent)
{
    setWindowTitle(tr("File already exists"));
    auto *top = new QHBoxLayout;
    top->addWidget(createQuestionIcon());
    top->addLayout(createDescription(conflict), 1);
    QDialogButtonBox *buttons = createChoiceButtons(conflict.canResume);
    QDialogButtonBox *conditional = createConditionalButtons();

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(conditional);
    layout->addWidget(buttons);
    layout->setSizeConstraint(QLayout::SetFixedSize);
}

QLabel *ConflictDialog::createQuestionIcon()
{
    auto *icon = new QLabel;
    const int iconSize = style()->pixelMetric(QStyle::PM_MessageBoxIconSize, nullptr, this);
    icon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxQuestion, nullptr, this).pixmap(iconSize));
    icon->setAlignment(Qt::AlignTop);
    return icon;
}

QString ConflictDialog::locationText(const TransferItem &item)
{
    if (item.direction != TransferDirection::Upload)
        return tr("in the folder %1 on this computer")
                .arg(QDir::toNativeSeparators(QFileInfo(item.localPath).absolutePath()));
    const QString remoteFolder = remoteFolderOf(item.remotePath);
    return remoteFolder == QLatin1String("/") ? tr("in your home folder on the server")
                                              : tr("in the folder %1 on the server").arg(remoteFolder);
}

QVBoxLayout *ConflictDialog::createDescription(const ConflictResolver::Conflict &conflict)
{
    const TransferItem &item = conflict.item;
    auto *heading = new QLabel(tr("<b>“%1” already exists</b>").arg(item.name().toHtmlEscaped()));
    heading->setTextFormat(Qt::RichText);
    auto *whereLabel = new QLabel(locationText(item));
    whereLabel->setWordWrap(true);

    auto *details = new QFormLayout;
    details->addRow(tr("Existing file:"), new QLabel(describe(conflict.existingSize, conflict.existingMtimeMs)));
    details->addRow(item.direction == TransferDirection::Upload ? tr("File to upload:") : tr("File to download:"),
                    new QLabel(describe(item.size, item.mtimeMs)));

    m_applyToAll = new QCheckBox(tr("Do the same for the other conflicts of this transfer"));

    auto *text = new QVBoxLayout;
    text->addWidget(heading);
    text->addWidget(whereLabel);
    text->addSpacing(6);
    text->addLayout(details);
    if (conflict.canResume) {
        auto *resumeHint = new QLabel(tr("A partial copy is there: Resume sends only the rest, then replaces the existing file."));
        resumeHint->setWordWrap(true);
        text->addWidget(resumeHint);
    }
    text->addSpacing(6);
    text->addWidget(m_applyToAll);
    return text;
}

QDialogButtonBox *ConflictDialog::createChoiceButtons(bool canResume)
{
    auto *buttons = new QDialogButtonBox;
    m_overwrite = buttons->addButton(tr("&Overwrite"), QDialogButtonBox::AcceptRole);
    m_resume = buttons->addButton(tr("&Resume"), QDialogButtonBox::AcceptRole);
    m_rename = buttons->addButton(tr("&Keep both"), QDialogButtonBox::AcceptRole);
    m_skip = buttons->addButton(tr("&Skip"), QDialogButtonBox::RejectRole);
    m_rename->setToolTip(tr("Keep the existing file and give the new one a free name such as “name (1).ext”"));
    m_resume->setVisible(canResume);
    // Enter takes the choice that loses nothing, whatever button had the focus first. Not Resume: it finishes
    // the partial copy and then replaces the existing file, which may be another client's since the pause.
    QPushButton *safest = m_rename;
    for (QPushButton *button : {m_overwrite, m_resume, m_rename, m_skip})
        button->setAutoDefault(false);
    safest->setDefault(true);
    safest->setFocus();
    connect(m_overwrite, &QPushButton::clicked, this, [this] { choose(ConflictPolicy::Overwrite); });
    connect(m_resume, &QPushButton::clicked, this, [this] { choose(ConflictPolicy::Resume); });
    connect(m_rename, &QPushButton::clicked, this, [this] { choose(ConflictPolicy::Rename); });
    connect(m_skip, &QPushButton::clicked, this, [this] { choose(ConflictPolicy::Skip); });
    return buttons;
}

// The conditional answers, on their own row: mostly given "for all", compared file by file.
QDialogButtonBox *ConflictDialog::createConditionalButtons()
{
    auto *conditional = new QDialogButtonBox;
    m_ifNewer = conditional->addButton(tr("Overwrite if &newer"), QDialogButtonBox::AcceptRole);
    m_ifSizeDiffers = conditional->addButton(tr("Overwrite if size &differs"), QDialogButtonBox::AcceptRole);
    m_ifNewer->setToolTip(tr("Replace the existing file only when the new one was modified later; otherwise skip"));
    m_ifSizeDiffers->setToolTip(tr("Replace the existing file only when the sizes differ; otherwise skip"));
    for (QPushButton *button : {m_ifNewer, m_ifSizeDiffers})
        button->setAutoDefault(false);
    connect(m_ifNewer, &QPushButton::clicked, this, [this] { choose(ConflictPolicy::OverwriteIfNewer); });
    connect(m_ifSizeDiffers, &QPushButton::clicked, this, [this] { choose(ConflictPolicy::OverwriteIfSizeDiffers); });
    return conditional;
}

bool ConflictDialog::applyToAll() const
{
    return m_applyToAll->isChecked();
}

QPushButton *ConflictDialog::button(ConflictPolicy policy) const
{
    switch (policy) {
    case ConflictPolicy::Overwrite:
        return m_overwrite;
    case ConflictPolicy::Resume:
        return m_resume;
    case ConflictPolicy::Rename:
        return m_rename;
    case ConflictPolicy::Skip:
        return m_skip;
    case ConflictPolicy::OverwriteIfNewer:
        return m_ifNewer;
    case ConflictPolicy::OverwriteIfSizeDiffers:
        return m_ifSizeDiffers;
    default:
        return nullptr;
    }
}

void ConflictDialog::choose(ConflictPolicy policy)
{
    m_choice = policy;
    if (policy == ConflictPolicy::Skip)
        reject();
    else
        accept();
}

} // namespace ferry::gui
