#include "LocalFileHash.h"

#include "FileHashing.h"
#include "Sha256.h"

#include <QFile>
#include <QPointer>
#include <QTimer>

#include <memory>

namespace ferry {

namespace {

constexpr qint64 SliceBytes = 16 * 1024 * 1024;   // ~15 ms of hashing per turn

struct HashJob {
    QFile file;
    Sha256 hash;
    qint64 end = 0;
    QPointer<QObject> context;
    std::function<void(const QByteArray &)> done;
};

void step(const std::shared_ptr<HashJob> &job)
{
    if (!job->context)
        return;
    switch (hashFileStep(job->file, job->end, job->hash, SliceBytes)) {
    case HashStep::More:
        QTimer::singleShot(0, job->context, [job] { step(job); });
        return;
    case HashStep::Done:
        job->done(job->hash.hexDigest());
        return;
    case HashStep::Failed:
        job->done({});
        return;
    }
}

} // namespace

void hashLocalFile(const QString &path, QObject *context, std::function<void(const QByteArray &)> done)
{
    auto job = std::make_shared<HashJob>();
    job->file.setFileName(path);
    job->context = context;
    job->done = std::move(done);
    const bool opened = job->file.open(QIODevice::ReadOnly);
    job->end = opened ? job->file.size() : 0;
    QTimer::singleShot(0, context, [job, opened] {
        if (opened)
            step(job);
        else if (job->context)
            job->done({});
    });
}

} // namespace ferry
