// See order_routes_om.hpp.
#include "edgesim/order_routes_om.hpp"

#include "edgesim/sim_json.hpp"
#include "json/decimal.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace ef::sim {

namespace {


struct leg_request {
    std::string position_hash;
    int64_t amount_e9 = 0, shares_e9 = 0, max_price_e9 = 0;
    std::string partner_id;
};

struct bad_request {
    int status = 0; // 0: none
    std::string code, message;
};

bad_request invalid(std::string message) {
    return {400, "invalid_parameter", std::move(message)};
}

// Strictness first: an unknown key anywhere wins over any other fault, so a
// client learns about the field it must not send.
bad_request find_unknown_key(const jnode& root) {
    for (const auto& [k, v] : root.members)
        if (k != "orders" && k != "mode")
            return {400, "unknown_parameter", fmt::format("unknown parameter: {}", k)};
    const jnode* orders = root.find("orders");
    if (!orders || orders->type != jnode::kind::array) return {};
    for (size_t i = 0; i < orders->items.size(); ++i)
        for (const auto& [k, v] : orders->items[i].members)
            if (k != "position_hash" && k != "amount" && k != "shares" && k != "max_price" &&
                k != "partner_id")
                return {400, "unknown_parameter",
                        fmt::format("unknown parameter: orders[{}].{}", i, k)};
    return {};
}

bool has_duplicate_key(const jnode& obj) {
    for (size_t i = 0; i < obj.members.size(); ++i)
        for (size_t j = i + 1; j < obj.members.size(); ++j)
            if (obj.members[i].first == obj.members[j].first) return true;
    return false;
}

// A positive JSON number held exactly in e9; false with `why` otherwise.
bool positive_number(const jnode* n, std::string_view name, int64_t& out, std::string& why) {
    if (n->type != jnode::kind::number) {
        why = fmt::format("{} must be a number", name);
        return false;
    }
    const json::decimal_status st = json::parse_decimal_e9(n->text, out);
    if (st != json::decimal_status::ok) {
        why = fmt::format("{}: {}", name, json::to_string(st));
        return false;
    }
    if (out <= 0) {
        why = fmt::format("{} must be positive", name);
        return false;
    }
    return true;
}

bad_request read_leg(const jnode& leg, size_t i, leg_request& out) {
    const std::string at = fmt::format("orders[{}]", i);
    if (leg.type != jnode::kind::object) return invalid(at + " must be an object");
    if (has_duplicate_key(leg)) return invalid(at + " repeats a parameter");
    const jnode* hash = leg.find("position_hash");
    if (!hash || !hash->is_string() || hash->text.empty())
        return invalid(at + ".position_hash must be a non-empty string");
    out.position_hash = hash->text;
    const jnode* amount = leg.find("amount");
    const jnode* shares = leg.find("shares");
    if ((amount != nullptr) == (shares != nullptr))
        return invalid(at + ": exactly one of amount and shares");
    std::string why;
    if (amount && !positive_number(amount, at + ".amount", out.amount_e9, why))
        return invalid(why);
    if (shares && !positive_number(shares, at + ".shares", out.shares_e9, why))
        return invalid(why);
    const jnode* max_price = leg.find("max_price");
    if (!max_price) return invalid(at + ".max_price is required");
    if (!positive_number(max_price, at + ".max_price", out.max_price_e9, why)) return invalid(why);
    if (out.max_price_e9 > one_e9) return invalid(at + ".max_price must be at most 1");
    if (const jnode* p = leg.find("partner_id")) {
        if (!p->is_string() || p->text.empty())
            return invalid(at + ".partner_id must be a non-empty string");
        out.partner_id = p->text;
    }
    return {};
}

bad_request read_body(std::string_view body, std::vector<leg_request>& legs, bool& paper) {
    jnode root;
    std::string why;
    if (!parse_json(body, root, why)) return {400, "invalid_json", "body is not JSON: " + why};
    if (root.type != jnode::kind::object) return invalid("body must be a JSON object");
    if (bad_request u = find_unknown_key(root); u.status) return u;
    if (has_duplicate_key(root)) return invalid("body repeats a parameter");
    if (const jnode* mode = root.find("mode")) {
        if (!mode->is_string() || mode->text != "paper") return invalid("mode must be \"paper\"");
        paper = true;
    }
    const jnode* orders = root.find("orders");
    if (!orders || orders->type != jnode::kind::array || orders->items.empty())
        return invalid("orders must be a non-empty array");
    if (orders->items.size() > om_max_legs)
        return invalid(fmt::format("orders: at most {} legs", om_max_legs));
    legs.resize(orders->items.size());
    for (size_t i = 0; i < legs.size(); ++i)
        if (bad_request b = read_leg(orders->items[i], i, legs[i]); b.status) return b;
    return {};
}

void note_change(om_outcome& out, const std::string& contest, sim_entry e) {
    auto it = std::find_if(out.changes.begin(), out.changes.end(),
                           [&](const auto& c) { return c.first == contest; });
    if (it == out.changes.end()) {
        out.changes.push_back({contest, {}});
        it = out.changes.end() - 1;
    }
    for (sim_entry& old : it->second)
        if (old.partner == e.partner && old.position_hash == e.position_hash) {
            old = std::move(e);
            return;
        }
    it->second.push_back(std::move(e));
}

struct level {
    size_t partner_rank;
    std::string partner;
    int64_t price_e9, available_e9;
};

// Walks the eligible levels cheapest first (ties: the venue's partner order).
void fill_leg(venue_book& book, const leg_request& req, bool paper, om_leg_result& leg,
              om_outcome& out) {
    const std::string contest = req.position_hash.substr(0, req.position_hash.find(':'));
    const partner_levels* levels = book.find_position(req.position_hash);
    const auto& partners = book.partners();
    auto reject = [&](const char* why) {
        leg.status = "rejected";
        leg.reason = why;
        leg.partner_id = req.partner_id;
    };
    if (!levels) return reject("unknown position");
    if (!book.is_open(contest)) return reject("contest closed");
    if (!req.partner_id.empty() &&
        std::find(partners.begin(), partners.end(), req.partner_id) == partners.end())
        return reject("unknown partner");
    std::vector<level> eligible;
    for (size_t r = 0; r < partners.size(); ++r) {
        if (!req.partner_id.empty() && partners[r] != req.partner_id) continue;
        const auto it = levels->find(partners[r]);
        if (it == levels->end()) continue;
        const auto [price, available] = it->second;
        if (price > 0 && price <= req.max_price_e9 && available > 0)
            eligible.push_back({r, partners[r], price, available});
    }
    std::stable_sort(eligible.begin(), eligible.end(),
                     [](const level& a, const level& b) { return a.price_e9 < b.price_e9; });
    std::vector<std::pair<std::string, int64_t>> by_partner; // partner -> shares, walk order
    int64_t shares_left = req.shares_e9, amount_left = req.amount_e9;
    bool done = false;
    for (const level& lv : eligible) {
        int64_t take;
        if (req.shares_e9) {
            take = std::min(shares_left, lv.available_e9);
            done = take == shares_left;
        } else {
            // Shares the money left buys at this price, cut to 1e-9 of a share.
            const int64_t afford =
                static_cast<int64_t>(static_cast<i128>(amount_left) * one_e9 / lv.price_e9);
            take = std::min(afford, lv.available_e9);
            done = afford <= lv.available_e9;
        }
        if (take > 0) {
            // Each level's cost rounds half up to 1e-9; a cost of at most
            // the money left stays at most it, since that is a whole e9 count.
            const int64_t cost =
                div_round_half_up(static_cast<i128>(take) * lv.price_e9, one_e9);
            leg.filled_shares_e9 += take;
            leg.filled_notional_e9 += cost;
            shares_left -= take;
            amount_left -= cost;
            by_partner.push_back({lv.partner, take});
            if (!paper) {
                const int64_t rest = lv.available_e9 - take;
                sim_entry e{lv.partner, req.position_hash, lv.price_e9, rest};
                book.apply(contest, e);
                note_change(out, contest, std::move(e));
            }
        }
        if (done) break;
    }
    leg.status = leg.filled_shares_e9 == 0 ? "unfilled" : done ? "filled" : "partially_filled";
    if (leg.filled_shares_e9 > 0)
        leg.avg_price_e9 = div_round_half_up(static_cast<i128>(leg.filled_notional_e9) * one_e9,
                                             leg.filled_shares_e9);
    // The partner that filled most; ties go to the one filled first.
    int64_t most = 0;
    for (const auto& [p, n] : by_partner)
        if (n > most) most = n, leg.partner_id = p;
    if (leg.partner_id.empty()) leg.partner_id = req.partner_id;
}

std::string leg_json(const om_leg_result& l) {
    std::string out = fmt::format(
        R"({{"position_hash":{},"partner_id":{},"status":"{}","filled_shares":{},"filled_notional":{},"avg_price":{},"sor_decision_id":"{}")",
        json_quote(l.position_hash), l.partner_id.empty() ? "null" : json_quote(l.partner_id),
        l.status, e9_text(l.filled_shares_e9), e9_text(l.filled_notional_e9),
        e9_text(l.avg_price_e9), l.sor_decision_id);
    if (!l.reason.empty()) out += ",\"reason\":" + json_quote(l.reason);
    return out + "}";
}

} // namespace

