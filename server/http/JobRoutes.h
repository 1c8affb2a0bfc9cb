#pragma once

// The job API (SPEC §2.1, §5): list, submit, inspect and cancel jobs (listed, inspected and
// cancelled through `directory`: on a node of a cluster, the jobs of every node); services
// create and report external jobs; generated reports are downloaded here.

namespace switchboard {

class HttpRouter;
class JobDirectory;
class JobEngine;
class TopicPolicy;

void addJobRoutes(HttpRouter& router, JobEngine& jobs, JobDirectory& directory,
                  const TopicPolicy& policy);

} // namespace switchboard
