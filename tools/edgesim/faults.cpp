// See faults.hpp.
#include "edgesim/faults.hpp"

#include "http/uri.hpp"

#include <charconv>
#include <fmt/format.h>

namespace ef::sim {

namespace {

constexpr const char* names[fault_kinds] = {
    "refresh_required",   "snapshot_change",    "drop",         "stall",     "garbage",
    "truncated",          "invalid_json",       "invalid_utf8", "fragment",  "big",
    "reject_upgrade_401", "reject_upgrade_429", "rest_slow",    "rest_fail", "rest_hang",
    "contest_open",       "contest_close",      "order_latency", "order_drop", "order_hang",
    "order_status",
};

// The issue's short forms of the order faults, as "name=value" first pairs.
struct short_form {
    std::string_view prefix, kind, param;
};
constexpr short_form short_forms[] = {
    {"order_latency_ms=", "order_latency", "ms"},
    {"order_drop=", "order_drop", "when"},
    {"order_status=", "order_status", "status"},
};

// "order_drop=after&count=2" -> "kind=order_drop&when=after&count=2".
std::string expand_short_form(std::string_view q) {
    if (q.starts_with("kind=")) q.remove_prefix(5);
    for (const short_form& f : short_forms)
        if (q.starts_with(f.prefix))
            return fmt::format("kind={}&{}={}", f.kind, f.param, q.substr(f.prefix.size()));
    return {};
}

bool read_int(std::string_view text, int64_t& out) {
    const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
    return r.ec == std::errc() && r.ptr == text.data() + text.size() && out >= 0;
}

} // namespace

const char* to_string(fault_kind k) noexcept {
    const auto i = static_cast<size_t>(k);
    return i < fault_kinds ? names[i] : "unknown";
}

bool parse_fault_kind(std::string_view text, fault_kind& out) noexcept {
    for (size_t i = 0; i < fault_kinds; ++i)
        if (text == names[i]) {
            out = static_cast<fault_kind>(i);
            return true;
        }
    return false;
}

bool is_stream_fault(fault_kind k) noexcept {
    switch (k) {
    case fault_kind::refresh_required:
    case fault_kind::drop:
    case fault_kind::stall:
    case fault_kind::garbage:
    case fault_kind::truncated:
    case fault_kind::invalid_json:
    case fault_kind::invalid_utf8:
    case fault_kind::big:
        return true;
    default:
        return false;
    }
}

bool is_fault_query(std::string_view query) noexcept {
    if (http::find_query_param(query, "kind").data() != nullptr) return true;
    for (const short_form& f : short_forms)
        if (query.starts_with(f.prefix)) return true;
    // A bare kind first, as --fault takes it ("order_hang&count=2").
    fault_kind k;
    return parse_fault_kind(query.substr(0, query.find_first_of("&=")), k);
}

std::string fault_kind_list() {
    std::string out;
    for (size_t i = 0; i < fault_kinds; ++i)
        out += fmt::format("{}{}", i ? ", " : "", names[i]);
    return out;
}

result<fault_request> parse_fault_request(std::string_view query) {
    std::string q = expand_short_form(query);
    if (q.empty()) q = query;
    if (q.find("kind=") == std::string::npos) q = "kind=" + q;
    fault_request r;
    char buf[256];
    std::string_view v;
    if (http::find_query_param(q, "kind", buf, v) != http::codec_status::ok ||
        !parse_fault_kind(v, r.kind))
        return make_error(fmt::format("unknown fault kind '{}'", v));
    if (http::find_query_param(q, "contest", buf, v) == http::codec_status::ok) r.contest = v;
    int64_t n = 0;
    if (http::find_query_param(q, "count", buf, v) == http::codec_status::ok) {
        if (!read_int(v, n)) return make_error("count: a non-negative integer");
        r.count = static_cast<uint64_t>(n);
    }
    if (http::find_query_param(q, "ms", buf, v) == http::codec_status::ok) {
        if (!read_int(v, n)) return make_error("ms: a non-negative integer");
        r.ms = n;
    }
    if (http::find_query_param(q, "when", buf, v) == http::codec_status::ok) {
        if (v != "before" && v != "after") return make_error("when: before or after");
        r.after = v == "after";
    }
    if (http::find_query_param(q, "status", buf, v) == http::codec_status::ok) {
        if (!read_int(v, n) || n < 400 || n > 599) return make_error("status: 400 to 599");
        r.http_status = static_cast<int>(n);
    }
    if (r.kind == fault_kind::order_status && r.http_status == 0)
        return make_error("order_status needs a status (order_status=NNN)");
    return r;
}

std::string fault_book::json() const {
    std::string fired_obj, requested_obj;
    for (size_t i = 0; i < fault_kinds; ++i) {
        fired_obj += fmt::format("{}\"{}\":{}", i ? "," : "", names[i], fired[i]);
        requested_obj += fmt::format("{}\"{}\":{}", i ? "," : "", names[i], requested[i]);
    }
    std::string changes;
    for (const auto& c : snapshot_change)
        changes += fmt::format("{}\"{}\"", changes.empty() ? "" : ",", c);
    std::string statuses;
    for (int st : order_status_queue)
        statuses += fmt::format("{}{}", statuses.empty() ? "" : ",", st);
    return fmt::format(
        R"({{"fired":{{{}}},"requested":{{{}}},"queued":{},"reject_upgrade_401_left":{},"reject_upgrade_429_left":{},"rest_fail_left":{},"rest_hang_left":{},"rest_slow_ms":{},"fragment":{},"snapshot_change_pending":[{}],"chaos_fired":{},"order_latency_ms":{},"order_drop_before_left":{},"order_drop_after_left":{},"order_hang_left":{},"order_status_pending":[{}]}})",
        fired_obj, requested_obj, queue.size(), reject_401_left, reject_429_left, rest_fail_left,
        rest_hang_left, rest_slow_ms, fragment ? "true" : "false", changes, chaos_fired,
        order_latency_ms, order_drop_before_left, order_drop_after_left, order_hang_left,
        statuses);
}

} // namespace ef::sim
