#pragma once
// Plain, translated sentences for the errors both clients report: one for every wire error code, so that
// a user reads "folder is not empty" rather than "not_empty".

#include "Result.h"

#include <QCoreApplication>

namespace ferry {

class ErrorText {
    Q_DECLARE_TR_FUNCTIONS(ferry::ErrorText)
public:
    // Why an operation failed, as a phrase that follows "cannot remove '/docs': ".
    static QString reason(const Error &error);
    // Why login failed, as a phrase that follows "cannot log in as 'alice': ".
    static QString loginReason(const Error &error);
};

} // namespace ferry
