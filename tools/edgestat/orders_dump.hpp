// `edgestat orders`: reads an instance's order journal (journal_format.hpp)
// and reconstructs each order's life (request -> wire out -> wire in ->
// responses / unknown -> reconciled), as a table with one line per order or
// as JSON lines with every event. Needs no running daemon: it is how an
// operator finds out what happened to an order after a crash.
#pragma once

#include <string>

namespace ef::stat {

struct orders_options {
    std::string journal_dir = "/var/lib/edgefeed"; // config orders.journal_dir
    std::string instance;
    std::string date;     // YYYYMMDD (UTC); empty: today
    std::string file;     // a journal file: overrides dir, instance and date
    std::string order;    // only the order with this cl_order_id
    std::string strategy; // only this strategy's orders
    bool json = false;
};

// Renders the report into `out`. Returns false, with the reason in `warn`,
// when the journal cannot be read. A torn or corrupt tail is reported in
// `warn` (the records before it are still rendered) and the call returns true.
bool orders_report(const orders_options& o, std::string& out, std::string& warn);

} // namespace ef::stat
