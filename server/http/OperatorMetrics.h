#pragma once

// The /metrics families that operators' Prometheus and Grafana expect beyond the hub's own
// counters (SPEC §13): the job engine (switchboard_jobs_queued, _running, _finished_total by
// status, switchboard_job_duration_seconds), open connections per endpoint
// (switchboard_endpoint_connections{endpoint="/ws/v1"}, labelled by the endpoint's pattern so
// /ws/projects/{project_id} is one series, not one per project), and the standard process_*
// metrics of the Prometheus client libraries (CPU seconds, resident and virtual memory, open
// and maximum file descriptors, start time), read from /proc on Linux.

#include <QByteArray>

namespace switchboard {

struct RouteContext;

void writeOperatorMetrics(QByteArray& out, const RouteContext& context);

} // namespace switchboard
