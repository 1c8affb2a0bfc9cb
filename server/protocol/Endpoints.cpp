#include "Endpoints.h"

#include "dialects/Dialect.h"

#include <QStringList>

namespace switchboard {

void Endpoints::add(QString path, std::unique_ptr<Dialect> dialect)
{
    m_endpoints.push_back(Endpoint{std::move(path), dialect.get()});
    m_dialects.push_back(std::move(dialect));
}

void Endpoints::add(const QStringList& paths, std::unique_ptr<Dialect> dialect)
{
    for (const QString& path : paths)
        m_endpoints.push_back(Endpoint{path, dialect.get()});
    m_dialects.push_back(std::move(dialect));
}

const Endpoint* Endpoints::match(const QString& path) const
{
    // Exact paths first, so that a fixed path is never shadowed by a pattern.
    for (const Endpoint& endpoint : m_endpoints) {
        if (endpoint.path == path)
            return &endpoint;
    }
    for (const Endpoint& endpoint : m_endpoints) {
        if (endpoint.path.contains(u'{') && matches(endpoint.path, path))
            return &endpoint;
    }
    return nullptr;
}

bool Endpoints::matches(const QString& pattern, const QString& path)
{
    const QList<QStringView> expected = QStringView(pattern).split(u'/');
    const QList<QStringView> actual = QStringView(path).split(u'/');
    if (expected.size() != actual.size())
        return false;
    for (qsizetype i = 0; i < expected.size(); ++i) {
        const QStringView want = expected[i];
        if (want.startsWith(u'{') && want.endsWith(u'}')) {
            if (actual[i].isEmpty())
                return false;
        } else if (want != actual[i]) {
            return false;
        }
    }
    return true;
}

} // namespace switchboard
