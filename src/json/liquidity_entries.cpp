// changed_entries of liquidity.update: the entry parser shared by the
// validating pass (scan_entries fills the cache) and entry_iterator (which
// reads the cache, then parses the rest lazily). Driven by
// parse_stream_message and by the feed walking an update; no allocation.
#include "json/liquidity_entries.hpp"
#include "json/number_status.hpp"

namespace ef::json {

namespace {

// Entry members, stored by key: the last duplicate wins.
enum entry_slot : uint8_t { e_hash, e_partner, e_price, e_available, entry_slot_count };
constexpr const char* entry_field_name[entry_slot_count + 1] = {"liquidity_hash", "partner_id",
                                                                "price", "available", ""};
constexpr uint8_t no_field = entry_slot_count;

// The members of one entry, stored by key: the last duplicate wins. Amounts
// that are JSON numbers were converted while they were scanned.
struct entry_members {
    entry_members() noexcept {}
    union { // as in `members`: read only where `present` says
        value v[entry_slot_count];
    };
    int64_t amount_e9[2]; // price, available
    decimal_status amount_status[2];
    unsigned present = 0;
};

inline uint8_t entry_slot_of(std::string_view k) noexcept {
    switch (k.size()) {
    case 14:
        return key_is(k, "liquidity_hash") ? uint8_t{e_hash} : no_field;
    case 10:
        return key_is(k, "partner_id") ? uint8_t{e_partner} : no_field;
    case 5:
        return key_is(k, "price") ? uint8_t{e_price} : no_field;
    case 9:
        return key_is(k, "available") ? uint8_t{e_available} : no_field;
    default:
        return no_field;
    }
}

// price or available: a converted number, or a string holding one.
item_status amount(const entry_members& m, uint8_t s, scratch& sc, int64_t& dst) noexcept {
    const value& v = m.v[s];
    const unsigned i = s - e_price;
    if (v.kind == value_kind::number) [[likely]] {
        dst = m.amount_e9[i];
        return to_item_status(m.amount_status[i]);
    }
    if (v.kind != value_kind::string) return item_status::wrong_type;
    std::string_view text;
    if (!string_text(v, sc, text)) return item_status::scratch_full;
    return to_item_status(parse_decimal_e9(text, dst));
}

// Checks in a fixed order, so the same bad entry always names the same field.
// The hash is taken first when it is usable, so a bad entry can be logged by it.
item_status finish_entry(const entry_members& m, scratch& sc, liquidity_entry& out,
                         uint8_t& field) noexcept {
    const bool hash_ok = (m.present & 1u << e_hash) && m.v[e_hash].kind == value_kind::string;
    if (hash_ok && !string_text(m.v[e_hash], sc, out.liquidity_hash))
        return item_status::scratch_full;
    for (uint8_t s = 0; s < entry_slot_count; ++s) {
        if (!(m.present >> s & 1u)) {
            field = s;
            return item_status::missing_field;
        }
    }
    if (!hash_ok) {
        field = e_hash;
        return item_status::wrong_type;
    }
    if (m.v[e_partner].kind != value_kind::string) {
        field = e_partner;
        return item_status::wrong_type;
    }
    if (!string_text(m.v[e_partner], sc, out.partner_id)) return item_status::scratch_full;
    for (const uint8_t s : {e_price, e_available}) {
        int64_t& dst = s == e_price ? out.price_e9 : out.available_e9;
        if (const item_status st = amount(m, s, sc, dst); st != item_status::ok) {
            field = s;
            return st;
        }
    }
    return item_status::ok;
}

// The key at p (just past its opening quote): the expected spellings are
// matched in place; anything else (escaped, unknown) takes the general path.
inline syntax_error entry_key(const char*& p, const char* end, uint8_t& slot) noexcept {
    if (p != end) {
        switch (*p) {
        case 'l':
            if (take_key(p, end, "liquidity_hash")) return slot = e_hash, syntax_error::none;
            break;
        case 'p':
            if (take_key(p, end, "partner_id")) return slot = e_partner, syntax_error::none;
            if (take_key(p, end, "price")) return slot = e_price, syntax_error::none;
            break;
        case 'a':
            if (take_key(p, end, "available")) return slot = e_available, syntax_error::none;
            break;
        default:
            break;
        }
    }
    --p; // back to the quote
    value key;
    if (const syntax_error e = scan_string(p, end, key); e != syntax_error::none) return e;
    char buf[key_buffer_bytes];
    slot = entry_slot_of(key_text(key, buf));
    return syntax_error::none;
}

// One member value at p (not at end). Amounts that are numbers are converted
// in the same pass that checks their grammar.
inline syntax_error entry_value(const char*& p, const char* end, int depth, uint8_t slot,
                                entry_members& m) noexcept {
    if ((slot == e_price || slot == e_available) && (*p == '-' || detail::is_digit(*p))) {
        const char* const begin = p;
        const unsigned i = slot - e_price;
        const char* q = p; // a copy, so the caller's cursor stays in a register
        m.amount_status[i] = scan_decimal_e9(q, end, m.amount_e9[i]);
        p = q;
        if (m.amount_status[i] == decimal_status::not_a_number)
            return p == end ? syntax_error::unexpected_end : syntax_error::bad_number;
        m.v[slot] = value{std::string_view(begin, static_cast<size_t>(p - begin)),
                          value_kind::number, false};
        m.present |= 1u << slot;
        return syntax_error::none;
    }
    value v;
    if (*p == '"') {
        if (const syntax_error e = scan_string(p, end, v); e != syntax_error::none) return e;
    } else {
        const char* q = p; // a copy: scan_value is out of line
        const syntax_error e = scan_value(q, end, depth, v);
        p = q;
        if (e != syntax_error::none) return e;
    }
    if (slot != no_field) {
        m.v[slot] = v;
        m.present |= 1u << slot;
    }
    return syntax_error::none;
}

// One element of changed_entries at p (its depth given), validated as
// strictly as skip_container would; `status` says whether it made an entry.
[[gnu::always_inline]] inline syntax_error parse_entry_at(const char*& p, const char* end,
                                                          int depth, scratch& sc,
                                                          liquidity_entry& out, item_status& status,
                                                          uint8_t& field) noexcept {
    out.liquidity_hash = {};
    field = no_field;
    if (*p != '{') [[unlikely]] {
        value v;
        status = item_status::wrong_type;
        return scan_value(p, end, depth, v);
    }
    if (depth > max_depth) return syntax_error::too_deep;
    entry_members m;
    p = skip_ws(p + 1, end);
    if (p == end) return syntax_error::unexpected_end;
    if (*p != '}') {
        for (bool more = true; more;) {
            if (*p != '"') return syntax_error::unexpected_char; // also ",}"
            ++p;
            uint8_t slot;
            if (const syntax_error e = entry_key(p, end, slot); e != syntax_error::none) return e;
            if (const syntax_error e = take_colon(p, end); e != syntax_error::none) return e;
            if (const syntax_error e = entry_value(p, end, depth + 1, slot, m);
                e != syntax_error::none)
                return e;
            if (const syntax_error e = take_separator(p, end, '}', more); e != syntax_error::none)
                return e;
        }
    } else {
        ++p;
    }
    status = finish_entry(m, sc, out, field);
    return syntax_error::none;
}

// Works on a local cursor: the caller's lives in memory (it is passed on by
// reference), and this loop is the hot one.
syntax_error parse_entry(const char*& cursor, const char* end, int depth, scratch& sc,
                         liquidity_entry& out, item_status& status, uint8_t& field) noexcept {
    const char* p = cursor;
    const syntax_error e = parse_entry_at(p, end, depth, sc, out, status, field);
    cursor = p;
    return e;
}

} // namespace

syntax_error detail::scan_entries(const char*& p, const char* end, int depth, scratch& sc,
                                  detail::entry_cache& cache, value& out) noexcept {
    const char* const begin = p;
    cache.count = 0;
    cache.rest = nullptr;
    if (depth > max_depth) return syntax_error::too_deep;
    p = skip_ws(p + 1, end);
    if (p == end) return syntax_error::unexpected_end;
    if (*p == ']') {
        ++p;
    } else {
        for (bool more = true; more;) {
            if (cache.count < eager_entry_capacity) [[likely]] {
                detail::cached_entry& c = cache.items[cache.count++];
                if (const syntax_error e =
                        parse_entry(p, end, depth + 1, sc, c.entry, c.status, c.error_field);
                    e != syntax_error::none)
                    return e;
            } else {
                if (!cache.rest) cache.rest = p;
                value v;
                if (const syntax_error e = scan_value(p, end, depth + 1, v);
                    e != syntax_error::none)
                    return e;
            }
            // "[{...},]": ']' is not a value, so the next element scan refuses it
            if (const syntax_error e = take_separator(p, end, ']', more); e != syntax_error::none)
                return e;
        }
    }
    cache.end = p;
    out.text = std::string_view(begin, static_cast<size_t>(p - begin));
    out.kind = value_kind::array;
    out.escaped = false;
    return syntax_error::none;
}

entry_iterator::entry_iterator(std::string_view array_json, scratch& s) noexcept
    : p_(array_json.data()), end_(array_json.data() + array_json.size()), scratch_(&s) {
    first_element(p_, end_, well_formed_);
}

entry_iterator::entry_iterator(const liquidity_update& u, scratch& s) noexcept
    : cache_(&u.cache), scratch_(&s) {
    // The cache belongs to the last changed_entries member parsed, which is
    // the one the update names (last duplicate wins for both).
    p_ = end_ = u.cache.end;
    if (u.cache.rest) p_ = u.cache.rest;
}

const char* entry_iterator::error_field() const noexcept {
    return entry_field_name[error_field_ <= no_field ? error_field_ : no_field];
}

item_status entry_iterator::next(liquidity_entry& out) noexcept {
    if (cache_ && cached_next_ < cache_->count) {
        const detail::cached_entry& c = cache_->items[cached_next_++];
        out = c.entry;
        error_field_ = c.error_field;
        return c.status;
    }
    if (p_ == end_) {
        if (well_formed_) return item_status::end;
        well_formed_ = true; // reported once; the next call says end
        return item_status::malformed;
    }
    item_status st;
    if (parse_entry(p_, end_, 3, *scratch_, out, st, error_field_) != syntax_error::none) {
        p_ = end_;
        return item_status::malformed;
    }
    next_element(p_, end_, well_formed_);
    if (st == item_status::scratch_full) {
        p_ = end_;
        well_formed_ = true;
    }
    return st;
}

} // namespace ef::json
