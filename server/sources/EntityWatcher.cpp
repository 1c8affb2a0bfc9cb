#include "EntityWatcher.h"

#include "hub/Hub.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QRegularExpression>

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace switchboard {
namespace {

const QString EntitiesTopic = u"entities"_s;
const QString SamplesRoot = u":/entities"_s;
// Read at most this much of a file: the loader refuses anything larger anyway.
constexpr qint64 ReadLimit = 1024 * 1024 + 1;

QString parentOf(const QString& path)
{
    return QFileInfo(path).absolutePath();
}

bool isUnder(const QString& path, const QString& directory)
{
    return path.startsWith(directory) && path.size() > directory.size() &&
           path.at(directory.size()) == u'/';
}

} // namespace

EntityWatcher::EntityWatcher(Options options, Hub& hub, QObject* parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_hub(hub)
{
    m_options.directory = QDir::cleanPath(QDir(m_options.directory).absolutePath());
    m_debounce.setSingleShot(true);
    m_debounce.setInterval(m_options.debounce);
    connect(&m_debounce, &QTimer::timeout, this, &EntityWatcher::flush);
    connect(&m_watcher, &QFileSystemWatcher::directoryChanged, this,
            [this](const QString& path) { onPathChanged(path, true); });
    connect(&m_watcher, &QFileSystemWatcher::fileChanged, this,
            [this](const QString& path) { onPathChanged(path, false); });
}

EntityWatcher::~EntityWatcher() = default;

std::optional<QString> EntityWatcher::start()
{
    const QString& root = m_options.directory;
    const QFileInfo info(root);
    if (info.exists() && !info.isDir())
        return tr("--entities-dir: \"%1\" is not a directory").arg(root);
    if (!info.exists() && !QDir().mkpath(root))
        return tr("--entities-dir: cannot create \"%1\"").arg(root);
    if (m_options.demo && QDir(root).isEmpty()) {
        if (std::optional<QString> error = copySamples(root))
            return tr("--entities-dir: %1").arg(*error);
    }

    rescan(root, Mode::Initial);

    const EntitySet set = entitySet();
    QJsonArray entities;
    for (const Entity& entity : set.entities)
        entities.append(entity.toJson());
    QJsonArray errors;
    for (const EntityError& error : set.errors)
        errors.append(error.toJson());
    m_hub.publish(EntitiesTopic, u"entity_list_update"_s,
                  {{u"entities"_s, entities},
                   {u"count"_s, entities.size()},
                   {u"errors"_s, errors},
                   {u"directory"_s, root}});
    QStringList invalid;
    for (auto it = m_files.cbegin(); it != m_files.cend(); ++it) {
        if (!it->parse.entity)
            invalid.append(it.key());
    }
    std::sort(invalid.begin(), invalid.end());
    for (const QString& path : std::as_const(invalid))
        publishValidationError(u"created"_s, m_files.value(path), path);
    return std::nullopt;
}

EntitySet EntityWatcher::entitySet() const
{
    QList<EntityParse> parses;
    parses.reserve(m_files.size());
    for (const KnownFile& file : m_files)
        parses.append(file.parse);
    // In file path order, as loadEntities() reads them. An unreadable file has no entity and
    // its errors carry the path too.
    const auto pathOf = [](const EntityParse& parse) {
        return parse.entity ? parse.entity->filePath : parse.errors.value(0).filePath;
    };
    std::sort(parses.begin(), parses.end(), [&pathOf](const EntityParse& a, const EntityParse& b) {
        return pathOf(a) < pathOf(b);
    });
    return entitySetOf(parses);
}

QDate EntityWatcher::todayUtc()
{
    return QDateTime::currentDateTimeUtc().date();
}

std::optional<QString> EntityWatcher::copySamples(const QString& directory, QDate today)
{
    if (!QFileInfo(SamplesRoot).isDir())
        return tr("no sample entities are built in");
    const int shift =
        (today.year() - SamplesMonth.year()) * 12 + (today.month() - SamplesMonth.month()) - 1;
    static const QRegularExpression dateField(
        u"^([ \\t]*(?:start_date|end_date)[ \\t]*:[ \\t]*)([0-9]{4}-[0-9]{2}-[0-9]{2})"_s,
        QRegularExpression::MultilineOption);

    QDirIterator it(SamplesRoot, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString source = it.next();
        const QString target = QDir(directory).filePath(source.mid(SamplesRoot.size() + 1));
        QFile in(source);
        if (!in.open(QIODevice::ReadOnly))
            return tr("cannot read \"%1\"").arg(source);
        QString text = QString::fromUtf8(in.readAll());
        QString shifted;
        qsizetype copied = 0;
        QRegularExpressionMatchIterator dates = dateField.globalMatch(text);
        while (dates.hasNext()) {
            const QRegularExpressionMatch match = dates.next();
            const QDate date = QDate::fromString(match.captured(2), Qt::ISODate);
            shifted += QStringView(text).mid(copied, match.capturedStart(2) - copied);
            shifted +=
                date.isValid() ? date.addMonths(shift).toString(Qt::ISODate) : match.captured(2);
            copied = match.capturedEnd(2);
        }
        shifted += QStringView(text).mid(copied);

        if (!QDir().mkpath(parentOf(target)))
            return tr("cannot create \"%1\"").arg(parentOf(target));
        QFile out(target);
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate) ||
            out.write(shifted.toUtf8()) < 0 || !out.flush())
            return tr("cannot write \"%1\": %2").arg(target, out.errorString());
    }
    return std::nullopt;
}

