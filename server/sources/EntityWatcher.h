#pragma once

// Watches the entities dir (SPEC §6.1) and publishes what changes on topic "entities":
// entity_change {event_type: created|modified|deleted, file_path, entity_type, entity_id,
// entity_data}, validation_error for a file that does not validate, and, after the start-up
// scan, entity_list_update {entities, count, errors}. Lives in the hub thread.
//
// Every directory of the tree is watched (sub-folders made later too) and every entity file
// (a directory watch does not see a file's contents change). Events are debounced: the
// directories they touched are rescanned once things have been quiet for `debounce` (or at
// the latest 5 x debounce after the first one), and a file counts as modified only when its
// contents differ. A rename is a deletion and a creation. If the entities dir itself is
// removed, its entities are reported deleted and watching stops until the hub restarts.

#include "entities/Entity.h"
#include "entities/EntityLoader.h"

#include <QByteArray>
#include <QDate>
#include <QElapsedTimer>
#include <QFileSystemWatcher>
#include <QHash>
#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

#include <chrono>
#include <optional>

namespace switchboard {

class Hub;

class EntityWatcher : public QObject {
    Q_OBJECT

public:
    struct Options {
        QString directory; // HubConfig::entitiesDir, resolved
        std::chrono::milliseconds debounce{200};
        bool demo = false; // an empty directory gets the sample entities (":/entities")
    };

    EntityWatcher(Options options, Hub& hub, QObject* parent = nullptr);
    ~EntityWatcher() override;

    // Creates the directory if missing (with the samples in demo mode, when empty), scans it,
    // publishes entity_list_update and starts watching. Returns why it could not.
    std::optional<QString> start();

    const QString& directory() const { return m_options.directory; }
    // The entities and errors as last seen, as loadEntities() would give them.
    EntitySet entitySet() const;

    // Copies the sample entities (":/entities") into `directory`; returns why it could not.
    // The samples are written as if the plan started in SamplesMonth; their dates move by
    // whole months so that it started in the month before `today`'s: the seed round is in
    // the bank, and the first forecast (which starts in today's month) opens with cash.
    // `today` is a UTC date, like the month forecasts start in (jobs/types/JobTypesCommon.h).
    static std::optional<QString> copySamples(const QString& directory, QDate today = todayUtc());
    static QDate todayUtc();
    static inline const QDate SamplesMonth{2025, 1, 1};

private:
    struct KnownFile {
        QByteArray digest;
        EntityParse parse;
    };
    enum class Mode { Initial, Live };

    void onPathChanged(const QString& path, bool isDirectory);
    void flush();
    void rescan(const QString& directory, Mode mode);
    void updateFile(const QString& path, Mode mode);
    void forgetFile(const QString& path);
    void forgetUnder(const QString& directory);
    void publishChange(const QString& eventType, const KnownFile& file, const QString& path);
    void publishValidationError(const QString& eventType, const KnownFile& file,
                                const QString& path);

    Options m_options;
    Hub& m_hub;
    QFileSystemWatcher m_watcher;
    QTimer m_debounce;
    QElapsedTimer m_pendingSince;
    QSet<QString> m_pendingDirectories;
    QSet<QString> m_directories;       // absolute; every folder of the tree we know
    QHash<QString, KnownFile> m_files; // absolute path -> what it held when last read
    // Watched paths, as seen at the start of a flush (QFileSystemWatcher drops a path
    // itself when it is deleted or renamed).
    QSet<QString> m_watchedFiles, m_watchedDirectories;
};

} // namespace switchboard
