#pragma once

// Maps a WebSocket request path to its dialect (SPEC §2.2). A path may hold parameters
// ("/ws/projects/{project_id}"), each matching one non-empty path segment.

#include <QString>

#include <memory>
#include <vector>

namespace switchboard {

class Dialect;

struct Endpoint {
    QString path; // "/ws/v1", "/ws/projects/{project_id}"
    const Dialect* dialect = nullptr;
};

class Endpoints {
public:
    // Serves `path` with a dialect of its own.
    void add(QString path, std::unique_ptr<Dialect> dialect);
    // Serves several paths with one dialect, so that an event is encoded once for all of them.
    void add(const QStringList& paths, std::unique_ptr<Dialect> dialect);

    // The endpoint serving `path`, or nullptr.
    const Endpoint* match(const QString& path) const;
    const std::vector<Endpoint>& all() const { return m_endpoints; }

    // True when `path` matches `pattern`, whose "{name}" segments match any one segment.
    static bool matches(const QString& pattern, const QString& path);

private:
    std::vector<std::unique_ptr<Dialect>> m_dialects;
    std::vector<Endpoint> m_endpoints;
};

} // namespace switchboard
