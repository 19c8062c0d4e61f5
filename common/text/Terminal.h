#pragma once
// Passwords for the programs that run in a terminal (ferryd's admin commands, ferry-cli): from the
// FERRY_PASSWORD environment variable for scripts, else typed on the terminal without echo.

#include <QString>

#include <optional>

namespace ferry {

// Shows `prompt` on the controlling terminal (/dev/tty) and reads one line with echo off.
// nullopt when there is no terminal or the input ended (Ctrl-D) before a line.
std::optional<QString> readPasswordFromTerminal(const QString &prompt);

// Shows `text` then `prompt` on the controlling terminal and reads one line with echo on (a question).
// nullopt when there is no terminal or the input ended.
std::optional<QString> askOnTerminal(const QString &text, const QString &prompt);

// FERRY_PASSWORD when set and not empty; else asks on the terminal (twice when `confirm`).
// nullopt with a translated *error when there is neither, the two entries differ, or the password is empty.
std::optional<QString> passwordFromEnvironmentOrTerminal(bool confirm, QString *error);

} // namespace ferry
