#pragma once

// The job API (SPEC §2.1, §5): list, submit, inspect and cancel jobs; services create and
// report external jobs; generated reports are downloaded here.

namespace switchboard {

class HttpRouter;
class JobEngine;
class TopicPolicy;

void addJobRoutes(HttpRouter& router, JobEngine& jobs, const TopicPolicy& policy);

} // namespace switchboard
