// See rest_routes.hpp.
#include "edgesim/rest_routes.hpp"

#include "common/clock.hpp"
#include "edgesim/path_segments.hpp"
#include "edgesim/sim_json.hpp"
#include "edgesim/sim_server.hpp"
#include "feed/protocol_rules.hpp"
#include "json/scanner.hpp"
#include "json/timestamp.hpp"

#include <algorithm>
#include <charconv>
#include <fmt/format.h>
#include <initializer_list>
#include <vector>

namespace ef::sim {

namespace {

// Seed 001: list limits "default 50, max 200"; the batch state read takes
// at most 200 ids.
constexpr unsigned om_default_limit = 50;
constexpr unsigned om_max_limit = 200;
constexpr size_t max_batch_ids = 200;

std::string envelope(const sim_server& server, std::string_view data, int64_t meta_ns,
                     std::string_view pagination = {}) {
    std::string out = "{\"data\":";
    out += data;
    if (!pagination.empty()) {
        out += ",\"pagination\":";
        out += pagination;
    }
    out += fmt::format(R"(,"meta":{{"timestamp":"{}","api_version":"v1"}}}})",
                       server.timestamp_text(meta_ns));
    return out;
}

std::string plain(int64_t v_e9) {
    return venue_book::number_text(v_e9, 0);
}

// The first query parameter whose name is not in `allowed`, or empty.
std::string unknown_param(std::string_view query, std::initializer_list<std::string_view> allowed) {
    while (!query.empty()) {
        const size_t amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        const std::string_view raw = pair.substr(0, pair.find('='));
        std::string buf(raw.size(), '\0');
        std::string_view name;
        if (http::query_decode(raw, {buf.data(), buf.size()}, name) != http::codec_status::ok)
            return std::string(raw);
        if (!pair.empty() && std::find(allowed.begin(), allowed.end(), name) == allowed.end())
            return std::string(name);
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return {};
}

// A decoded query value; `present` false when absent. False on a bad escape.
bool param(std::string_view query, std::string_view name, std::string& value, bool& present) {
    std::string buf(query.size(), '\0');
    std::string_view v;
    const auto st = http::find_query_param(query, name, {buf.data(), buf.size()}, v);
    present = st == http::codec_status::ok;
    if (present) value.assign(v);
    return st == http::codec_status::ok || st == http::codec_status::absent;
}

rest_reply bad_value(std::string_view name, std::string_view why) {
    return rest_error(400, "invalid_parameter", fmt::format("{}: {}", name, why));
}

std::string contest_json(const sim_server& server, const std::string& id, const contest_info& ci) {
    const size_t n = id.size() >= 4 ? std::strtoul(id.c_str() + id.size() - 4, nullptr, 10) : 0;
    return fmt::format(
        R"({{"id":"{}","league_id":"{}","title":"Sim Home {} vs. Sim Away {}","type":"match","starts_at":"{}","status":"{}","tags":{{"home_team":"HOME","away_team":"AWAY"}},"created_at":"{}","updated_at":"{}"}})",
        id, ci.league_id, n, n, server.timestamp_text(ci.starts_at_ns), ci.open ? "open" : "closed",
        server.timestamp_text(server.start_unix_ns()), server.timestamp_text(ci.last_change_ns));
}

// Cursors are opaque to clients (seed 001) but stable: the sort key of the
// last item served, hex-encoded, so contests added later do not shift pages.
std::string make_cursor(int64_t starts_at_ns, std::string_view id) {
    std::string out = fmt::format("c{:016x}", static_cast<uint64_t>(starts_at_ns));
    for (unsigned char c : id)
        out += fmt::format("{:02x}", c);
    return out;
}

bool read_cursor(std::string_view c, int64_t& starts_at_ns, std::string& id) {
    if (c.size() < 17 || c[0] != 'c' || (c.size() - 17) % 2 != 0) return false;
    uint64_t t = 0;
    if (std::from_chars(c.data() + 1, c.data() + 17, t, 16).ptr != c.data() + 17) return false;
    starts_at_ns = static_cast<int64_t>(t);
    id.clear();
    for (size_t i = 17; i < c.size(); i += 2) {
        unsigned v = 0;
        if (std::from_chars(c.data() + i, c.data() + i + 2, v, 16).ptr != c.data() + i + 2)
            return false;
        id += static_cast<char>(v);
    }
    return true;
}

rest_reply list_contests(sim_server& server, std::string_view query) {
    if (const std::string u =
            unknown_param(query, {"league_id", "status", "cursor", "limit", "start_after",
                                  "start_before", "parent_contest_id"});
        !u.empty())
        return rest_error(400, "unknown_parameter", fmt::format("unknown query parameter {}", u));
    std::string league, status = "open", cursor, limit_text, after, before, parent;
    bool has_league, has_status, has_cursor, has_limit, has_after, has_before, has_parent;
    if (!param(query, "league_id", league, has_league) ||
        !param(query, "status", status, has_status) ||
        !param(query, "cursor", cursor, has_cursor) ||
        !param(query, "limit", limit_text, has_limit) ||
        !param(query, "start_after", after, has_after) ||
        !param(query, "start_before", before, has_before) ||
        !param(query, "parent_contest_id", parent, has_parent))
        return rest_error(400, "invalid_parameter", "bad percent-escape in the query");
    if (!has_status) status = "open"; // seed: "Default: open"
    if (status != "open" && status != "closed") return bad_value("status", "open or closed");
    unsigned limit = om_default_limit;
    if (has_limit) {
        const auto r =
            std::from_chars(limit_text.data(), limit_text.data() + limit_text.size(), limit);
        if (r.ec != std::errc() || r.ptr != limit_text.data() + limit_text.size() || limit == 0 ||
            limit > om_max_limit)
            return bad_value("limit", "an integer from 1 to 200");
    }
    int64_t after_ns = INT64_MIN, before_ns = INT64_MAX, cur_ns = INT64_MIN;
    std::string cur_id;
    if (has_after && json::parse_timestamp_ns(after, after_ns) != json::timestamp_status::ok)
        return bad_value("start_after", "an ISO-8601 UTC timestamp");
    if (has_before && json::parse_timestamp_ns(before, before_ns) != json::timestamp_status::ok)
        return bad_value("start_before", "an ISO-8601 UTC timestamp");
    if (has_cursor && !read_cursor(cursor, cur_ns, cur_id))
        return bad_value("cursor", "not a cursor we gave");

    std::vector<std::pair<int64_t, std::string>> rows;
    for (const std::string& id : server.book().contest_ids()) {
        const contest_info& ci = *server.book().info(id);
        if (has_league && ci.league_id != league) continue;
        if (ci.open != (status == "open")) continue;
        if (ci.starts_at_ns < after_ns || ci.starts_at_ns > before_ns) continue;
        if (has_parent) continue; // the simulator's contests have no parent
        if (has_cursor && std::make_pair(ci.starts_at_ns, id) <= std::make_pair(cur_ns, cur_id))
            continue;
        rows.emplace_back(ci.starts_at_ns, id);
    }
    std::sort(rows.begin(), rows.end());
    const bool more = rows.size() > limit;
    if (more) rows.resize(limit);
    std::string data = "[";
    for (const auto& [t, id] : rows) {
        if (data.size() > 1) data += ',';
        data += contest_json(server, id, *server.book().info(id));
    }
    data += ']';
    const std::string next =
        more ? json_quote(make_cursor(rows.back().first, rows.back().second)) : "null";
    return {200, envelope(server, data, unix_ns(),
                          fmt::format(R"({{"next_cursor":{},"has_more":{},"limit":{}}})", next,
                                      more ? "true" : "false", limit))};
}

std::string state_item(const sim_server& server, const std::string& id, const contest_info& ci) {
    return fmt::format(R"({{"contest_id":"{}","state":{},"refreshed_at":"{}","cached_at":"{}"}})",
                       id, state_json(ci.state), server.timestamp_text(ci.state_changed_ns),
                       server.timestamp_text(ci.state_changed_ns));
}

rest_reply batch_state(sim_server& server, std::string_view body) {
    // {"contest_ids":[...]}: unknown members ignored, as the venue does.
    const char* p = json::skip_ws(body.data(), body.data() + body.size());
    const char* const end = body.data() + body.size();
    json::value ids;
    bool has_ids = false;
    if (p == end || *p != '{')
        return rest_error(400, "invalid_body", "expected {\"contest_ids\":[...]}");
    json::syntax_error e =
        json::scan_object(p, end, 1, [&](const json::value& key, const json::value& v) {
            char buf[json::key_buffer_bytes];
            if (json::key_text(key, buf) == "contest_ids") ids = v, has_ids = true;
        });
    if (e == json::syntax_error::none && json::skip_ws(p, end) != end)
        e = json::syntax_error::trailing_content;
    if (e != json::syntax_error::none) return rest_error(400, "invalid_body", json::to_string(e));
    if (!has_ids || ids.kind != json::value_kind::array)
        return rest_error(400, "invalid_body", "contest_ids must be an array of strings");
    std::string scratch_mem(body.size(), '\0');
    json::scratch s({scratch_mem.data(), scratch_mem.size()});
    json::string_iterator it(ids.text, s);
    std::vector<std::string> list;
    std::string_view id;
    json::item_status st;
    while ((st = it.next(id)) == json::item_status::ok)
        list.emplace_back(id);
    if (st != json::item_status::end)
        return rest_error(400, "invalid_body", "contest_ids must be an array of strings");
    if (list.size() > max_batch_ids) return bad_value("contest_ids", "at most 200");
    std::string data = "{";
    std::vector<std::string> seen;
    for (const std::string& c : list) {
        const contest_info* ci = server.book().info(c);
        if (!ci || std::find(seen.begin(), seen.end(), c) != seen.end())
            continue; // seed: misses omitted
        seen.push_back(c);
        if (data.size() > 1) data += ',';
        data += json_quote(c) + ":" + state_item(server, c, *ci);
    }
    data += '}';
    return {200, envelope(server, data, unix_ns())};
}

rest_reply depth(sim_server& server, const std::string& hash) {
    const partner_levels* levels = server.book().find_position(hash);
    if (!levels) return rest_error(404, "not_found", "no such position");
    const std::string now = server.timestamp_text(unix_ns());
    std::string partners;
    for (const auto& [partner, lv] : *levels) {
        // Ours: the best level is the book's; deeper ones cost 0.01 more a
        // step and hold k+1 times as much, while the price stays below 1.
        std::string lvls;
        int64_t total = 0;
        for (int64_t k = 0; k < 3; ++k) {
            const int64_t price = lv.first + k * 10'000'000;
            if (k > 0 && price >= 1'000'000'000) break;
            const int64_t avail = lv.second * (k + 1);
            total += avail;
            if (!lvls.empty()) lvls += ',';
            lvls += fmt::format(R"({{"price":{},"available":{}}})", plain(price), plain(avail));
        }
        if (!partners.empty()) partners += ',';
        partners += fmt::format(
            R"({{"partner_id":"{}","partner_name":"{}","levels":[{}],"total_available":{},"best_price":{},"fetched_at":"{}"}})",
            partner, venue_book::partner_name(partner), lvls, plain(total), plain(lv.first), now);
    }
    const std::string data = fmt::format(
        R"({{"position_hash":{},"partners":[{}],"fetched_at":"{}"}})", json_quote(hash), partners, now);
    return {200, envelope(server, data, unix_ns())};
}

std::string partner_json(std::string_view partner) {
    return fmt::format(
        R"({{"partner_id":"{}{}","name":"{}","status":"active","credential_fields":[{{"key":"api_key","label":"API Key","type":"text","required":true}}]}})",
        openmarkets::catalog_partner_prefix, partner, venue_book::partner_name(partner));
}

} // namespace

const char* reason_phrase(int status) noexcept {
    switch (status) {
    case 200:
        return "OK";
    case 400:
        return "Bad Request";
    case 401:
        return "Unauthorized";
    case 403:
        return "Forbidden";
    case 404:
        return "Not Found";
    case 409:
        return "Conflict";
    case 405:
        return "Method Not Allowed";
    case 429:
        return "Too Many Requests";
    case 500:
        return "Internal Server Error";
    case 502:
        return "Bad Gateway";
    case 503:
        return "Service Unavailable";
    case 504:
        return "Gateway Timeout";
    }
    return "Unknown";
}

rest_reply rest_error(int status, std::string_view code, std::string_view message) {
    return {status,
            fmt::format(R"({{"error":{{"code":"{}","message":{}}}}})", code, json_quote(message))};
}

rest_reply answer_rest(sim_server& server, const http::request_head& h, std::string_view body) {
    if (http::find_header(h.headers, openmarkets::api_key_header) != server.options().api_key)
        return rest_error(401, "unauthorized", "missing or invalid API key");
    std::vector<std::string> seg;
    std::string_view rest = h.path.substr(openmarkets::rest_base_path.size());
    if (!split_path_segments(rest, seg))
        return rest_error(400, "invalid_path", "bad percent-escape in the path");
    const bool get = h.method == "GET", post = h.method == "POST";
    const size_t n = seg.size();
    auto method_not_allowed = [] {
        return rest_error(405, "method_not_allowed", "method not allowed here");
    };
    auto no_query = [&]() -> std::string { return unknown_param(h.query, {}); };

    if (n == 1 && seg[0] == "contests")
        return get ? list_contests(server, h.query) : method_not_allowed();
    if (n == 2 && seg[0] == "contest-state" && seg[1] == "batch") {
        if (!post) return method_not_allowed();
        if (const auto u = no_query(); !u.empty()) return rest_error(400, "unknown_parameter", u);
        return batch_state(server, body);
    }
    if (n == 1 && seg[0] == "partners") {
        if (!get) return method_not_allowed();
        if (const auto u = no_query(); !u.empty()) return rest_error(400, "unknown_parameter", u);
        std::string data = "[";
        for (const auto& p : server.book().partners()) {
            if (data.size() > 1) data += ',';
            data += partner_json(p);
        }
        data += ']';
        return {200, envelope(server, data, unix_ns(),
                              R"({"next_cursor":null,"has_more":false,"limit":50})")};
    }
    const bool known_shape =
        (n == 2 && (seg[0] == "contests" || seg[0] == "depth" || seg[0] == "partners")) ||
        (n == 3 && seg[0] == "contests" && (seg[2] == "liquidity" || seg[2] == "state"));
    if (!known_shape) return rest_error(404, "not_found", "no such route");
    if (!get) return method_not_allowed();
    if (const auto u = no_query(); !u.empty())
        return rest_error(400, "unknown_parameter", fmt::format("unknown query parameter {}", u));
    if (seg[0] == "depth") return depth(server, seg[1]);
    if (seg[0] == "partners") {
        const auto& ps = server.book().partners();
        const std::string_view id = seg[1];
        const auto it = std::find(ps.begin(), ps.end(), openmarkets::liquidity_partner_id(id));
        if (!id.starts_with(openmarkets::catalog_partner_prefix) || it == ps.end())
            return rest_error(404, "not_found", "no such partner");
        return {200, envelope(server, partner_json(*it), unix_ns())};
    }
    const std::string& id = seg[1];
    const contest_info* ci = server.book().info(id);
    if (!ci) return rest_error(404, "not_found", "no such contest");
    if (n == 2) return {200, envelope(server, contest_json(server, id, *ci), unix_ns())};
    if (seg[2] == "state") return {200, envelope(server, state_item(server, id, *ci), unix_ns())};
    server.before_snapshot(id);
    ++server.stats().snapshots_served;
    return {200, server.book().snapshot_json(id, server.timestamp_text(ci->last_change_ns))};
}

} // namespace ef::sim
