// See render.hpp.
#include "edgestat/render.hpp"

#include "common/histogram.hpp"
#include "feed/conn_report.hpp"
#include "json/scanner.hpp"

#include <fmt/format.h>

namespace ef::stat {

namespace {

const char* stage_names[] = {
#define EF_X(name, text) #name,
    EF_STAGES(EF_X)
#undef EF_X
};
const char* stage_texts[] = {
#define EF_X(name, text) text,
    EF_STAGES(EF_X)
#undef EF_X
};

const char* daemon_state_name(uint32_t s) {
    switch (s) {
    case EF_DAEMON_STARTING: return "starting";
    case EF_DAEMON_RUNNING: return "running";
    case EF_DAEMON_STOPPING: return "stopping";
    case EF_DAEMON_STOPPED: return "stopped";
    }
    return "?";
}

const char* crypto_text(uint32_t c) {
    switch (c) {
    case EF_TLS_CRYPTO_AESNI: return "aes-ni";
    case EF_TLS_CRYPTO_SLOW: return "slow, no AES-NI";
    }
    return "unknown";
}

const char* idle_name(uint32_t i) {
    switch (i) {
    case 0: return "spin";
    case 1: return "spin-then-sleep";
    case 2: return "sleep";
    }
    return "?";
}

double rate(uint64_t now, uint64_t before, int64_t dt_ns) {
    if (dt_ns <= 0 || now < before) return 0;
    return static_cast<double>(now - before) * 1e9 / static_cast<double>(dt_ns);
}

double utilisation(const ef_loop_stats& now, const ef_loop_stats* prev) {
    const uint64_t busy = now.busy_ns - (prev ? prev->busy_ns : 0);
    const uint64_t idle = now.idle_ns - (prev ? prev->idle_ns : 0);
    return busy + idle ? 100.0 * static_cast<double>(busy) / static_cast<double>(busy + idle) : 0;
}

} // namespace

const char* stale_reason_name(uint32_t r) {
    switch (r) {
    case EF_STALE_NONE: return "";
    case EF_STALE_NOT_SUBSCRIBED: return "not subscribed";
    case EF_STALE_AWAITING_SNAPSHOT: return "awaiting snapshot";
    case EF_STALE_REFRESH_REQUIRED: return "refresh required";
    case EF_STALE_UPDATE_LOST: return "update lost";
    case EF_STALE_CLOSED: return "closed";
    case EF_STALE_SNAPSHOT_FAILED: return "snapshot failed";
    }
    return "?";
}

namespace {

// "fresh", or "stale (<reason>)": what a reader of the book must know first.
std::string sync_text(const ef_contest_view& c) {
    if (!(c.flags & EF_CONTEST_STALE)) return "fresh";
    return fmt::format("stale ({})", stale_reason_name(c.stale_reason));
}

// Age of a past time; "never" for 0, "-" for a time after `now` (clocks moved).
std::string age_text(int64_t now, int64_t then) {
    if (then == 0) return "never";
    if (then > now) return "-";
    return human_ns(static_cast<uint64_t>(now - then)) + " ago";
}

std::string contest_row(const ef_contest_view& c, const snapshot& s) {
    return fmt::format("{:<32} {:<28} {:>12} {:>14} {:>8} {:>6}\n", c.id, sync_text(c),
                       age_text(s.taken_unix_ns, c.last_sync_unix_ns),
                       age_text(s.taken_mono_ns, c.status_since_mono_ns), c.resyncs, c.held_updates);
}

} // namespace

std::string render_table(const snapshot& s, const snapshot* prev) {
    std::string o;
    const int64_t dt = prev ? s.taken_mono_ns - prev->taken_mono_ns : 0;
    const ef_process_stats& p = s.process;
    o += fmt::format("edgefeed instance '{}'  pid {}  {}  heartbeat {} ago\n", s.info.instance,
                     s.info.daemon_pid, daemon_state_name(s.info.daemon_state),
                     human_ns(static_cast<uint64_t>(std::max<int64_t>(s.info.heartbeat_age_ns, 0))));
    o += fmt::format("tls_crypto: {} ({})   allocations since ready: {} ({} bytes)   "
                     "tls pool fallbacks: {} (exhausted {})\n",
                     crypto_text(p.tls_crypto), p.tls_library, p.allocs_since_ready,
                     p.alloc_bytes_since_ready, p.tls_pool_fallbacks, p.tls_pool_exhausted);
    o += fmt::format("book: {} contests ({} stale), {} positions, {} partners; capacity {}/{}/{}\n\n",
                     s.info.contests_used, s.stale_contests, s.info.positions_used,
                     s.info.partners_used, s.info.max_contests, s.info.max_positions,
                     s.info.max_partners);

    for (size_t i = 0; i < s.loops.size(); ++i) {
        const ef_loop_stats& l = s.loops[i].s;
        const ef_loop_stats* lp = prev && i < prev->loops.size() ? &prev->loops[i].s : nullptr;
        o += fmt::format("loop {}  core {}  {}  utilisation {:.1f}%  {:.0f} msgs/s  {:.0f} entries/s  "
                         "{} msgs  {} entries  recv buffers exhausted {}\n",
                         i, l.core, idle_name(l.idle_strategy), utilisation(l, lp),
                         lp ? rate(l.messages, lp->messages, dt) : 0.0,
                         lp ? rate(l.entries, lp->entries, dt) : 0.0, l.messages, l.entries,
                         l.recv_buffers_exhausted);
        o += fmt::format("    {:<38} {:>10} {:>10} {:>10} {:>10} {:>12}\n", "latency", "p50", "p99",
                         "p99.9", "max", "samples");
        for (int st = 0; st < EF_STAGE_COUNT; ++st) {
            const ef_histogram& h = l.stages[st];
            o += fmt::format("    {:<38} {:>10} {:>10} {:>10} {:>10} {:>12}\n", stage_texts[st],
                             human_ns(histogram_percentile(h, 50)), human_ns(histogram_percentile(h, 99)),
                             human_ns(histogram_percentile(h, 99.9)), human_ns(h.max_ns), h.count);
        }
    }
    o += "\nconnection             state        bytes_in     frames   messages    entries  requests  reconnects  errors\n";
    for (size_t i = 0; i < s.conns.size(); ++i) {
        const ef_conn_stats& c = s.conns[i].s;
        uint64_t errors = 0;
        for (uint64_t e : c.errors) errors += e;
        o += fmt::format("{:<22} {:<12} {:>10} {:>10} {:>10} {:>10} {:>9} {:>11} {:>7}\n", c.name,
                         feed::conn_state_name(static_cast<ef_conn_state>(c.state)), c.bytes_in,
                         c.ws_frames_in, c.ws_messages_in, c.entries_applied, c.requests,
                         c.reconnects, errors);
        for (int k = 0; k < EF_ERR_COUNT; ++k)
            if (c.errors[k])
                o += fmt::format("    {:<26} {}\n", feed::error_kind_name(static_cast<ef_error_kind>(k)),
                                 c.errors[k]);
        if (!s.conns[i].last_error.empty()) o += fmt::format("    last error: {}\n", s.conns[i].last_error);
    }
    if (!s.contests.empty()) {
        o += fmt::format("\n{:<32} {:<28} {:>12} {:>14} {:>8} {:>6}\n", "contest", "sync",
                         "last sync", "status since", "resyncs", "held");
        for (const auto& c : s.contests) o += contest_row(c.v, s);
    }
    o += render_orders_table(s.orders, s.info.daemon_pid);
    return o;
}

std::string render_json(const snapshot& s, const snapshot* prev) {
    const int64_t dt = prev ? s.taken_mono_ns - prev->taken_mono_ns : 0;
    const ef_process_stats& p = s.process;
    std::string o = "{";
    o += fmt::format(R"("instance":{},"pid":{},"state":"{}","heartbeat_age_ns":{},"epoch":{},)",
                     json_str(s.info.instance), s.info.daemon_pid, daemon_state_name(s.info.daemon_state),
                     s.info.heartbeat_age_ns, s.info.epoch);
    o += fmt::format(R"("tls_pool_fallbacks":{},"tls_pool_exhausted":{},)", p.tls_pool_fallbacks,
                     p.tls_pool_exhausted);
    o += fmt::format(R"("tls_crypto":"{}","tls_library":{},"allocs_since_ready":{},"alloc_bytes_since_ready":{},"allocs_total":{},"ready_unix_ns":{},)",
                     crypto_text(p.tls_crypto), json_str(p.tls_library), p.allocs_since_ready,
                     p.alloc_bytes_since_ready, p.allocs_total, p.ready_unix_ns);
    o += fmt::format(R"("book":{{"contests":{},"stale_contests":{},"positions":{},"partners":{},"max_contests":{},"max_positions":{},"max_partners":{}}},)",
                     s.info.contests_used, s.stale_contests, s.info.positions_used, s.info.partners_used,
                     s.info.max_contests, s.info.max_positions, s.info.max_partners);
    o += "\"loops\":[";
    for (size_t i = 0; i < s.loops.size(); ++i) {
        const ef_loop_stats& l = s.loops[i].s;
        const ef_loop_stats* lp = prev && i < prev->loops.size() ? &prev->loops[i].s : nullptr;
        if (i) o += ",";
        o += fmt::format(R"({{"loop":{},"core":{},"idle":"{}","utilisation_pct":{:.2f},"busy_ns":{},"idle_ns":{},"iterations":{},"completions":{},"messages":{},"entries":{},"recv_buffers_exhausted":{},"messages_per_s":{:.1f},"entries_per_s":{:.1f},"latency":{{)",
                         i, l.core, idle_name(l.idle_strategy), utilisation(l, lp), l.busy_ns, l.idle_ns,
                         l.iterations, l.completions, l.messages, l.entries, l.recv_buffers_exhausted,
                         lp ? rate(l.messages, lp->messages, dt) : 0.0,
                         lp ? rate(l.entries, lp->entries, dt) : 0.0);
        for (int st = 0; st < EF_STAGE_COUNT; ++st) {
            const ef_histogram& h = l.stages[st];
            if (st) o += ",";
            o += fmt::format(R"("{}":{{"text":"{}","count":{},"mean_ns":{},"p50_ns":{},"p99_ns":{},"p999_ns":{},"max_ns":{}}})",
                             stage_names[st], stage_texts[st], h.count, h.count ? h.sum_ns / h.count : 0,
                             histogram_percentile(h, 50), histogram_percentile(h, 99),
                             histogram_percentile(h, 99.9), h.max_ns);
        }
        o += "}}";
    }
    o += "],\"connections\":[";
    for (size_t i = 0; i < s.conns.size(); ++i) {
        const ef_conn_stats& c = s.conns[i].s;
        if (i) o += ",";
        o += fmt::format(R"({{"name":{},"state":"{}","loop":{},"contests":{},"bytes_in":{},"bytes_out":{},"tls_records_in":{},"ws_frames_in":{},"ws_messages_in":{},"json_messages":{},"updates":{},"entries_applied":{},"reconnects":{},"pings_answered":{},"requests":{},"responses":{},"timeouts":{},"tls_handshakes":{},"tls_resumed":{},"connected_since_unix_ns":{},"errors":{{)",
                         json_str(c.name), feed::conn_state_name(static_cast<ef_conn_state>(c.state)), c.loop,
                         c.contests, c.bytes_in, c.bytes_out, c.tls_records_in, c.ws_frames_in,
                         c.ws_messages_in, c.json_messages, c.updates, c.entries_applied, c.reconnects,
                         c.pings_answered, c.requests, c.responses, c.timeouts, c.tls_handshakes, c.tls_resumed,
                         c.connected_since_unix_ns);
        for (int k = 0; k < EF_ERR_COUNT; ++k)
            o += fmt::format(R"({}"{}":{})", k ? "," : "", feed::error_kind_name(static_cast<ef_error_kind>(k)),
                             c.errors[k]);
        o += fmt::format(R"(}},"last_error":{},"last_error_unix_ns":{}}})", json_str(s.conns[i].last_error),
                         c.last_error_unix_ns);
    }
    o += "],\"contests\":[";
    for (size_t i = 0; i < s.contests.size(); ++i) {
        const ef_contest_view& c = s.contests[i].v;
        if (i) o += ",";
        o += fmt::format(R"({{"id":{},"stale":{},"stale_reason":"{}","subscribed":{},"last_sync_unix_ns":{},"last_update_venue_ns":{},"entries_applied":{},"positions":{},)",
                         json_str(c.id), (c.flags & EF_CONTEST_STALE) ? "true" : "false",
                         stale_reason_name(c.stale_reason), (c.flags & EF_CONTEST_SUBSCRIBED) ? "true" : "false",
                         c.last_sync_unix_ns, c.last_update_venue_ns, c.entries_applied, c.positions);
        // Ages are -1 when unknown (never synced), so a script never divides by a made-up 0.
        const int64_t sync_age = c.last_sync_unix_ns ? s.taken_unix_ns - c.last_sync_unix_ns : -1;
        o += fmt::format(R"("sync":"{}","last_sync_age_ns":{},"snapshot_venue_ns":{},"resyncs":{},"held_updates":{},"status_since_mono_ns":{},"status_age_ns":{},"connection":{}}})",
                         (c.flags & EF_CONTEST_STALE) ? "stale" : "fresh", sync_age, c.snapshot_venue_ns,
                         c.resyncs, c.held_updates, c.status_since_mono_ns,
                         s.taken_mono_ns - c.status_since_mono_ns,
                         c.connection == EF_NONE ? int64_t{-1} : int64_t{c.connection});
    }
    o += "],\"orders\":" + render_orders_json(s.orders, s.info.daemon_pid) + "}";
    return o;
}

} // namespace ef::stat
