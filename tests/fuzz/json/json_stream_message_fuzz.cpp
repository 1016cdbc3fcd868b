// libFuzzer target: arbitrary bytes as an OpenMarkets stream message (and as a
// client message). Parses, walks every entry and contest id, and checks the
// invariants the feed relies on:
//  - the validating pass agrees with validate_json: malformed exactly when
//    the bytes are not one JSON document;
//  - entries parsed in the pass (the cache) equal a lazy walk of the same text;
//  - every view points into the input or the scratch;
//  - with simdjson linked (EF_FUZZ_WITH_SIMDJSON), its DOM parser accepts
//    what we accept and refuses what we refuse, outside documented differences.
// Driven by libFuzzer, or by standalone_main.cpp over the corpus.
#include "json/client_message.hpp"
#include "json/scanner.hpp"
#include "json/stream_message.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#if defined(EF_FUZZ_WITH_SIMDJSON)
#include <simdjson.h>
#endif

namespace {

using namespace ef::json;

[[noreturn]] void fail(const char* what) {
    std::fprintf(stderr, "json_stream_message: invariant broken: %s\n", what);
    std::abort();
}

struct bounds {
    const char* in_begin;
    const char* in_end;
    const char* scratch_begin;
    const char* scratch_end;
    void check(std::string_view v) const {
        if (v.empty()) return;
        const char* b = v.data();
        const char* e = b + v.size();
        const bool in_input = b >= in_begin && e <= in_end;
        const bool in_scratch = b >= scratch_begin && e <= scratch_end;
        if (!in_input && !in_scratch) fail("a view points outside the input and the scratch");
    }
};

bool same(const liquidity_entry& a, const liquidity_entry& b) {
    return a.liquidity_hash == b.liquidity_hash && a.partner_id == b.partner_id &&
           a.price_e9 == b.price_e9 && a.available_e9 == b.available_e9;
}

void walk_entries(const stream_message& m, scratch& s, std::vector<char>& lazy_storage,
                  const bounds& bd) {
    // The iterator over the parsed update (cache, then lazy) and a purely
    // lazy iterator over the same text must yield the same sequence.
    scratch lazy_scratch(lazy_storage);
    entry_iterator a = m.liquidity.entries(s);
    entry_iterator b(m.liquidity.changed_entries_json, lazy_scratch);
    const bounds lazy_bd{bd.in_begin, bd.in_end, lazy_storage.data(),
                         lazy_storage.data() + lazy_storage.size()};
    for (;;) {
        liquidity_entry ea, eb;
        const item_status sa = a.next(ea);
        const item_status sb = b.next(eb);
        if (sa != sb) fail("cached and lazy entry walks disagree on a status");
        if (sa == item_status::end) break;
        if (sa == item_status::malformed) fail("a validated changed_entries walked as malformed");
        if (std::strcmp(a.error_field(), b.error_field()) != 0)
            fail("entry walks disagree on the field");
        if (sa == item_status::ok && !same(ea, eb)) fail("cached and lazy entries differ");
        if (sa == item_status::ok) {
            bd.check(ea.liquidity_hash);
            bd.check(ea.partner_id);
            lazy_bd.check(eb.liquidity_hash);
        }
    }
}

#if defined(EF_FUZZ_WITH_SIMDJSON)
void compare_with_simdjson(std::string_view in, syntax_error ours) {
    static simdjson::dom::parser parser;
    const simdjson::padded_string padded(in);
    const simdjson::error_code theirs = parser.parse(padded).error();
    const bool we_accept = ours == syntax_error::none;
    const bool they_accept = theirs == simdjson::SUCCESS;
    if (we_accept == they_accept) return;
    // Documented differences: simdjson checks UTF-8 (our input is checked by
    // the WebSocket layer), refuses numbers outside double range, and nests
    // to 1024 where we stop at 64.
    if (ours == syntax_error::too_deep) return;
    if (theirs == simdjson::UTF8_ERROR || theirs == simdjson::NUMBER_ERROR ||
        theirs == simdjson::DEPTH_ERROR)
        return;
    std::fprintf(stderr, "ours: %s, simdjson: %s\n", to_string(ours),
                 simdjson::error_message(theirs));
    fail("acceptance differs from simdjson");
}
#endif

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    static std::vector<char> storage, lazy_storage;
    storage.resize(size);
    lazy_storage.resize(size);
    scratch s(storage);
    const bounds bd{in.data(), in.data() + size, storage.data(), storage.data() + storage.size()};

    const syntax_error validity = validate_json(in);
#if defined(EF_FUZZ_WITH_SIMDJSON)
    compare_with_simdjson(in, validity);
#endif

    stream_message m;
    const message_status st = parse_stream_message(in, m, s);
    if ((st == message_status::malformed) != (validity != syntax_error::none))
        fail("parse_stream_message and validate_json disagree on validity");
    if (st == message_status::malformed && m.syntax != validity) fail("different syntax errors");
    if (st == message_status::ok) {
        bd.check(m.type_text);
        switch (m.type) {
        case message_type::liquidity_update:
            bd.check(m.liquidity.contest_id);
            walk_entries(m, s, lazy_storage, bd);
            break;
        case message_type::subscribed:
        case message_type::unsubscribed: {
            string_iterator ids = m.subscription.contest_ids(s);
            std::string_view id;
            item_status is;
            while ((is = ids.next(id)) != item_status::end) {
                if (is != item_status::ok) fail("a checked contest_ids array yielded an error");
                bd.check(id);
            }
            break;
        }
        case message_type::contest_state_update:
            if (validate_json(m.contest_state.state_json) != syntax_error::none)
                fail("state span is not JSON");
            break;
        default:
            break;
        }
    }

    client_message c;
    const client_status cs = parse_client_message(in, c, s);
    if ((cs == client_status::malformed) != (validity != syntax_error::none))
        fail("parse_client_message and validate_json disagree on validity");
    if (cs == client_status::ok && c.action != client_action::ping) {
        string_iterator ids = c.contest_ids(s);
        std::string_view id;
        item_status is;
        while ((is = ids.next(id)) != item_status::end)
            if (is != item_status::ok) fail("a checked client contest_ids array yielded an error");
    }
    return 0;
}
