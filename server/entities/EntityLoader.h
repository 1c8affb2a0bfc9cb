#pragma once

// Reads and validates entity files (SPEC §6.1). Errors a user can make in a file are values
// with the field, a message and a fix suggestion, never exceptions. Thread-safe: plain
// functions over the file system, callable from jobs in the thread pool.

#include "entities/Entity.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QString>

#include <optional>

namespace switchboard {

struct EntityError {
    QString filePath; // relative to the entities dir
    int line = 0;     // 1-based; 0 when the error has no place in the file (a missing field)
    int column = 0;   // 1-based; 0 as for line
    QString field;    // the field at fault; empty for the file as a whole (broken YAML)
    QString message;
    QString suggestion; // how to fix it: "did you mean 'employee'?"

    // {file_path, line, column, field, message, suggestion}
    QJsonObject toJson() const;
};

struct EntityParse {
    std::optional<Entity> entity; // set exactly when errors is empty
    QList<EntityError> errors;
};

// Files the loader reads: *.yaml and *.yml, not hidden (editors' ".#x.yaml" lock files).
bool isEntityFileName(const QString& fileName);

// Parses one file. `absolutePath` must lie inside `entitiesDir`; the entity's id is the
// file's stem and its filePath the path relative to `entitiesDir`.
EntityParse parseEntityFile(const QString& entitiesDir, const QString& absolutePath);
// The same for contents already read (the watcher compares contents before parsing).
EntityParse parseEntityText(const QString& entitiesDir, const QString& absolutePath,
                            const QByteArray& contents);

struct EntitySet {
    QList<Entity> entities; // ordered by file path
    QList<EntityError> errors;
};

// Every entity file under `entitiesDir`, recursively (hidden folders and symlinked folders
// are skipped). A second file with an id already taken (same stem in another folder) is an
// error and left out, so ids stay unique.
EntitySet loadEntities(const QString& entitiesDir);

// The set made of parsed files, applying the rule above; `parses` must be in file path order.
EntitySet entitySetOf(const QList<EntityParse>& parses);

} // namespace switchboard
