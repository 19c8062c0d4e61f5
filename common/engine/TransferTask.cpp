#include "TransferTask.h"

#include "ClientSession.h"
#include "DownloadTask.h"
#include "FolderTask.h"
#include "Protocol.h"
#include "UploadRunner.h"
#include "UploadTask.h"

namespace ferry {

TransferTask::TransferTask(ClientSession *session, std::shared_ptr<TransferItem> item, QObject *parent)
    : QObject(parent), m_session(session), m_item(std::move(item))
{
}

TransferTask *TransferTask::create(ClientSession *session, ConflictArbiter *arbiter,
                                   const std::shared_ptr<TransferItem> &item, QObject *parent)
{
    if (item->isDir)
        return new FolderTask(session, item, parent);
    if (item->direction == TransferDirection::Upload)
        return new UploadTask(session, arbiter, item, parent);
    return new DownloadTask(session, arbiter, item, parent);
}

bool TransferTask::isLarge(const TransferItem &item)
{
    return !item.isDir && (item.size < 0 || item.size > UploadRunner::PipelinedBytes);
}

bool TransferTask::waitsForRoom(const TransferItem &item, const ClientSession &session)
{
    return !item.isDir && item.direction == TransferDirection::Upload && !isLarge(item) && !session.canWrite();
}

void TransferTask::stop(StopReason reason)
{
    m_stopped = true;
    halt(reason);
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
