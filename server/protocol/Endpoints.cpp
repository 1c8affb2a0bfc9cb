#include "Endpoints.h"

#include "dialects/Dialect.h"

namespace switchboard {

void Endpoints::add(QString path, std::unique_ptr<Dialect> dialect)
{
    m_endpoints.push_back(Endpoint{std::move(path), dialect.get()});
    m_dialects.push_back(std::move(dialect));
}

const Endpoint* Endpoints::match(const QString& path) const
{
    for (const Endpoint& endpoint : m_endpoints) {
        if (endpoint.path == path)
            return &endpoint;
    }
    return nullptr;
}

} // namespace switchboard
