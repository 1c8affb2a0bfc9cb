#pragma once

// Where requests about jobs are answered (SPEC §5, §12 "Jobs"): on a hub alone, its JobEngine;
// on a node of a cluster, every node's engine, so that a job submitted anywhere is listed,
// fetched and cancelled from anywhere. A job runs once, on the node that took it: this node
// answers for its own jobs from its engine and asks the others over the cluster's control
// channel for theirs. A listing merges every node's answer, newest first; a job not found here
// is looked up (or cancelled) by the node that has it. Answers come through a callback on the
// hub thread: at once on a hub alone (before the call returns), else when every node answered
// or Cluster::answerTimeout has passed, with what came: a stalled node never holds a request.

#include "../auth/Identity.h"
#include "../store/JobRecord.h"
#include "JobEngine.h"

#include <QList>
#include <QString>

#include <functional>
#include <optional>

namespace switchboard {

class Cluster;

struct JobListing {
    QList<JobRecord> jobs; // newest first
    int running = 0;
    int queued = 0;
    int maxRunning = 0;
};

class JobDirectory {
public:
    using Listed = std::function<void(const JobListing& listing)>;
    using Found = std::function<void(const std::optional<JobRecord>& job)>;
    using Answered = std::function<void(const JobAnswer& answer)>;

    // `cluster`: null for a hub alone. On a node, answers the other nodes' questions about
    // `engine`'s jobs from now until destroyed.
    JobDirectory(JobEngine& engine, Cluster* cluster);
    ~JobDirectory();
    JobDirectory(const JobDirectory&) = delete;
    JobDirectory& operator=(const JobDirectory&) = delete;

    // A filter left empty matches everything.
    void list(std::optional<JobStatus> status, const QString& type, Listed done);
    void find(const QString& id, Found done);
    void cancel(const QString& id, const Identity& by, Answered done);

private:
    JobListing listHere(std::optional<JobStatus> status, const QString& type) const;
    bool fromThisNode(const QJsonObject& message) const;

    JobEngine& m_engine;
    Cluster* m_cluster;
};

} // namespace switchboard
