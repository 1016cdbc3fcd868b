// edgebench: the benchmark (not a test). The whole pipeline on loopback, with
// a baseline client on the same burst, then our JSON scanner against simdjson
// On-Demand on the same frames. Ratios measured in one run are the figures to
// quote: these machines are shared and noisy.
#include "edgebench/curl_baseline.hpp"
#include "edgebench/order_codec_bench.hpp"
#include "edgebench/json_compare.hpp"
#include "edgebench/order_bench.hpp"
#include "edgebench/pipeline_bench.hpp"

#include <CLI/CLI.hpp>
#include <climits>
#include <filesystem>
#include <unistd.h>

int main(int argc, char** argv) {
    CLI::App app{"edgebench: edgefeed's throughput, CPU per message, allocations and parser speed"};
    ef::bench::pipeline_options o;
    unsigned json_seconds = 5;
    bool no_pipeline = false, no_json = false, no_baseline = false, no_orders = false, curl_only = false;
    ef::bench::series_plan plan;
    char self[PATH_MAX] = {};
    readlink("/proc/self/exe", self, sizeof self - 1);
    const std::filesystem::path here = std::filesystem::path(self).parent_path();
    o.edgefeed = (here / "../../src/daemon/edgefeed").lexically_normal();
    o.edgesim = (here / "../edgesim/edgesim").lexically_normal();
    o.baseline = (here / "baseline_ws_client.py").lexically_normal();
    app.add_option("--messages", o.messages, "messages in the measured burst")->capture_default_str();
    app.add_option("--entries", o.entries, "entries per message")->capture_default_str();
    app.add_option("--contests", o.contests, "contests subscribed")->capture_default_str();
    app.add_option("--core", o.daemon_core, "core for the daemon's loop (default: the last)");
    app.add_option("--idle", o.idle, "daemon idle strategy")->capture_default_str();
    app.add_option("--json-seconds", json_seconds, "time budget of the parser comparison")->capture_default_str();
    app.add_option("--edgefeed", o.edgefeed, "daemon binary")->capture_default_str();
    app.add_option("--edgesim", o.edgesim, "simulator binary")->capture_default_str();
    app.add_flag("--no-pipeline", no_pipeline, "skip the pipeline run");
    app.add_flag("--no-baseline", no_baseline, "skip the python3-websockets baseline client");
    app.add_flag("--no-json", no_json, "skip the parser comparison");
    app.add_option("--orders", plan.count, "orders in the measured series, ours and libcurl's")->capture_default_str();
    app.add_flag("--no-orders", no_orders, "skip the order run");
    app.add_flag("--curl-only", curl_only,
                 "only the order run's libcurl side, on GET /flow/v1/contests (checks the send probe and keep-alive)");
    CLI11_PARSE(app, argc, argv);
    if (no_baseline) o.baseline.clear();

    if (curl_only) return ef::bench::run_curl_only(stdout, {o.edgesim, plan});
    int rc = 0;
    if (!no_pipeline) rc = ef::bench::run_pipeline(stdout, o);
    if (!no_orders) rc |= ef::bench::run_order_bench(stdout, {o.edgefeed, o.edgesim, plan});
    if (!no_json) {
        std::printf("\n== JSON: our schema-specific scanner vs simdjson On-Demand, same frames, same fields\n");
        run_json_comparison(stdout, json_seconds);
        std::printf("\n== order codecs: request writers vs fmt / snprintf, answer parsers vs simdjson On-Demand\n");
        rc |= ef::bench::run_order_codec_bench(stdout, json_seconds) != 0;
    }
    return rc;
}
