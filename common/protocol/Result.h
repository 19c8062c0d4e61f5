#pragma once
// Values that carry their error: a Result<T> holds either a T or an Error with a wire code and a message.

#include <QJsonObject>
#include <QString>

#include <optional>
#include <utility>

namespace ferry {

struct Error {
    QString code;       // one of ferry::ErrorCode, e.g. "not_found"
    QString message;    // a human-readable English sentence naming the path and the reason
    QJsonObject extra;  // more reply fields, e.g. used/limit/needed for quota_exceeded

    bool isError() const { return !code.isEmpty(); }
    static Error make(QLatin1String code, const QString &message, const QJsonObject &extra = {})
    {
        return Error{QString(code), message, extra};
    }
};

template <typename T>
class Result {
public:
    Result(T value) : m_value(std::move(value)) {}
    Result(Error error) : m_error(std::move(error)) {}

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &value() const { return *m_value; }
    T &value() { return *m_value; }
    const T &operator*() const { return *m_value; }
    T &operator*() { return *m_value; }
    const T *operator->() const { return &*m_value; }
    T *operator->() { return &*m_value; }
    const Error &error() const { return m_error; }

private:
    std::optional<T> m_value;
    Error m_error;
};

// Success or an Error, for operations without a value.
class Status {
public:
    Status() = default;
    Status(Error error) : m_error(std::move(error)) {}
    static Status success() { return {}; }

    bool ok() const { return !m_error.isError(); }
    explicit operator bool() const { return ok(); }
    const Error &error() const { return m_error; }

private:
    Error m_error;
};

} // namespace ferry
