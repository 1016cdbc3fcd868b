// See sim_json.hpp.
#include "edgesim/sim_json.hpp"

#include "json/decimal.hpp"
#include "json/scanner.hpp"
#include "json/timestamp.hpp"

#include <fmt/format.h>

namespace ef::sim {

namespace {

bool decode(const json::value& v, std::string& out) {
    out.resize(v.text.size());
    const size_t n = json::unescape(v.text, out.data());
    if (n == json::unescape_failed) return false;
    out.resize(n);
    return true;
}

// p at a value already validated by validate_json: no grammar errors remain,
// so this only builds the tree.
json::syntax_error build(const char*& p, const char* end, int depth, jnode& out) {
    p = json::skip_ws(p, end);
    if (p == end) return json::syntax_error::unexpected_end;
    if (*p == '{') {
        out.type = jnode::kind::object;
        return json::scan_members(
            p, end, depth,
            [&](const json::value& key, const char*& q, const char* e, int d) noexcept {
                std::pair<std::string, jnode> m;
                if (!decode(key, m.first)) return json::syntax_error::bad_escape;
                const json::syntax_error err = build(q, e, d, m.second);
                out.members.push_back(std::move(m));
                return err;
            });
    }
    if (*p == '[') {
        out.type = jnode::kind::array;
        p = json::skip_ws(p + 1, end);
        if (p != end && *p == ']') {
            ++p;
            return json::syntax_error::none;
        }
        while (p != end) {
            out.items.emplace_back();
            if (const auto e = build(p, end, depth + 1, out.items.back());
                e != json::syntax_error::none)
                return e;
            p = json::skip_ws(p, end);
            if (p != end && *p == ']') {
                ++p;
                return json::syntax_error::none;
            }
            if (p == end || *p != ',') return json::syntax_error::unexpected_char;
            ++p;
        }
        return json::syntax_error::unexpected_end;
    }
    json::value v;
    if (const auto e = json::scan_scalar(p, end, v); e != json::syntax_error::none) return e;
    switch (v.kind) {
    case json::value_kind::string:
        out.type = jnode::kind::string;
        return decode(v, out.text) ? json::syntax_error::none : json::syntax_error::bad_escape;
    case json::value_kind::number:
        out.type = jnode::kind::number;
        break;
    case json::value_kind::true_value:
    case json::value_kind::false_value:
        out.type = jnode::kind::boolean;
        break;
    default:
        out.type = jnode::kind::null_value;
        break;
    }
    out.text.assign(v.text);
    return json::syntax_error::none;
}

} // namespace

const jnode* jnode::find(std::string_view key) const noexcept {
    const jnode* found = nullptr;
    for (const auto& [k, v] : members)
        if (k == key) found = &v;
    return found;
}

bool parse_json(std::string_view doc, jnode& out, std::string& why) {
    out = jnode{};
    size_t at = 0;
    if (const auto e = json::validate_json(doc, &at); e != json::syntax_error::none) {
        why = fmt::format("{} at byte {}", json::to_string(e), at);
        return false;
    }
    const char* p = doc.data();
    if (const auto e = build(p, doc.data() + doc.size(), 1, out); e != json::syntax_error::none) {
        why = json::to_string(e);
        return false;
    }
    return true;
}

std::string json_quote(std::string_view s) {
    std::string out(s.size() * 6 + 2, '\0');
    const size_t n = json::escape_json_string(s, {out.data() + 1, out.size() - 2});
    out.resize(n + 2);
    out.front() = out.back() = '"';
    return out;
}

std::string e9_text(int64_t v) {
    char buf[json::decimal_e9_max_chars + 1];
    return std::string(buf, json::format_decimal_e9(v, buf));
}

std::string e9_string(int64_t v) {
    char buf[json::decimal_e9_max_chars + 2];
    buf[0] = '"';
    const size_t n = json::format_decimal_e9(v, {buf + 1, json::decimal_e9_max_chars});
    buf[n + 1] = '"';
    return std::string(buf, n + 2);
}

std::string iso_utc(int64_t t, int digits) {
    const int64_t frac = t % 1'000'000'000;
    char buf[json::timestamp_max_chars + 1];
    const size_t n = json::format_timestamp_ns(t - frac, buf);
    constexpr size_t seconds_chars = 19; // "YYYY-MM-DDTHH:MM:SS"
    if (n < seconds_chars) return std::string(buf, n);
    const std::string nine = fmt::format("{:09}", frac);
    return fmt::format("{}.{}Z", std::string_view(buf, seconds_chars),
                       std::string_view(nine).substr(0, static_cast<size_t>(digits)));
}

int64_t div_round_half_up(i128 num, i128 den) noexcept {
    return static_cast<int64_t>((num * 2 + den) / (den * 2));
}

} // namespace ef::sim
