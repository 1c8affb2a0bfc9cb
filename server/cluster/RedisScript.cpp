#include "RedisScript.h"

#include <QCryptographicHash>
#include <QFile>

namespace switchboard {

RedisScript RedisScript::load(const QString& name)
{
    QFile file(QStringLiteral(":/cluster/") + name);
    const bool opened = file.open(QIODevice::ReadOnly);
    Q_ASSERT_X(opened, "RedisScript::load", "a cluster script is missing from the resources");
    Q_UNUSED(opened);
    RedisScript script;
    script.source = file.readAll();
    script.sha1 = QCryptographicHash::hash(script.source, QCryptographicHash::Sha1).toHex();
    return script;
}

} // namespace switchboard
