#pragma once

// How the native job messages answer: a refusal of the job engine becomes an error code of
// SPEC §3 with the engine's sentence.

#include "../../jobs/JobEngine.h"
#include "../MessageHandler.h"

namespace switchboard {

// `context` answers now (HandlerContext) or later (PendingReply).
template <typename Answer> void failJobRequest(Answer&& context, const JobAnswer& answer)
{
    switch (answer.refusal) {
    case JobRefusal::InvalidParams:
    case JobRefusal::Conflict:
        return context.fail(ErrorCode::InvalidMessage, answer.error);
    case JobRefusal::NotFound:
        return context.fail(ErrorCode::NotFound, answer.error);
    case JobRefusal::Forbidden:
        return context.fail(ErrorCode::PermissionDenied, answer.error);
    case JobRefusal::Busy:
        return context.fail(ErrorCode::RateLimitExceeded, answer.error);
    case JobRefusal::Storage:
        return context.fail(ErrorCode::InternalError, answer.error);
    }
}

} // namespace switchboard
