#pragma once
// Streams a folder listing as "entries" pages (<= 1000 entries, within the header limit), one page at a
// time while the connection can take more, so a folder of 100 000 entries needs no big buffer.

#include "Storage.h"

#include <QJsonArray>
#include <QObject>

namespace ferry {

class FrameConnection;

class ListingStream : public QObject {
    Q_OBJECT
public:
    ListingStream(qint64 requestId, std::unique_ptr<DirectoryCursor> cursor, FrameConnection *connection,
                  QObject *parent = nullptr);

    // Sends the next page while the socket is under its watermark, and the one after it in the next turn of the
    // event loop; emits finished() after the last page.
    void pump();
    qint64 entriesSent() const { return m_sent; }
    // Ends it early (cancel): its folder closes at once.
    void stop()
    {
        m_done = true;
        m_cursor.reset();
    }

signals:
    // After the last page, or after the error frame that ends a folder that failed to read.
    void finished(const ferry::Status &status);

private:
    void sendPage();

    qint64 m_requestId;
    std::unique_ptr<DirectoryCursor> m_cursor;
    FrameConnection *m_connection;
    std::optional<EntryInfo> m_carry;   // read but did not fit in the last page
    // The first pages are small, so a folder download starts on its first entries at once; then they grow to
    // the protocol's 1 000.
    static constexpr int FirstPageEntries = 32;
    int m_pageEntries = FirstPageEntries;
    qint64 m_sent = 0;
    bool m_done = false;
    bool m_nextPagePosted = false;
};

} // namespace ferry