std::vector<std::string> parse_om_users(std::string_view list) {
    std::vector<std::string> out;
    while (!list.empty()) {
        const size_t comma = list.find(',');
        const std::string_view name = list.substr(0, comma);
        if (!name.empty()) out.emplace_back(name);
        if (comma == std::string_view::npos) break;
        list.remove_prefix(comma + 1);
    }
    return out;
}

std::string om_error_body(std::string_view code, std::string_view message) {
    return fmt::format(R"({{"error":{{"code":"{}","message":{}}}}})", code, json_quote(message));
}

om_outcome om_buy(venue_book& book, const om_config& cfg, std::string_view api_key,
                  std::string_view account, std::string_view body, uint64_t& sor_counter,
                  std::string_view meta_timestamp) {
    om_outcome out;
    auto fail = [&](int status, std::string_view code, std::string_view message) {
        out.status = status;
        out.body = om_error_body(code, message);
        return out;
    };
    if (api_key.empty() || api_key != cfg.api_key)
        return fail(401, "unauthorized", "missing or invalid API key");
    if (std::find(cfg.users.begin(), cfg.users.end(), account) == cfg.users.end())
        return fail(403, "forbidden", "not your user");
    std::vector<leg_request> reqs;
    if (bad_request b = read_body(body, reqs, out.paper); b.status)
        return fail(b.status, b.code, b.message);
    out.executed = true;
    std::string orders;
    for (const leg_request& r : reqs) {
        om_leg_result& leg = out.legs.emplace_back();
        leg.position_hash = r.position_hash;
        leg.sor_decision_id = fmt::format("sor_{}", ++sor_counter);
        fill_leg(book, r, out.paper, leg, out);
        if (!orders.empty()) orders += ',';
        orders += leg_json(leg);
    }
    out.body = fmt::format(R"({{"data":{{"orders":[{}]}},"meta":{{"timestamp":"{}","api_version":"v1"}}}})",
                           orders, meta_timestamp);
    return out;
}

} // namespace ef::sim
