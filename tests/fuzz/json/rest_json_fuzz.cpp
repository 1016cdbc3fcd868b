// libFuzzer target: arbitrary bytes as every OpenMarkets REST body (liquidity
// snapshot, contests page, partners, depth, contest state, state batch, error
// body) and as a bare state object, with every iterator walked to its end,
// nested ones included; then the same bytes as the array or object text the
// lazy iterators take directly. Checks the invariants the daemon relies on:
//  - a body is malformed exactly when validate_json refuses the bytes;
//  - the walks of an accepted body never meet malformed text, never run out
//    of a scratch as large as the body, and always end;
//  - every view points into the input or the scratch.
// Driven by libFuzzer, or by standalone_main.cpp over the corpus.
#include "json/contest_state.hpp"
#include "json/rest_catalog.hpp"
#include "json/rest_depth.hpp"
#include "json/rest_liquidity.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {

using namespace ef::json;

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "rest_json: invariant broken: %s\n", what);
    std::abort();
}

struct checker {
    std::string_view in;
    std::span<char> scratch_bytes;
    bool body_ok = false; // walking an accepted body: stricter checks

    void view(std::string_view v) const {
        if (v.empty()) return;
        const char* b = v.data();
        const char* e = b + v.size();
        const bool in_input = b >= in.data() && e <= in.data() + in.size();
        const bool in_scratch =
            b >= scratch_bytes.data() && e <= scratch_bytes.data() + scratch_bytes.size();
        if (!in_input && !in_scratch) fail("a view points outside the input and the scratch");
    }

    // Returns false at end. Each element takes at least one byte, so a walk
    // longer than the input never ends.
    bool step(item_status st, size_t& steps) const {
        if (++steps > in.size() + 2) fail("a walk does not end");
        if (st == item_status::end) return false;
        if (body_ok && st == item_status::malformed) fail("an accepted body walked as malformed");
        if (body_ok && st == item_status::scratch_full)
            fail("a scratch as large as the body ran out");
        return true;
    }

    void levels(depth_level_iterator it) const {
        rest_depth_level l;
        for (size_t n = 0; step(it.next(l), n);)
            ;
    }

    void quotes(partner_liquidity_iterator it) const {
        rest_partner_liquidity q;
        item_status st;
        for (size_t n = 0; step(st = it.next(q), n);)
            if (st == item_status::ok) view(q.partner_id);
    }

    void positions(position_iterator it, scratch& s) const {
        rest_position p;
        item_status st;
        for (size_t n = 0; step(st = it.next(p), n);) {
            if (st != item_status::ok) continue;
            view(p.position_hash);
            view(p.contest_id);
            quotes(p.partners(s));
        }
    }

    void contests(contest_iterator it) const {
        rest_contest c;
        item_status st;
        for (size_t n = 0; step(st = it.next(c), n);)
            if (st == item_status::ok) view(c.id), view(c.league_id), view(c.status);
    }

    void partners(partner_iterator it) const {
        rest_partner p;
        item_status st;
        for (size_t n = 0; step(st = it.next(p), n);)
            if (st == item_status::ok) view(p.partner_id), view(p.name), view(p.status);
    }

    void depth_partners(depth_partner_iterator it, scratch& s) const {
        rest_depth_partner p;
        item_status st;
        for (size_t n = 0; step(st = it.next(p), n);) {
            if (st != item_status::ok) continue;
            view(p.partner_id);
            view(p.partner_name);
            levels(p.levels(s));
        }
    }

    void state(const contest_state& c) const {
        if (!(c.flags & EF_STATE_PRESENT)) fail("an ok state without PRESENT");
        if (c.game_status > EF_GAME_OTHER) fail("game status outside the enum");
        for (std::string_view v : {c.game_status_text, c.clock_display, c.period_label,
                                   c.period_type, c.contest_result, c.winner_participant_id})
            view(v);
    }

    void entries(state_batch_iterator it) const {
        state_entry e;
        item_status st;
        for (size_t n = 0; step(st = it.next(e), n);) {
            if (st != item_status::ok) continue;
            view(e.contest_id);
            state(e.state);
        }
    }
};

void check_validity(rest_status st, syntax_error validity) {
    if ((st == rest_status::malformed) != (validity != syntax_error::none))
        fail("a REST parser and validate_json disagree on validity");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    static std::vector<char> storage;
    storage.resize(size);
    scratch s(storage);
    checker c{in, storage};
    const syntax_error validity = validate_json(in);
    rest_diag diag;

    liquidity_snapshot snap;
    rest_status st = parse_liquidity_snapshot(in, s, snap, diag);
    check_validity(st, validity);
    c.body_ok = st == rest_status::ok;
    if (c.body_ok) c.positions(snap.positions(s), s);

    contests_page page;
    st = parse_contests_page(in, s, page, diag);
    check_validity(st, validity);
    c.body_ok = st == rest_status::ok;
    if (c.body_ok) {
        if (page.pagination.has_next_cursor) c.view(page.pagination.next_cursor);
        c.contests(page.contests(s));
    }

    partners_list list;
    st = parse_partners(in, s, list, diag);
    check_validity(st, validity);
    c.body_ok = st == rest_status::ok;
    if (c.body_ok) c.partners(list.partners(s));

    depth_answer depth;
    st = parse_depth(in, s, depth, diag);
    check_validity(st, validity);
    c.body_ok = st == rest_status::ok;
    if (c.body_ok) {
        c.view(depth.position_hash);
        c.depth_partners(depth.partners(s), s);
    }

    state_entry entry;
    st = parse_contest_state(in, s, entry, diag);
    check_validity(st, validity);
    if (st == rest_status::ok) {
        c.view(entry.contest_id);
        c.state(entry.state);
    }

    state_batch batch;
    st = parse_state_batch(in, s, batch, diag);
    check_validity(st, validity);
    c.body_ok = st == rest_status::ok;
    if (c.body_ok) c.entries(batch.entries(s));

    rest_error err;
    if (parse_rest_error(in, s, err)) {
        if (validity != syntax_error::none) fail("an error body that is not JSON");
        c.view(err.code);
        c.view(err.message);
    }

    s.reset();
    contest_state cs;
    st = parse_state_object(in, s, cs, diag);
    check_validity(st, validity);
    if (st == rest_status::ok) c.state(cs);

    // The same bytes as the text the iterators take: they must end, and keep
    // their views inside, whatever the text is. A fresh scratch for each walk.
    c.body_ok = false;
    s.reset();
    c.positions(position_iterator(in, s), s);
    s.reset();
    c.quotes(partner_liquidity_iterator(in, s, 4));
    s.reset();
    c.contests(contest_iterator(in, s));
    s.reset();
    c.partners(partner_iterator(in, s));
    s.reset();
    c.depth_partners(depth_partner_iterator(in, s), s);
    s.reset();
    c.levels(depth_level_iterator(in, s, 5));
    s.reset();
    c.entries(state_batch_iterator(in, s));
    return 0;
}
