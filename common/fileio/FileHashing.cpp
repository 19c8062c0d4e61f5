#include "FileHashing.h"

#include "Protocol.h"
#include "Sha256.h"

namespace ferry {

HashStep hashFileStep(QFile &file, qint64 end, Sha256 &hash, qint64 budgetBytes)
{
    QByteArray buffer(qMin(Limits::DataChunkBytes, qMax<qint64>(1, end - file.pos())), Qt::Uninitialized);
    qint64 budget = budgetBytes;
    while (file.pos() < end) {
        if (budget <= 0)
            return HashStep::More;
        const qint64 read = file.read(buffer.data(), qMin<qint64>(buffer.size(), end - file.pos()));
        if (read <= 0)
            return HashStep::Failed;
        hash.update(buffer.constData(), read);
        budget -= read;
    }
    return HashStep::Done;
}

} // namespace ferry