void EntityWatcher::onPathChanged(const QString& path, bool isDirectory)
{
    m_pendingDirectories.insert(isDirectory ? path : parentOf(path));
    if (!m_debounce.isActive())
        m_pendingSince.start();
    // Restart the quiet period, unless changes have kept coming for too long already.
    if (m_pendingSince.elapsed() < 5 * m_options.debounce.count() || !m_debounce.isActive())
        m_debounce.start();
}

void EntityWatcher::flush()
{
    const QStringList files = m_watcher.files();
    const QStringList directories = m_watcher.directories();
    m_watchedFiles = QSet<QString>(files.cbegin(), files.cend());
    m_watchedDirectories = QSet<QString>(directories.cbegin(), directories.cend());

    QStringList pending(m_pendingDirectories.cbegin(), m_pendingDirectories.cend());
    m_pendingDirectories.clear();
    // Parents first, so a new folder is found by its parent's scan.
    std::sort(pending.begin(), pending.end());
    for (const QString& directory : std::as_const(pending)) {
        if (directory == m_options.directory || isUnder(directory, m_options.directory))
            rescan(directory, Mode::Live);
    }
}

void EntityWatcher::rescan(const QString& directory, Mode mode)
{
    if (!QFileInfo(directory).isDir()) {
        forgetUnder(directory);
        return;
    }
    m_directories.insert(directory);
    if (!m_watchedDirectories.contains(directory)) {
        // Watch first, then list: a file created in between is seen by one or the other.
        m_watcher.addPath(directory);
        m_watchedDirectories.insert(directory);
    }

    QSet<QString> presentFiles;
    QSet<QString> presentDirectories;
    const QFileInfoList entries =
        QDir(directory).entryInfoList(QDir::Files | QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name);
    for (const QFileInfo& entry : entries) {
        const QString path = entry.absoluteFilePath();
        if (entry.isDir()) {
            if (entry.fileName().startsWith(u'.') || entry.isSymLink())
                continue;
            presentDirectories.insert(path);
            // A folder without a watch is new (or was replaced): scan all of it.
            if (!m_watchedDirectories.contains(path))
                rescan(path, mode);
        } else if (isEntityFileName(entry.fileName())) {
            presentFiles.insert(path);
            updateFile(path, mode);
        }
    }

    QStringList goneFiles;
    for (auto it = m_files.cbegin(); it != m_files.cend(); ++it) {
        if (parentOf(it.key()) == directory && !presentFiles.contains(it.key()))
            goneFiles.append(it.key());
    }
    std::sort(goneFiles.begin(), goneFiles.end());
    for (const QString& path : std::as_const(goneFiles))
        forgetFile(path);

    QStringList goneDirectories;
    for (const QString& known : std::as_const(m_directories)) {
        if (parentOf(known) == directory && known != directory &&
            !presentDirectories.contains(known))
            goneDirectories.append(known);
    }
    std::sort(goneDirectories.begin(), goneDirectories.end());
    for (const QString& gone : std::as_const(goneDirectories))
        forgetUnder(gone);
}

