#include "ListingStream.h"

#include "FrameConnection.h"
#include "Protocol.h"
#include "Reply.h"

namespace ferry {

namespace {
// Room for {"op":"entries","re":N,"more":true,"entries":[…]} around the entries.
constexpr qint64 PageBudgetBytes = Limits::MaxHeaderBytes - 256;
}

ListingStream::ListingStream(qint64 requestId, std::unique_ptr<DirectoryCursor> cursor,
                             FrameConnection *connection, QObject *parent)
    : QObject(parent), m_requestId(requestId), m_cursor(std::move(cursor)), m_connection(connection)
{
}

void ListingStream::pump()
{
    while (!m_done && m_connection->canWrite()) {
        QJsonArray entries;
        qint64 pageBytes = 0;
        bool more = true;
        while (entries.size() < m_pageEntries) {
            std::optional<EntryInfo> entry = m_carry ? std::move(m_carry) : m_cursor->next();
            m_carry.reset();
            if (!entry) {
                more = false;
                break;
            }
            const qint64 size = entry->compactJsonBytesAtMost() + 1;   // and its comma
            if (pageBytes + size > PageBudgetBytes) {
                m_carry = std::move(entry);
                break;
            }
            pageBytes += size;
            entries.append(entry->toJson());
        }
        if (!more && !m_cursor->error()) {
            // A folder that could not be read to its end is an error, never a short success.
            m_done = true;
            const Error error = m_cursor->error().error();
            m_cursor.reset();   // its folder closes now, not when the event loop deletes this stream
            m_connection->send(Reply::error(m_requestId, error));
            emit finished(error);
            return;
        }
        m_sent += entries.size();
        m_pageEntries = qMin(m_pageEntries * 2, Limits::MaxListPageEntries);
        m_connection->send(Reply::entries(m_requestId, entries, more));
        if (!more) {
            m_done = true;
            m_cursor.reset();
            emit finished(Status::success());
        }
    }
}

} // namespace ferry
