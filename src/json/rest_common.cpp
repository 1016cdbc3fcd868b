// What the OpenMarkets REST parsers share: the envelope (meta, pagination,
// data), the error body, member records and the typed readers of one member,
// and the object walk behind the batch iterator. Driven by the rest_* parsers
// and contest_state.cpp; pure and allocation-free, see rest_common.hpp.
#include "json/rest_common.hpp"
#include "json/number_status.hpp"

namespace ef::json {

namespace detail {

namespace {

// Index of k in names, or names.size(). The lists are short (at most a
// dozen), so a length test then a compare beats anything cleverer.
unsigned find_name(std::string_view k, name_list names) noexcept {
    for (unsigned i = 0; i < names.size(); ++i)
        if (names[i].size() == k.size() && std::memcmp(names[i].data(), k.data(), k.size()) == 0)
            return i;
    return static_cast<unsigned>(names.size());
}

// Present, not null, and of kind k: ok. Otherwise the status a required
// member gets, or ok with *given cleared for an optional one.
bool check_kind(const members& m, unsigned i, value_kind k, bool* given,
                field_result& r) noexcept {
    if (given) *given = false;
    if (!m.has(i)) {
        if (!given) r.status = item_status::missing_field;
        return false;
    }
    const value_kind actual = m.v[i].kind;
    if (actual == value_kind::null_value && given) return false;
    if (actual != k) {
        r.status = item_status::wrong_type;
        return false;
    }
    if (given) *given = true;
    return true;
}

} // namespace

syntax_error scan_record(const char*& p, const char* end, int depth, name_list names,
                         members& m, bool& is_object) noexcept {
    m.present = 0;
    if (p == end) return syntax_error::unexpected_end;
    is_object = *p == '{';
    if (!is_object) {
        value v;
        return scan_value(p, end, depth, v);
    }
    return scan_members(p, end, depth,
                        [&](const value& key, const char*& q, const char* e, int d) noexcept {
                            value v;
                            const syntax_error err = scan_value(q, e, d, v);
                            if (err != syntax_error::none) return err;
                            char buf[key_buffer_bytes];
                            const unsigned i = find_name(key_text(key, buf), names);
                            if (i < names.size() && i < members::capacity) {
                                m.v[i] = v;
                                m.present |= 1u << i;
                            }
                            return syntax_error::none;
                        });
}

field_result read_string(const members& m, unsigned i, scratch& s, std::string_view& out,
                         bool* given) noexcept {
    field_result r;
    if (!check_kind(m, i, value_kind::string, given, r)) return r;
    if (!string_text(m.v[i], s, out)) r.status = item_status::scratch_full;
    return r;
}

field_result read_amount(const members& m, unsigned i, scratch& s, int64_t& out,
                         bool* given) noexcept {
    field_result r;
    if (given) *given = false;
    if (!m.has(i)) {
        if (!given) r.status = item_status::missing_field;
        return r;
    }
    const value& v = m.v[i];
    std::string_view text = v.text;
    if (v.kind == value_kind::null_value && given) return r;
    if (v.kind == value_kind::string) {
        if (!string_text(v, s, text)) {
            r.status = item_status::scratch_full;
            return r;
        }
    } else if (v.kind != value_kind::number) {
        r.status = item_status::wrong_type;
        return r;
    }
    int64_t value_e9 = 0;
    r.number = parse_decimal_e9(text, value_e9);
    r.status = to_item_status(r.number);
    if (r.status != item_status::ok) return r;
    out = value_e9;
    if (given) *given = true;
    return r;
}

field_result read_integer(const members& m, unsigned i, int64_t& out, bool* given) noexcept {
    field_result r;
    if (!check_kind(m, i, value_kind::number, given, r)) return r;
    if (given) *given = false;
    int64_t value_e9 = 0;
    r.number = parse_decimal_e9(m.v[i].text, value_e9);
    r.status = to_item_status(r.number);
    if (r.status != item_status::ok) return r;
    if (value_e9 % 1'000'000'000 != 0) {
        r.status = item_status::bad_value; // a fraction where a count belongs
        return r;
    }
    out = value_e9 / 1'000'000'000;
    if (given) *given = true;
    return r;
}

field_result read_timestamp(const members& m, unsigned i, scratch& s, int64_t& out,
                            bool* given) noexcept {
    if (given) *given = false;
    std::string_view text;
    bool have = false;
    field_result r = read_string(m, i, s, text, given ? &have : nullptr);
    if (r.status != item_status::ok || (given && !have)) return r;
    int64_t ns = 0;
    r.time = parse_timestamp_ns(text, ns);
    if (r.time == timestamp_status::excess_precision) {
        r.truncated = true; // cut to ns and used; the caller counts it
        r.time = timestamp_status::ok;
    }
    if (r.time != timestamp_status::ok) {
        r.status = item_status::bad_value;
        if (given) *given = false;
        return r;
    }
    out = ns;
    if (given) *given = true;
    return r;
}

field_result read_bool(const members& m, unsigned i, bool& out, bool* given) noexcept {
    field_result r;
    if (given) *given = false;
    if (!m.has(i)) {
        if (!given) r.status = item_status::missing_field;
        return r;
    }
    const value_kind k = m.v[i].kind;
    if (k == value_kind::null_value && given) return r;
    if (k != value_kind::true_value && k != value_kind::false_value) {
        r.status = item_status::wrong_type;
        return r;
    }
    out = k == value_kind::true_value;
    if (given) *given = true;
    return r;
}

rest_status fail_field(const field_result& r, const char* field, rest_diag& diag) noexcept {
    diag.field = field;
    switch (r.status) {
    case item_status::missing_field:
        return rest_status::missing_field;
    case item_status::wrong_type:
        return rest_status::wrong_type;
    case item_status::scratch_full:
        return rest_status::scratch_full;
    case item_status::bad_number:
    case item_status::inexact:
    case item_status::out_of_range:
    case item_status::bad_value:
        diag.number_status = r.number;
        diag.time_status = r.time;
        return rest_status::bad_value;
    case item_status::ok:
    case item_status::end:
    case item_status::malformed:
        break;
    }
    return rest_status::malformed; // not reached: readers return none of those
}

namespace {

constexpr std::string_view envelope_names[] = {"data", "pagination", "meta"};
enum : unsigned { env_data, env_pagination, env_meta };

constexpr std::string_view meta_names[] = {"timestamp", "api_version"};
enum : unsigned { meta_timestamp, meta_api_version };

constexpr std::string_view pagination_names[] = {"next_cursor", "has_more", "limit"};
enum : unsigned { pg_next_cursor, pg_has_more, pg_limit };

// A member object of the envelope, already validated by the whole-body pass.
bool reread(const value& v, name_list names, members& m) noexcept {
    const char* p = v.text.data();
    bool is_object = false;
    return scan_record(p, p + v.text.size(), data_depth, names, m, is_object) ==
               syntax_error::none &&
           is_object;
}

#define EF_TAKE_FIELD(expr, name)                                                                  \
    do {                                                                                           \
        if (const field_result r_ = (expr); r_.status != item_status::ok)                          \
            return fail_field(r_, name, diag);                                                     \
        else if (r_.truncated)                                                                     \
            diag.timestamp_truncated = true;                                                       \
    } while (0)

rest_status read_meta(const members& env, scratch& s, rest_meta& meta, rest_diag& diag) noexcept {
    if (!env.given(env_meta)) return rest_status::ok; // the seed's partners example has none
    if (env.v[env_meta].kind != value_kind::object) {
        diag.field = "meta";
        return rest_status::wrong_type;
    }
    members m;
    if (!reread(env.v[env_meta], meta_names, m)) return rest_status::malformed;
    bool given = false;
    EF_TAKE_FIELD(read_timestamp(m, meta_timestamp, s, meta.timestamp_ns, &meta.has_timestamp),
                  "meta.timestamp");
    EF_TAKE_FIELD(read_string(m, meta_api_version, s, meta.api_version, &given),
                  "meta.api_version");
    return rest_status::ok;
}

rest_status read_pagination(const members& env, scratch& s, rest_pagination& pg,
                            rest_diag& diag) noexcept {
    if (!env.given(env_pagination)) return rest_status::ok;
    if (env.v[env_pagination].kind != value_kind::object) {
        diag.field = "pagination";
        return rest_status::wrong_type;
    }
    members m;
    if (!reread(env.v[env_pagination], pagination_names, m)) return rest_status::malformed;
    pg.present = true;
    // has_more is required: without it a cut list and a complete one look alike.
    EF_TAKE_FIELD(read_bool(m, pg_has_more, pg.has_more), "pagination.has_more");
    // The cursor is opaque (seed: "don't construct them yourself"): its
    // decoded text goes back as the cursor query parameter, unparsed.
    EF_TAKE_FIELD(read_string(m, pg_next_cursor, s, pg.next_cursor, &pg.has_next_cursor),
                  "pagination.next_cursor");
    EF_TAKE_FIELD(read_integer(m, pg_limit, pg.limit, &pg.has_limit), "pagination.limit");
    return rest_status::ok;
}

[[gnu::cold]] rest_status fail_syntax(std::string_view body, const char* p, syntax_error e,
                                      rest_diag& diag) noexcept {
    diag.syntax = e;
    diag.error_offset = static_cast<size_t>(p - body.data());
    return rest_status::malformed;
}

// The body at its top: an object whose members `names` are recorded, with
// nothing but whitespace after it.
rest_status scan_body(std::string_view body, name_list names, members& m,
                      rest_diag& diag) noexcept {
    const char* const end = body.data() + body.size();
    const char* p = skip_ws(body.data(), end);
    if (p == end || *p != '{') {
        size_t offset = 0;
        const syntax_error e = validate_json(body, &offset);
        if (e == syntax_error::none) return rest_status::not_an_object;
        return fail_syntax(body, body.data() + offset, e, diag);
    }
    bool is_object = false;
    syntax_error e = scan_record(p, end, 1, names, m, is_object);
    if (e == syntax_error::none) {
        p = skip_ws(p, end);
        if (p != end) e = syntax_error::trailing_content;
    }
    if (e != syntax_error::none) return fail_syntax(body, p, e, diag);
    return rest_status::ok;
}

} // namespace

rest_status parse_envelope(std::string_view body, scratch& s, rest_meta& meta,
                           rest_pagination* pagination, value& data, rest_diag& diag) noexcept {
    diag = rest_diag{};
    meta = rest_meta{};
    if (pagination) *pagination = rest_pagination{};
    s.reset();
    if (s.capacity() < body.size()) return rest_status::scratch_full;
    members env;
    if (const rest_status st = scan_body(body, envelope_names, env, diag); st != rest_status::ok)
        return st;
    if (const rest_status st = read_meta(env, s, meta, diag); st != rest_status::ok) return st;
    if (pagination) {
        if (const rest_status st = read_pagination(env, s, *pagination, diag); st != rest_status::ok)
            return st;
    } else if (env.has(env_pagination) && env.v[env_pagination].kind != value_kind::object &&
               env.v[env_pagination].kind != value_kind::null_value) {
        diag.field = "pagination";
        return rest_status::wrong_type;
    }
    if (!env.has(env_data)) {
        diag.field = "data";
        return rest_status::missing_field;
    }
    if (env.v[env_data].kind == value_kind::null_value) {
        diag.field = "data";
        return rest_status::wrong_type;
    }
    data = env.v[env_data];
    return rest_status::ok;
}

#undef EF_TAKE_FIELD

member_cursor::member_cursor(std::string_view object_json, int depth) noexcept
    : p_(object_json.data()), end_(object_json.data() + object_json.size()), depth_(depth) {
    if (p_ == end_ || *p_ != '{') {
        well_formed_ = false;
        p_ = end_;
        return;
    }
    p_ = skip_ws(p_ + 1, end_);
    if (p_ != end_ && *p_ == '"') return;
    well_formed_ = p_ != end_ && *p_ == '}' && p_ + 1 == end_;
    p_ = end_;
}

void member_cursor::advance() noexcept {
    p_ = skip_ws(p_, end_);
    if (p_ != end_ && *p_ == ',') {
        p_ = skip_ws(p_ + 1, end_);
        if (p_ != end_ && *p_ == '"') return;
    } else if (p_ != end_ && *p_ == '}' && p_ + 1 == end_) {
        p_ = end_;
        return;
    }
    well_formed_ = false;
    p_ = end_;
}

} // namespace detail

namespace {

constexpr std::string_view error_body_names[] = {"error"};
constexpr std::string_view error_names[] = {"code", "message"};

} // namespace

bool parse_rest_error(std::string_view body, scratch& s, rest_error& out) noexcept {
    using namespace detail;
    out = rest_error{};
    s.reset();
    if (s.capacity() < body.size()) return false;
    members top;
    rest_diag diag;
    if (scan_body(body, error_body_names, top, diag) != rest_status::ok) return false;
    if (!top.has(0) || top.v[0].kind != value_kind::object) return false;
    members m;
    if (!reread(top.v[0], error_names, m)) return false;
    bool given = false;
    return read_string(m, 0, s, out.code).status == item_status::ok &&
           read_string(m, 1, s, out.message, &given).status == item_status::ok;
}

const char* to_string(rest_status s) noexcept {
    switch (s) {
    case rest_status::ok:
        return "ok";
    case rest_status::malformed:
        return "malformed";
    case rest_status::not_an_object:
        return "not_an_object";
    case rest_status::missing_field:
        return "missing_field";
    case rest_status::wrong_type:
        return "wrong_type";
    case rest_status::bad_value:
        return "bad_value";
    case rest_status::scratch_full:
        return "scratch_full";
    }
    return "unknown";
}

} // namespace ef::json