void EntityWatcher::updateFile(const QString& path, Mode mode)
{
    QFile file(path);
    KnownFile read;
    if (file.open(QIODevice::ReadOnly)) {
        const QByteArray contents = file.read(ReadLimit);
        read.digest = QCryptographicHash::hash(contents, QCryptographicHash::Sha1);
        read.parse = parseEntityText(m_options.directory, path, contents);
    } else if (QFileInfo::exists(path)) {
        read.parse = parseEntityFile(m_options.directory, path); // says why it is unreadable
    } else {
        // Gone between the listing and now: its own event follows.
        return;
    }
    if (!m_watchedFiles.contains(path)) {
        m_watcher.addPath(path);
        m_watchedFiles.insert(path);
    }

    const auto known = m_files.constFind(path);
    const bool existed = known != m_files.cend();
    if (existed && !read.digest.isEmpty() && known->digest == read.digest)
        return;
    m_files.insert(path, read);
    if (mode == Mode::Initial)
        return;
    const QString eventType = existed ? u"modified"_s : u"created"_s;
    if (read.parse.entity)
        publishChange(eventType, read, path);
    else
        publishValidationError(eventType, read, path);
}

void EntityWatcher::forgetFile(const QString& path)
{
    const KnownFile file = m_files.take(path);
    if (m_watchedFiles.remove(path))
        m_watcher.removePath(path);
    publishChange(u"deleted"_s, file, path);
}

void EntityWatcher::forgetUnder(const QString& directory)
{
    QStringList goneFiles;
    for (auto it = m_files.cbegin(); it != m_files.cend(); ++it) {
        if (isUnder(it.key(), directory))
            goneFiles.append(it.key());
    }
    std::sort(goneFiles.begin(), goneFiles.end());
    for (const QString& path : std::as_const(goneFiles))
        forgetFile(path);

    for (auto it = m_directories.begin(); it != m_directories.end();) {
        if (*it == directory || isUnder(*it, directory)) {
            if (m_watchedDirectories.remove(*it))
                m_watcher.removePath(*it);
            it = m_directories.erase(it);
        } else {
            ++it;
        }
    }
}

void EntityWatcher::publishChange(const QString& eventType, const KnownFile& file,
                                  const QString& path)
{
    const QFileInfo info(path);
    const QString relative = QDir(m_options.directory).relativeFilePath(path);
    // A deleted file reports the type it had when it last validated.
    const QString type = file.parse.entity ? file.parse.entity->type : QString();
    QJsonObject data{{u"event_type"_s, eventType},
                     {u"file_path"_s, relative},
                     {u"entity_type"_s, type},
                     {u"entity_id"_s, info.completeBaseName()}};
    if (eventType == "deleted"_L1 || !file.parse.entity)
        data.insert(u"entity_data"_s, QJsonValue(QJsonValue::Null));
    else
        data.insert(u"entity_data"_s, file.parse.entity->toJson());
    m_hub.publish(EntitiesTopic, u"entity_change"_s, data);
}

void EntityWatcher::publishValidationError(const QString& eventType, const KnownFile& file,
                                           const QString& path)
{
    if (file.parse.errors.isEmpty())
        return;
    QJsonObject data = file.parse.errors.first().toJson();
    QJsonArray errors;
    for (const EntityError& error : file.parse.errors)
        errors.append(error.toJson());
    data.insert(u"errors"_s, errors);
    data.insert(u"event_type"_s, eventType);
    data.insert(u"entity_id"_s, QFileInfo(path).completeBaseName());
    m_hub.publish(EntitiesTopic, u"validation_error"_s, data);
}

} // namespace switchboard
