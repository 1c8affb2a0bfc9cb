#include "SettingsFile.h"

#include "config/ConfigLoader.h"

#include <QFileInfo>
#include <QSettings>

namespace switchboard {

std::optional<QString> SettingsFile::write(const HubConfig& config, const QString& path)
{
    // Plain text values only, as --config expects (QSettings would keep numbers typed in its
    // per-process cache of the file).
    QSettings file(path, QSettings::IniFormat);
    file.clear();
    file.setValue(QStringLiteral("bind"), config.bindAddress.toString());
    file.setValue(QStringLiteral("port"), QString::number(config.port));
    file.setValue(QStringLiteral("auth"), authModeName(config.authMode));
    file.setValue(QStringLiteral("max-connections"), QString::number(config.maxConnections));
    file.setValue(QStringLiteral("max-message-bytes"), QString::number(config.maxMessageBytes));
    file.setValue(QStringLiteral("max-jobs"), QString::number(config.maxJobs));
    if (!config.entitiesDir.isEmpty())
        file.setValue(QStringLiteral("entities-dir"), config.entitiesDir);
    if (!config.tlsCertificateFile.isEmpty()) {
        file.setValue(QStringLiteral("tls-cert"), config.tlsCertificateFile);
        file.setValue(QStringLiteral("tls-key"), config.tlsKeyFile);
    }
    if (!config.redis.empty()) {
        QStringList urls;
        for (const RedisUrl& url : config.redis)
            urls.append(url.toString());
        file.setValue(QStringLiteral("redis"), urls.join(u','));
    }
    if (!config.nodeName.isEmpty())
        file.setValue(QStringLiteral("node-name"), config.nodeName);
    file.sync();
    if (file.status() != QSettings::NoError)
        return QCoreApplication::translate("SettingsFile", "%1 could not be written.").arg(path);
    return std::nullopt;
}

std::variant<HubConfig, QString> SettingsFile::read(const QString& path, const HubConfig& base)
{
    if (!QFileInfo(path).isReadable())
        return QCoreApplication::translate("SettingsFile", "%1 cannot be read.").arg(path);
    const ConfigLoader loader(QStringLiteral("switchboard"), {});
    const ConfigLoadResult loaded = loader.load(
        {QStringLiteral("switchboard"), QStringLiteral("--config"), path}, QProcessEnvironment());
    if (loaded.kind != ConfigLoadResult::Kind::Run)
        return loaded.output.trimmed();
    const QSettings file(path, QSettings::IniFormat);
    HubConfig config = base;
    const HubConfig& read = loaded.config;
    const auto has = [&file](const char* key) { return file.contains(QLatin1String(key)); };
    if (has("bind"))
        config.bindAddress = read.bindAddress;
    if (has("port"))
        config.port = read.port;
    if (has("auth"))
        config.authMode = read.authMode;
    if (has("max-connections"))
        config.maxConnections = read.maxConnections;
    if (has("max-message-bytes"))
        config.maxMessageBytes = read.maxMessageBytes;
    if (has("max-jobs"))
        config.maxJobs = read.maxJobs;
    if (has("entities-dir"))
        config.entitiesDir = read.entitiesDir;
    if (has("tls-cert")) {
        config.tlsCertificateFile = read.tlsCertificateFile;
        config.tlsKeyFile = read.tlsKeyFile;
    }
    if (has("redis"))
        config.redis = read.redis;
    if (has("node-name"))
        config.nodeName = read.nodeName;
    return config;
}

} // namespace switchboard
