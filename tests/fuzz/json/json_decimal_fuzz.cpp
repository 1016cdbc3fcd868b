// libFuzzer target: arbitrary bytes as a JSON number for parse_decimal_e9,
// checked against a slow string-arithmetic reference written separately from
// the parser; whatever parses is formatted and must read back equal. The same
// bytes also go through the timestamp parser, whose results must round-trip.
// Driven by libFuzzer, or by standalone_main.cpp over the corpus.
#include "json/decimal.hpp"
#include "json/timestamp.hpp"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

namespace {

using namespace ef::json;

[[noreturn]] void fail(const char* what, std::string_view in) {
    std::fprintf(stderr, "json_decimal: %s: '%.*s'\n", what, static_cast<int>(in.size()),
                 in.data());
    std::abort();
}

struct reference_result {
    decimal_status status;
    int64_t value = 0;
};

bool digit(char c) {
    return c >= '0' && c <= '9';
}

// RFC 8259 number grammar, then exact arithmetic on the digit string.
reference_result reference(std::string_view t) {
    size_t i = 0;
    const bool negative = i < t.size() && t[i] == '-';
    if (negative) ++i;
    const size_t int_begin = i;
    while (i < t.size() && digit(t[i]))
        ++i;
    const std::string_view int_digits = t.substr(int_begin, i - int_begin);
    if (int_digits.empty() || (int_digits.size() > 1 && int_digits[0] == '0'))
        return {decimal_status::not_a_number};
    std::string_view frac_digits;
    if (i < t.size() && t[i] == '.') {
        const size_t b = ++i;
        while (i < t.size() && digit(t[i]))
            ++i;
        frac_digits = t.substr(b, i - b);
        if (frac_digits.empty()) return {decimal_status::not_a_number};
    }
    long long exponent = 0;
    if (i < t.size() && (t[i] == 'e' || t[i] == 'E')) {
        ++i;
        bool exp_negative = false;
        if (i < t.size() && (t[i] == '+' || t[i] == '-')) exp_negative = t[i++] == '-';
        const size_t b = i;
        while (i < t.size() && digit(t[i])) {
            if (exponent < 1000000000) exponent = exponent * 10 + (t[i] - '0');
            ++i;
        }
        if (i == b) return {decimal_status::not_a_number};
        if (exp_negative) exponent = -exponent;
    }
    if (i != t.size()) return {decimal_status::not_a_number};

    // value * 1e9 = digits * 10^k
    std::string digits = std::string(int_digits) + std::string(frac_digits);
    const long long k = exponent - static_cast<long long>(frac_digits.size()) + 9;
    digits.erase(0, digits.find_first_not_of('0'));
    if (digits.empty()) return {decimal_status::ok, 0};
    if (k > 40 || static_cast<long long>(digits.size()) + k > 40)
        return {decimal_status::out_of_range};
    std::string whole, rest;
    if (k >= 0) {
        whole = digits + std::string(static_cast<size_t>(k), '0');
    } else if (static_cast<long long>(digits.size()) + k <= 0) {
        rest = digits;
    } else {
        whole = digits.substr(0, digits.size() - static_cast<size_t>(-k));
        rest = digits.substr(digits.size() - static_cast<size_t>(-k));
    }
    const bool fraction = rest.find_first_not_of('0') != std::string::npos;
    const std::string limit = negative ? "9223372036854775808" : "9223372036854775807";
    auto cmp = [](const std::string& a, const std::string& b) {
        if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
        return a.compare(b) < 0 ? -1 : a.compare(b) > 0 ? 1 : 0;
    };
    const std::string w = whole.empty() ? "0" : whole;
    const int c = cmp(w, limit);
    if (c > 0 || (c == 0 && fraction)) return {decimal_status::out_of_range};
    if (fraction) return {decimal_status::inexact};
    const unsigned long long magnitude = std::stoull(w);
    return {decimal_status::ok,
            negative ? static_cast<int64_t>(0 - magnitude) : static_cast<int64_t>(magnitude)};
}

void check_decimal(std::string_view in) {
    int64_t got = 0x5a5a;
    const decimal_status st = parse_decimal_e9(in, got);
    const reference_result want = in.size() <= 4096 ? reference(in) : reference_result{st, got};
    if (st != want.status) fail("status differs from the reference", in);
    if (st != decimal_status::ok) {
        if (got != 0x5a5a) fail("out written on failure", in);
        return;
    }
    if (got != want.value) fail("value differs from the reference", in);
    char buf[decimal_e9_max_chars];
    const size_t n = format_decimal_e9(got, buf);
    int64_t back = 0;
    if (n == 0 || parse_decimal_e9(std::string_view(buf, n), back) != decimal_status::ok ||
        back != got)
        fail("format does not read back", in);
    // The same text as a quoted token parses the same.
    std::string quoted(1, '"'); // appended, not "\"" + ...: GCC 12 warns falsely (-Wrestrict)
    quoted += in;
    quoted += '"';
    int64_t q = 0;
    if (parse_decimal_e9_token(quoted, q) != decimal_status::ok || q != got)
        fail("quoted token differs", in);
}

void check_timestamp(std::string_view in) {
    int64_t ns = 0;
    const timestamp_status st = parse_timestamp_ns(in, ns);
    if (st != timestamp_status::ok && st != timestamp_status::excess_precision) return;
    char buf[timestamp_max_chars];
    const size_t n = format_timestamp_ns(ns, buf);
    int64_t back = 0;
    if (n == 0 || parse_timestamp_ns(std::string_view(buf, n), back) != timestamp_status::ok ||
        back != ns)
        fail("timestamp format does not read back", in);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view in(reinterpret_cast<const char*>(data), size);
    check_decimal(in);
    check_timestamp(in);
    return 0;
}
