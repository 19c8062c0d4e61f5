#include "TransferTask.h"

#include "ClientSession.h"
#include "DownloadTask.h"
#include "FolderTask.h"
#include "Protocol.h"
#include "UploadTask.h"

namespace ferry {

TransferTask::TransferTask(ClientSession *session, const TransferItem &item, QObject *parent)
    : QObject(parent), m_session(session), m_item(item)
{
}

TransferTask *TransferTask::create(ClientSession *session, ConflictArbiter *arbiter, const TransferItem &item,
                                   QObject *parent)
{
    if (item.isDir)
        return new FolderTask(session, item, parent);
    if (item.direction == TransferDirection::Upload)
        return new UploadTask(session, arbiter, item, parent);
    return new DownloadTask(session, arbiter, item, parent);
}

void TransferTask::finishWith(const Error &error)
{
    if (m_stopped)
        return;
    m_stopped = true;
    if (!error.isError())
        emit finished(TransferState::Done, error);
    else if (error.code == ErrorCode::ConnectionLost)
        emit finished(TransferState::Queued, error);   // resumes after the next login
    else
        emit finished(TransferState::Failed, error);
}

} // namespace ferry
