#pragma once

// Maps a WebSocket request path to its dialect (SPEC §2.2).

#include <QHash>
#include <QString>

#include <memory>
#include <vector>

namespace switchboard {

class Dialect;

struct Endpoint {
    QString path; // "/ws/v1"
    const Dialect* dialect = nullptr;
};

class Endpoints {
public:
    void add(QString path, std::unique_ptr<Dialect> dialect);
    // The endpoint serving `path`, or nullptr.
    const Endpoint* match(const QString& path) const;
    const std::vector<Endpoint>& all() const { return m_endpoints; }

private:
    std::vector<std::unique_ptr<Dialect>> m_dialects;
    std::vector<Endpoint> m_endpoints;
};

} // namespace switchboard
