// edgebench's JSON comparison: ef::json::parse_stream_message + entry_iterator
// versus simdjson On-Demand, extracting the same fields from the same frames.
// Both sides convert numbers and timestamps with the same exact functions
// (parse_decimal_e9_token on the raw token, parse_timestamp_ns), so the
// difference measured is the JSON work alone; simdjson's get_double would be
// inexact and is not used. Runs interleave (perfdiff style) and the medians
// are compared, since this machine is shared and noisy.
#include "tools/edgebench/json_compare.hpp"
#include "tools/edgebench/cpu_timing.hpp"

#include "json/decimal.hpp"
#include "json/stream_message.hpp"
#include "json/timestamp.hpp"

#include <simdjson.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <random>
#include <string>
#include <vector>

namespace ef::bench {

namespace {

// ---------------------------------------------------------------- frames

struct frame_kind {
    std::string name;
    std::string text;
};

struct member {
    std::string key; // already JSON-escaped as it should appear
    std::string value_json;
};

std::string join_object(std::vector<member> m, std::mt19937_64* shuffle) {
    if (shuffle) std::shuffle(m.begin(), m.end(), *shuffle);
    std::string s = "{";
    for (size_t i = 0; i < m.size(); ++i) {
        if (i) s += ", ";
        s += '"' + m[i].key + "\": " + m[i].value_json;
    }
    return s + "}";
}

// "\u00XX" for an ASCII byte.
std::string u_escape(char c) {
    char b[8];
    std::snprintf(b, sizeof b, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
    return b;
}

// Price and size texts in the forms the protocol allows; every one is exact.
const char* const price_forms[] = {"0.49", "4.9e-1", "0.490", "49E-2", "0.5", "0.485", "1", "0.07"};
const char* const size_forms[] = {"5400", "5400.0", "5.4e3", "2100.5", "0", "12", "3300", "1e2"};
const char* const partners[] = {"kalshi", "polymarket", "novig", "prophetx"};
const char* const markets[] = {"mk_ml", "mk_spread", "mk_total"};

std::string build_frame(size_t entries, bool shuffled, bool escaped, uint64_t seed) {
    std::mt19937_64 rng(seed);
    std::mt19937_64* shuffle = shuffled ? &rng : nullptr;
    const std::string contest = "ct_abc123";
    std::string arr = "[";
    for (size_t i = 0; i < entries; ++i) {
        const std::string partner = partners[i % 4];
        std::string hash = partner + ":" + contest + ":" + markets[i % 3] + ":side_" +
                           (i % 2 ? "away" : "home") + ":var_" + std::to_string(i / 6) +
                           ":p_kc:tf_full";
        std::string partner_json = '"' + partner + '"';
        std::string hash_json = '"' + hash + '"';
        std::string price_key = "price";
        if (escaped && i % 2 == 0) {
            // Every other entry: its first ':' as \u003a, a letter of the
            // partner as \u00XX, and the price key escaped.
            hash_json.replace(hash_json.find(':'), 1, "\\u003a");
            partner_json =
                '"' + partner.substr(0, 2) + u_escape(partner[2]) + partner.substr(3) + '"';
            price_key = "pr\\u0069ce";
        }
        std::vector<member> m = {{"liquidity_hash", hash_json},
                                 {"partner_id", partner_json},
                                 {price_key, price_forms[i % 8]},
                                 {"available", size_forms[(i * 3) % 8]}};
        if (i) arr += ", ";
        arr += join_object(std::move(m), shuffle);
    }
    arr += "]";
    std::string ts =
        entries >= 10 ? "\"2026-04-17T22:00:01.234567891Z\"" : "\"2026-04-17T22:00:01.234Z\"";
    std::vector<member> top = {{"type", "\"liquidity.update\""},
                               {escaped ? "contest\\u005fid" : "contest_id", '"' + contest + '"'},
                               {"changed_entries", arr},
                               {"refresh_required", "false"},
                               {"timestamp", ts}};
    return join_object(std::move(top), shuffle);
}

std::vector<frame_kind> build_frames() {
    std::vector<frame_kind> kinds;
    for (const size_t n : {1, 3, 10, 50})
        for (const bool shuffled : {false, true})
            for (const bool escaped : {false, true}) {
                std::string name = std::to_string(n) + (n == 1 ? " entry " : " entries ") +
                                   (shuffled ? "shuffled" : "seed-order") +
                                   (escaped ? " escaped" : "");
                kinds.push_back({std::move(name), build_frame(n, shuffled, escaped, 42 + n)});
            }
    return kinds;
}

// ---------------------------------------------------------------- extraction

// What both parsers must agree on; `fold` makes the timed loops keep the work.
struct extracted_entry {
    std::string hash, partner;
    int64_t price_e9, available_e9;
    bool operator==(const extracted_entry&) const = default;
};
struct extracted {
    std::string contest_id;
    int64_t timestamp_ns = 0;
    bool refresh_required = false;
    std::vector<extracted_entry> entries;
    bool operator==(const extracted&) const = default;
};

struct folder {
    uint64_t sum = 0;
    extracted* record = nullptr; // set only for the correctness check
    void text(std::string_view s) { sum += s.size() * 31 + static_cast<unsigned char>(s.back()); }
    void entry(std::string_view hash, std::string_view partner, int64_t price, int64_t avail) {
        text(hash);
        text(partner);
        sum += static_cast<uint64_t>(price) * 7 + static_cast<uint64_t>(avail);
        if (record)
            record->entries.push_back({std::string(hash), std::string(partner), price, avail});
    }
};

bool ours(std::string_view frame, json::scratch& s, folder& f) noexcept {
    json::stream_message m;
    if (json::parse_stream_message(frame, m, s) != json::message_status::ok ||
        m.type != json::message_type::liquidity_update)
        return false;
    const json::liquidity_update& u = m.liquidity;
    f.text(u.contest_id);
    f.sum += static_cast<uint64_t>(u.timestamp_ns) + u.refresh_required;
    if (f.record) {
        f.record->contest_id = std::string(u.contest_id);
        f.record->timestamp_ns = u.timestamp_ns;
        f.record->refresh_required = u.refresh_required;
    }
    json::entry_iterator it = u.entries(s);
    json::liquidity_entry e;
    for (;;) {
        const json::item_status st = it.next(e);
        if (st == json::item_status::end) return true;
        if (st != json::item_status::ok) return false;
        f.entry(e.liquidity_hash, e.partner_id, e.price_e9, e.available_e9);
    }
}

// raw_json_token keeps the whitespace up to the next token.
std::string_view trim_right(std::string_view s) {
    while (!s.empty() &&
           (s.back() == ' ' || s.back() == '\n' || s.back() == '\r' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

bool simd_amount(simdjson::ondemand::value v, int64_t& out) noexcept {
    return json::parse_decimal_e9_token(trim_right(v.raw_json_token()), out) ==
           json::decimal_status::ok;
}

bool simd_entry(simdjson::ondemand::value entry, folder& f) noexcept {
    simdjson::ondemand::object obj;
    if (entry.get_object().get(obj)) return false;
    std::string_view hash, partner;
    int64_t price = 0, avail = 0;
    unsigned seen = 0;
    for (auto field : obj) {
        std::string_view key;
        if (field.unescaped_key().get(key)) return false;
        if (key == "liquidity_hash") {
            if (field.value().get_string().get(hash)) return false;
            seen |= 1;
        } else if (key == "partner_id") {
            if (field.value().get_string().get(partner)) return false;
            seen |= 2;
        } else if (key == "price") {
            if (!simd_amount(field.value(), price)) return false;
            seen |= 4;
        } else if (key == "available") {
            if (!simd_amount(field.value(), avail)) return false;
            seen |= 8;
        }
    }
    if (seen != 15) return false;
    f.entry(hash, partner, price, avail);
    return true;
}

// Field by field in document order, so the key order does not matter (the
// unordered lookups would rescan); keys compared unescaped, as ours are.
bool simd(simdjson::ondemand::parser& parser, const simdjson::padded_string& frame,
          folder& f) noexcept {
    simdjson::ondemand::document doc;
    if (parser.iterate(frame).get(doc)) return false;
    simdjson::ondemand::object obj;
    if (doc.get_object().get(obj)) return false;
    unsigned seen = 0;
    for (auto field : obj) {
        std::string_view key;
        if (field.unescaped_key().get(key)) return false;
        if (key == "type") {
            std::string_view t;
            if (field.value().get_string().get(t) || t != "liquidity.update") return false;
            seen |= 1;
        } else if (key == "contest_id") {
            std::string_view c;
            if (field.value().get_string().get(c)) return false;
            f.text(c);
            if (f.record) f.record->contest_id = std::string(c);
            seen |= 2;
        } else if (key == "timestamp") {
            std::string_view t;
            int64_t ns = 0;
            if (field.value().get_string().get(t)) return false;
            const json::timestamp_status ts = json::parse_timestamp_ns(t, ns);
            if (ts != json::timestamp_status::ok && ts != json::timestamp_status::excess_precision)
                return false;
            f.sum += static_cast<uint64_t>(ns);
            if (f.record) f.record->timestamp_ns = ns;
            seen |= 4;
        } else if (key == "refresh_required") {
            bool b = false;
            if (field.value().get_bool().get(b)) return false;
            f.sum += b;
            if (f.record) f.record->refresh_required = b;
            seen |= 8;
        } else if (key == "changed_entries") {
            simdjson::ondemand::array arr;
            if (field.value().get_array().get(arr)) return false;
            for (auto e : arr) {
                simdjson::ondemand::value v;
                if (e.get(v) || !simd_entry(v, f)) return false;
            }
            seen |= 16;
        }
    }
    return seen == 31;
}

} // namespace

void run_json_comparison(FILE* out, unsigned seconds_budget) {
    const std::vector<frame_kind> kinds = build_frames();
    std::vector<char> scratch_buf(1 << 16);
    json::scratch s(scratch_buf);
    simdjson::ondemand::parser parser;
    std::vector<simdjson::padded_string> padded;
    for (const frame_kind& k : kinds)
        padded.emplace_back(k.text); // outside the timing

    bool agree = true;
    for (size_t i = 0; i < kinds.size(); ++i) {
        extracted a, b;
        folder fa{0, &a}, fb{0, &b};
        const bool ok_a = ours(kinds[i].text, s, fa);
        const bool ok_b = simd(parser, padded[i], fb);
        if (!ok_a || !ok_b || !(a == b) || fa.sum != fb.sum) {
            std::fprintf(out, "json: MISMATCH on '%s' (ours %s, simdjson %s)\n%s\n",
                         kinds[i].name.c_str(), ok_a ? "ok" : "failed", ok_b ? "ok" : "failed",
                         kinds[i].text.c_str());
            agree = false;
        }
    }
    if (!agree) {
        std::fprintf(out, "json: the parsers disagree; no timing\n");
        return;
    }
    if (std::strcmp(SIMDJSON_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION), "fallback") == 0)
        std::fprintf(out,
                     "json: WARNING: simdjson On-Demand compiled for its fallback kernel; build "
                     "json_compare.cpp with -march=haswell (or native) for a fair comparison\n");

    const double budget_ns = std::max(1u, seconds_budget) * 1e9 / static_cast<double>(kinds.size());
    std::fprintf(out,
                 "json: liquidity.update, ours (ef::json) vs simdjson " SIMDJSON_STRINGIFY(
                     SIMDJSON_VERSION) " On-Demand (%s kernel); median of interleaved runs, thread "
                                       "CPU time\n",
                 SIMDJSON_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION));
    std::fprintf(out, "%-30s %6s %10s %10s %9s %9s %7s\n", "frame", "bytes", "ours ns", "simd ns",
                 "ours MB/s", "simd MB/s", "ratio");
    uint64_t keep = 0;
    for (size_t i = 0; i < kinds.size(); ++i) {
        const std::string_view text = kinds[i].text;
        folder f;
        auto run_ours = [&] { keep += ours(text, s, f); };
        auto run_simd = [&] { keep += simd(parser, padded[i], f); };
        // ~5 ms batches, alternated until this kind's budget is spent.
        const std::vector<double> m = compare_interleaved({run_ours, run_simd}, budget_ns, 5e6, 3);
        const double ma = m[0], mb = m[1];
        const auto mbps = [&](double ns) { return static_cast<double>(text.size()) / ns * 1e3; };
        std::fprintf(out, "%-30s %6zu %10.1f %10.1f %9.0f %9.0f %6.2fx\n", kinds[i].name.c_str(),
                     text.size(), ma, mb, mbps(ma), mbps(mb), mb / ma);
        keep += f.sum;
    }
    std::fprintf(out,
                 "(ratio = simdjson ns / ours ns. Both convert numbers and timestamps with "
                 "ef::json's exact functions; ours also validates every skipped byte, simdjson "
                 "On-Demand only what it visits. checksum %llu)\n",
                 static_cast<unsigned long long>(keep & 0xff));
}

} // namespace ef::bench
