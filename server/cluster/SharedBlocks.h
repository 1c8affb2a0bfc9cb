#pragma once

// A rate-limit block made on one node holds on every node of the cluster (SPEC §7, §12): each
// block a limiter of this node makes is told to the others, which apply it to their limiter of
// the same name, so the blocked client is refused wherever it reconnects (429 at the upgrade)
// and closed with 1008 at its next message on another node. Blocks of one connection stay on
// its node.

#include <QList>
#include <QObject>
#include <QString>

#include <utility>

namespace switchboard {

class Cluster;
class RateLimiter;

class SharedBlocks : public QObject {
    Q_OBJECT

public:
    // `limiters` by name, the same names on every node; they must outlive this.
    SharedBlocks(Cluster& cluster, QList<std::pair<QString, RateLimiter*>> limiters,
                 QObject* parent = nullptr);
    ~SharedBlocks() override;

private:
    Cluster& m_cluster;
    QList<std::pair<QString, RateLimiter*>> m_limiters;
};

} // namespace switchboard
