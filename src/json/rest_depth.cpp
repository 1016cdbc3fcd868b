// Parses the depth body (GET /depth/:position_hash): envelope and data in
// one validating pass, then partners and their levels one per next(). Driven
// by the daemon's depth poller; no allocation.
#include "json/rest_depth.hpp"
#include "json/rest_item.hpp"

namespace ef::json {

namespace {

constexpr std::string_view answer_names[] = {"position_hash", "partners", "fetched_at"};
enum : unsigned { a_hash, a_partners, a_fetched_at };

constexpr std::string_view partner_names[] = {"partner_id",      "partner_name", "levels",
                                              "best_price",      "fetched_at",
                                              "total_available"};
enum : unsigned { dp_id, dp_name, dp_levels, dp_best, dp_fetched_at, dp_total };

constexpr std::string_view level_names[] = {"price", "available"};
enum : unsigned { l_price, l_available };

} // namespace

item_status depth_level_iterator::next(rest_depth_level& out) noexcept {
    field_ = "";
    out = rest_depth_level{};
    bool truncated = false; // levels have no timestamp; EF_REST_ITEM sets it all the same
    return cur_.next([&](const char*& p, const char* end, int depth, item_status& item) noexcept {
        return detail::parse_element(
            p, end, depth, level_names, item,
            [&](const detail::members& m) noexcept -> item_status {
                EF_REST_ITEM(detail::read_amount(m, l_price, *scratch_, out.price_e9), "price");
                EF_REST_ITEM(detail::read_amount(m, l_available, *scratch_, out.available_e9),
                        "available");
                return item_status::ok;
            });
    });
}

item_status depth_partner_iterator::next(rest_depth_partner& out) noexcept {
    field_ = "";
    out = rest_depth_partner{};
    bool truncated = false;
    const item_status st =
        cur_.next([&](const char*& p, const char* end, int depth, item_status& item) noexcept {
            return detail::parse_element(
                p, end, depth, partner_names, item,
                [&](const detail::members& m) noexcept -> item_status {
                    bool given = false;
                    EF_REST_ITEM(detail::read_string(m, dp_id, *scratch_, out.partner_id),
                            "partner_id");
                    if (!m.has(dp_levels)) {
                        field_ = "levels";
                        return item_status::missing_field;
                    }
                    if (m.v[dp_levels].kind != value_kind::array) {
                        field_ = "levels";
                        return item_status::wrong_type;
                    }
                    out.levels_json = m.v[dp_levels].text;
                    EF_REST_ITEM(detail::read_timestamp(m, dp_fetched_at, *scratch_, out.fetched_at_ns),
                            "fetched_at");
                    EF_REST_ITEM(detail::read_string(m, dp_name, *scratch_, out.partner_name, &given),
                            "partner_name");
                    EF_REST_ITEM(detail::read_amount(m, dp_best, *scratch_, out.best_price_e9,
                                                &out.has_best_price),
                            "best_price");
                    EF_REST_ITEM(detail::read_amount(m, dp_total, *scratch_, out.total_available_e9,
                                                &out.has_total_available),
                            "total_available");
                    return item_status::ok;
                });
        });
    if (st == item_status::ok && truncated) truncated_ = true;
    return st;
}


rest_status parse_depth(std::string_view body, scratch& s, depth_answer& out,
                        rest_diag& diag) noexcept {
    out = depth_answer{};
    value data;
    if (const rest_status st = detail::parse_envelope(body, s, out.meta, nullptr, data, diag);
        st != rest_status::ok)
        return st;
    if (data.kind != value_kind::object) {
        diag.field = "data";
        return rest_status::wrong_type;
    }
    detail::members m;
    const char* p = data.text.data();
    bool is_object = false;
    if (detail::scan_record(p, p + data.text.size(), detail::data_depth, answer_names, m,
                            is_object) != syntax_error::none)
        return rest_status::malformed; // not reached: the envelope pass validated it
    if (const detail::field_result r = detail::read_string(m, a_hash, s, out.position_hash);
        r.status != item_status::ok)
        return detail::fail_field(r, "data.position_hash", diag);
    if (!m.has(a_partners)) {
        diag.field = "data.partners";
        return rest_status::missing_field;
    }
    if (m.v[a_partners].kind != value_kind::array) {
        diag.field = "data.partners";
        return rest_status::wrong_type;
    }
    out.partners_json = m.v[a_partners].text;
    const detail::field_result r = detail::read_timestamp(m, a_fetched_at, s, out.fetched_at_ns);
    if (r.status != item_status::ok) return detail::fail_field(r, "data.fetched_at", diag);
    if (r.truncated) diag.timestamp_truncated = true;
    return rest_status::ok;
}

} // namespace ef::json
