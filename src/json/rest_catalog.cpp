// Parses the contest and partner catalog bodies: envelope and pagination in
// one validating pass, then one contest or partner per next(). Driven by the
// daemon's control thread; no allocation.
#include "json/rest_catalog.hpp"
#include "json/rest_item.hpp"

namespace ef::json {

namespace {

constexpr std::string_view contest_names[] = {"id", "league_id", "status", "starts_at"};
enum : unsigned { c_id, c_league_id, c_status, c_starts_at };

constexpr std::string_view partner_names[] = {"partner_id", "name", "status"};
enum : unsigned { p_partner_id, p_name, p_status };

// data must be an array for both lists.
rest_status take_list(std::string_view body, scratch& s, rest_meta& meta, rest_pagination& pg,
                      std::string_view& data_json, rest_diag& diag) noexcept {
    value data;
    if (const rest_status st = detail::parse_envelope(body, s, meta, &pg, data, diag);
        st != rest_status::ok)
        return st;
    if (data.kind != value_kind::array) {
        diag.field = "data";
        return rest_status::wrong_type;
    }
    data_json = data.text;
    return rest_status::ok;
}

} // namespace

item_status contest_iterator::next(rest_contest& out) noexcept {
    field_ = "";
    out = rest_contest{};
    bool truncated = false;
    const item_status st =
        cur_.next([&](const char*& p, const char* end, int depth, item_status& item) noexcept {
            return detail::parse_element(
                p, end, depth, contest_names, item,
                [&](const detail::members& m) noexcept -> item_status {
                    bool given = false;
                    EF_REST_ITEM(detail::read_string(m, c_id, *scratch_, out.id), "id");
                    EF_REST_ITEM(detail::read_string(m, c_league_id, *scratch_, out.league_id, &given),
                            "league_id");
                    EF_REST_ITEM(detail::read_string(m, c_status, *scratch_, out.status, &given),
                            "status");
                    EF_REST_ITEM(detail::read_timestamp(m, c_starts_at, *scratch_, out.starts_at_ns,
                                                   &out.has_starts_at),
                            "starts_at");
                    return item_status::ok;
                });
        });
    if (st == item_status::ok && truncated) truncated_ = true;
    return st;
}

item_status partner_iterator::next(rest_partner& out) noexcept {
    field_ = "";
    out = rest_partner{};
    bool truncated = false; // a partner has no timestamp; EF_REST_ITEM sets it all the same
    return cur_.next([&](const char*& p, const char* end, int depth, item_status& item) noexcept {
        return detail::parse_element(
            p, end, depth, partner_names, item,
            [&](const detail::members& m) noexcept -> item_status {
                bool given = false;
                EF_REST_ITEM(detail::read_string(m, p_partner_id, *scratch_, out.partner_id),
                        "partner_id");
                EF_REST_ITEM(detail::read_string(m, p_name, *scratch_, out.name, &given), "name");
                EF_REST_ITEM(detail::read_string(m, p_status, *scratch_, out.status, &given), "status");
                return item_status::ok;
            });
    });
}


rest_status parse_contests_page(std::string_view body, scratch& s, contests_page& out,
                                rest_diag& diag) noexcept {
    out = contests_page{};
    return take_list(body, s, out.meta, out.pagination, out.data_json, diag);
}

rest_status parse_partners(std::string_view body, scratch& s, partners_list& out,
                           rest_diag& diag) noexcept {
    out = partners_list{};
    return take_list(body, s, out.meta, out.pagination, out.data_json, diag);
}

} // namespace ef::json
