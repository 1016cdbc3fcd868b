// edgestat: what an operator watches. Reads an instance's shared memory
// read-only (it cannot disturb the daemon; only `halt`/`resume` write, the
// order path's kill switch) and prints connection states,
// rates, latencies, errors, contest sync, the order channel, the book, depth
// and game states.
#include "config/daemon_cli.hpp"
#include "edgestat/book_dump.hpp"
#include "edgestat/halt.hpp"
#include "edgestat/live_dump.hpp"
#include "edgestat/orders_dump.hpp"
#include "edgestat/render.hpp"
#include "edgestat/snapshot.hpp"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <thread>

namespace {

void sleep_ns(int64_t ns) { std::this_thread::sleep_for(std::chrono::nanoseconds(ns)); }

} // namespace

int main(int argc, char** argv) {
    CLI::App app{"edgestat: live state of an edgefeed instance"};
    std::string instance = ef::config::default_instance();
    bool json = false;
    double watch = 0;
    double wait_s = 0;
    app.add_option("--instance", instance, "instance name (env EDGEFEED_INSTANCE)")->capture_default_str();
    app.add_flag("--json", json, "one JSON object per refresh instead of a table");
    app.add_option("--watch", watch, "refresh every SECONDS until interrupted");
    app.add_option("--wait", wait_s, "wait up to SECONDS for the instance to appear");
    std::string contest;
    CLI::App* book_cmd = app.add_subcommand("book", "every book entry (exact decimals)");
    book_cmd->add_option("--contest", contest, "only this contest");
    book_cmd->add_flag("--json", json, "one JSON object a line");
    book_cmd->add_option("--instance", instance, "instance name");
    std::string position_hash;
    CLI::App* depth_cmd = app.add_subcommand("depth", "full per-partner depth records");
    depth_cmd->add_option("--position", position_hash, "only this position_hash");
    depth_cmd->add_flag("--json", json, "one JSON object a line");
    depth_cmd->add_option("--instance", instance, "instance name");
    CLI::App* state_cmd = app.add_subcommand("state", "live game state of each contest");
    state_cmd->add_option("--contest", contest, "only this contest");
    state_cmd->add_flag("--json", json, "one JSON object a line");
    state_cmd->add_option("--instance", instance, "instance name");
    CLI::App* partners_cmd = app.add_subcommand("partners", "the partner table (id, name, status)");
    partners_cmd->add_flag("--json", json, "one JSON object a line");
    partners_cmd->add_option("--instance", instance, "instance name");
    ef::stat::orders_options orders_opt;
    CLI::App* orders_cmd = app.add_subcommand("orders", "each order's life, from the order journal");
    orders_cmd->add_option("--journal-dir", orders_opt.journal_dir, "journal directory (orders.journal_dir)")
        ->capture_default_str();
    orders_cmd->add_option("--instance", instance, "instance name");
    orders_cmd->add_option("--date", orders_opt.date, "YYYYMMDD (UTC), default today");
    orders_cmd->add_option("--file", orders_opt.file, "a journal file (instead of dir, instance, date)");
    orders_cmd->add_option("--order", orders_opt.order, "only this cl_order_id");
    orders_cmd->add_option("--strategy", orders_opt.strategy, "only this strategy's orders");
    orders_cmd->add_flag("--json", json, "one JSON object per order, with every event");
    ef::stat::halt_commands halt_cmds;
    ef::stat::add_halt_commands(app, instance, halt_cmds);
    CLI11_PARSE(app, argc, argv);
    if (const int rc = ef::stat::run_halt_commands(halt_cmds, instance); rc >= 0) return rc;

    // The journal needs no running daemon: read it before looking for one.
    if (orders_cmd->parsed()) {
        orders_opt.instance = instance;
        orders_opt.json = json;
        std::string out, warn;
        const bool ok = ef::stat::orders_report(orders_opt, out, warn);
        std::fwrite(out.data(), 1, out.size(), stdout);
        if (!warn.empty()) std::fprintf(stderr, "edgestat orders: %s\n", warn.c_str());
        return ok ? 0 : 1;
    }

    ef_book* book = nullptr;
    const int rc = ef_book_open_wait(instance.c_str(), static_cast<int64_t>(wait_s * 1000), &book);
    if (rc != EF_OK) {
        std::fprintf(stderr, "edgestat: instance '%s': %s\n", instance.c_str(), ef_book_last_error());
        return 1;
    }
    if (book_cmd->parsed()) {
        const std::string out = json ? ef::stat::book_json_lines(book, contest)
                                     : ef::stat::book_table(book, contest);
        std::fwrite(out.data(), 1, out.size(), stdout);
        ef_book_close(book);
        return 0;
    }
    if (depth_cmd->parsed() || state_cmd->parsed() || partners_cmd->parsed()) {
        std::string out;
        const bool ok = depth_cmd->parsed()  ? ef::stat::depth_report(book, position_hash, json, out)
                        : state_cmd->parsed() ? ef::stat::state_report(book, contest, json, out)
                                              : ef::stat::partners_report(book, json, out);
        std::fwrite(out.data(), 1, out.size(), ok ? stdout : stderr);
        ef_book_close(book);
        return ok ? 0 : 1;
    }
    // Rates need two samples: a one-shot run takes them 250 ms apart.
    ef::stat::snapshot prev = ef::stat::take_snapshot(book);
    const int64_t interval = watch > 0 ? static_cast<int64_t>(watch * 1e9) : 250'000'000;
    for (;;) {
        sleep_ns(interval);
        ef::stat::snapshot now = ef::stat::take_snapshot(book);
        if (json) {
            std::printf("%s\n", ef::stat::render_json(now, &prev).c_str());
        } else {
            if (watch > 0) std::printf("\033[H\033[2J");
            std::printf("%s", ef::stat::render_table(now, &prev).c_str());
        }
        std::fflush(stdout);
        if (watch <= 0) break;
        prev = std::move(now);
    }
    ef_book_close(book);
    return 0;
}
