#pragma once
// Sentences for the message bar: what failed, then why in plain words (the same reasons ferry-cli gives,
// from ErrorText, so both clients say the same thing and share one translation).

#include "Result.h"

#include <QString>

namespace ferry::gui::Messages {

// "Cannot delete “/docs”: folder is not empty." — `what` is the first half ("Cannot delete “/docs”").
QString failure(const QString &what, const Error &error);
// "Cannot log in as alice: wrong user name or password."
QString loginFailure(const QString &user, const Error &error);
// `text` ending like a sentence: a full stop added unless it ends with one (or "?", "!", "。", "…").
QString sentence(const QString &text);
// The reason alone ("folder is not empty").
QString reason(const Error &error);

} // namespace ferry::gui::Messages
