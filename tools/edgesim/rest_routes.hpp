// The simulated venue's REST read API under /flow/v1 (seed 001): contest
// listing with cursor pagination, one contest, its liquidity snapshot, depth
// per position, live game state (single and batch) and the partner catalog,
// each in the seed's envelope. Driven by sim_session for every request whose
// path starts with /flow/v1 other than the stream upgrade; it only builds the
// answer, and the session decides how (chunked or not) and when (faults) to
// send it.
#pragma once

#include "http/request_parser.hpp"

#include <string>
#include <string_view>

namespace ef::sim {

class sim_server;

struct rest_reply {
    int status = 200;
    std::string body; // always JSON: the envelope or {"error":{...}}
};

// The reason phrase we send with `status` (RFC 9110 15).
const char* reason_phrase(int status) noexcept;

// {"error":{"code":...,"message":...}} with its status (PROTOCOL.md, ours).
rest_reply rest_error(int status, std::string_view code, std::string_view message);

// Answers one REST request, X-API-Key check included. May change the truth:
// a pending snapshot_change fault is applied right before a snapshot.
rest_reply answer_rest(sim_server& server, const http::request_head& head, std::string_view body);

} // namespace ef::sim
