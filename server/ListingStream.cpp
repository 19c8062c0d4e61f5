#include "ListingStream.h"

#include "FrameConnection.h"
#include "Protocol.h"
#include "Reply.h"

#include <QElapsedTimer>

namespace ferry {

namespace {
// Room for {"op":"entries","re":N,"more":true,"entries":[…]} around the entries.
constexpr qint64 PageBudgetBytes = Limits::MaxHeaderBytes - 256;
// A page ends after this long even when it could take more entries (~12 µs each here, a stat and its JSON):
// the requests its client sends for the entries before it are served between two pages, not after 1000.
constexpr qint64 MaxPageNs = 2'000'000;
}

ListingStream::ListingStream(qint64 requestId, std::unique_ptr<DirectoryCursor> cursor,
                             FrameConnection *connection, QObject *parent)
    : QObject(parent), m_requestId(requestId), m_cursor(std::move(cursor)), m_connection(connection)
{
}

void ListingStream::pump()
{
    if (m_done || m_nextPagePosted || !m_connection->canWrite())
        return;
    sendPage();
    if (m_done || !m_connection->canWrite())
        return;   // the connection's writable() calls pump() again
    // One page per turn of the event loop: what arrived meanwhile goes first (the client's requests for the
    // entries already sent, the disk's replies to them), and each page leaves at the end of its turn. Read in one
    // turn, a folder of 2000 entries held its first page back ~10 ms and the files asked for ~20 ms.
    m_nextPagePosted = true;
    QMetaObject::invokeMethod(this, [this] {
        m_nextPagePosted = false;
        pump();
    }, Qt::QueuedConnection);
}

void ListingStream::sendPage()
{
    QJsonArray entries;
    qint64 pageBytes = 0;
    bool more = true;
    QElapsedTimer reading;
    reading.start();
    while (entries.size() < m_pageEntries
           && (entries.size() < FirstPageEntries || reading.nsecsElapsed() < MaxPageNs)) {
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

} // namespace ferry
