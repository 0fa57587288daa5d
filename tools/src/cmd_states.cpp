// `fosim states` and `fosim map`: the state table and conversions between its numberings.
#include <cctype>
#include <charconv>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "fosim/core/state.hpp"
#include "fosim/tools/cli.hpp"
#include "fosim/tools/options.hpp"

namespace fosim::tools {
namespace {

using core::Numbering;
using core::State;
using core::StateInfo;

std::string_view service_name(core::Service s) {
  switch (s) {
    case core::Service::not_responding:
      return "not responding";
    case core::Service::startup:
      return "startup (not responding)";
    case core::Service::cooperating:
      return "cooperating (load-balanced)";
    case core::Service::not_cooperating:
      return "not cooperating (own pool)";
    case core::Service::partner_down:
      return "partner down (takes peer's pool)";
  }
  return "?";
}

std::string number_text(std::optional<std::uint8_t> n) { return n ? std::to_string(*n) : "-"; }

nlohmann::json number_json(std::optional<std::uint8_t> n) {
  return n ? nlohmann::json(*n) : nlohmann::json(nullptr);
}

nlohmann::json row_json(const StateInfo& row) {
  nlohmann::json windows = nullptr;
  if (row.windows) windows = {{"id", row.windows_id}, {"value", *row.windows}};
  return {{"name", row.name},
          {"isc_state", row.isc},
          {"isc", number_json(row.isc4)},
          {"isc3", number_json(row.isc3)},
          {"windows", windows},
          {"service", service_name(row.service)}};
}

constexpr std::string_view scheme_names = "name, isc, isc3, windows";

std::optional<Numbering> parse_scheme(std::string_view s) {
  if (s == "isc") return Numbering::isc;
  if (s == "isc3") return Numbering::isc3;
  if (s == "windows") return Numbering::windows;
  return std::nullopt;
}

std::string_view scheme_label(std::string_view scheme) {
  if (scheme == "isc") return "ISC 4.x/OMAPI/wire number";
  if (scheme == "isc3") return "ISC 3.0.x number";
  if (scheme == "windows") return "Windows FSM_STATE value";
  return "name";
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  return true;
}

/// A state looked up from the command line, or the exit code of the error already printed.
struct Lookup {
  std::optional<State> state;  ///< empty after an error
  int rc = exit_ok;            ///< the exit code when `state` is empty
};

/// Looks up `value` as a state name (any spelling); a bare number is bad input.
Lookup state_by_name(const std::string& value, Io io) {
  if (all_digits(value)) {
    const std::string message =
        "'" + value + "' is a number: say which numbering with --from isc, isc3 or windows";
    return {std::nullopt, bad_input(io, "map", message)};
  }
  const std::optional<State> state = core::parse_state(value);
  if (!state) {
    io.err << "fosim map: '" << value << "' is not a failover state name (see fosim states)\n";
    return {std::nullopt, exit_no};
  }
  return {state};
}

/// Looks up `value` as a number of scheme `from` (or, for windows, an FSM_STATE identifier).
Lookup state_by_number(const std::string& value, const std::string& from, Io io) {
  const Numbering scheme = *parse_scheme(from);
  unsigned n = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
  if (ec != std::errc{} || end != value.data() + value.size()) {
    // Windows identifiers are names too: accept FSM_STATE spellings with --from windows.
    const std::optional<State> state =
        scheme == Numbering::windows ? core::parse_state(value) : std::nullopt;
    if (!state || !core::to_number(*state, scheme))
      return {std::nullopt,
              bad_input(io, "map", "'" + value + "' is not a number for --from " + from)};
    return {state};
  }
  const std::optional<State> state = core::from_number(n, scheme);
  if (!state) {
    io.err << "fosim map: " << n << " is no state in the " << scheme_label(from)
           << " scheme (see fosim states)\n";
    return {std::nullopt, exit_no};
  }
  return {state};
}

/// Prints every numbering of `row`, as a table or as JSON.
void print_every_scheme(const StateInfo& row, bool json, Io io) {
  if (json) {
    io.out << row_json(row).dump(2) << "\n";
    return;
  }
  io.out << "name     " << row.name << (row.isc ? "" : " (Windows only)") << "\n"
         << "isc      " << number_text(row.isc4) << "\n"
         << "isc3     " << number_text(row.isc3) << "\n"
         << "windows  "
         << (row.windows ? std::string(row.windows_id) + " " + std::to_string(*row.windows) : "-")
         << "\n";
}

/// Prints `row` in scheme `to` ("name" or a numbering); exit 1 when it has no counterpart.
int print_in_scheme(const StateInfo& row, const std::string& to, bool json, Io io) {
  if (to == "name") {
    if (json)
      io.out << nlohmann::json{{"name", row.name}}.dump() << "\n";
    else
      io.out << row.name << "\n";
    return exit_ok;
  }
  const Numbering target = *parse_scheme(to);
  const std::optional<std::uint8_t> n = core::to_number(row.state, target);
  if (!n) {
    io.err << "fosim map: " << row.name << " has no " << scheme_label(to) << " (no counterpart)\n";
    return exit_no;
  }
  if (json) {
    nlohmann::json out{{"name", row.name}, {to, *n}};
    if (target == Numbering::windows) out["windows_id"] = row.windows_id;
    io.out << out.dump() << "\n";
  } else if (target == Numbering::windows) {
    io.out << row.windows_id << " " << int{*n} << "\n";
  } else {
    io.out << int{*n} << "\n";
  }
  return exit_ok;
}

}  // namespace

int cmd_states(const Args& args, Io io) {
  po::options_description opts("options");
  opts.add_options()("json", "print a JSON array instead of a table");
  po::variables_map vm;
  if (auto rc = parse_options(
          args, opts, {}, vm, "states",
          "usage: fosim states [--json]\n\n"
          "Prints every failover state with the number it has in each scheme:\n"
          "  isc      ISC 4.x = OMAPI local-state = draft-12 wire code (recover-wait 254)\n"
          "  isc3     ISC 3.0.x (the list in the 3.0 dhcpd.8: 1 partner down ... 11 recover wait)\n"
          "  windows  Windows FSM_STATE identifier and value\n"
          "A '-' means the scheme has no such state.",
          io))
    return *rc;
  if (vm.count("json") != 0) {
    nlohmann::json out = nlohmann::json::array();
    for (const StateInfo& row : core::state_table) out.push_back(row_json(row));
    io.out << out.dump(2) << "\n";
    return exit_ok;
  }
  io.out << std::left << std::setw(28) << "state" << std::setw(6) << "isc" << std::setw(6) << "isc3"
         << std::setw(24) << "windows"
         << "ISC service\n";
  for (const StateInfo& row : core::state_table) {
    std::string windows =
        row.windows ? std::string(row.windows_id) + " " + std::to_string(*row.windows) : "-";
    std::string name(row.name);
    if (!row.isc) name += " (Windows only)";
    io.out << std::setw(28) << name << std::setw(6) << number_text(row.isc4) << std::setw(6)
           << number_text(row.isc3) << std::setw(24) << windows
           << (row.isc ? service_name(row.service) : "-") << "\n";
  }
  return exit_ok;
}

int cmd_map(const Args& args, Io io) {
  po::options_description opts("options");
  std::string value, from, to;
  opts.add_options()("value", po::value(&value)->required(), "the state: a name or a number")(
      "from", po::value(&from),
      "scheme of VALUE: name, isc, isc3 or windows (default: name; "
      "a number needs --from)")("to", po::value(&to),
                                "scheme to convert to: name, isc, isc3 or windows (default: all)")(
      "json", "print a JSON object");
  po::positional_options_description pos;
  pos.add("value", 1);
  po::variables_map vm;
  if (auto rc = parse_options(
          args, opts, pos, vm, "map",
          "usage: fosim map VALUE [--from SCHEME] [--to SCHEME] [--json]\n\n"
          "Converts a failover state between names and numberings, e.g.\n"
          "  fosim map 1 --from isc3 --to windows     ->  PARTNER_DOWN 5\n"
          "  fosim map 'communications interrupted'  ->  every numbering\n"
          "Names are accepted in any spelling (partner-down, PARTNER_DOWN, partner down).\n"
          "Exit 1 when the value names no state in --from, or the state has no\n"
          "counterpart in --to (nothing is guessed); exit 2 on bad input.",
          io))
    return *rc;
  if (from.empty()) from = "name";
  if (from != "name" && !parse_scheme(from))
    return bad_input(io, "map",
                     "--from '" + from + "' is not a scheme; valid: " + std::string(scheme_names));
  if (!to.empty() && to != "name" && !parse_scheme(to))
    return bad_input(io, "map",
                     "--to '" + to + "' is not a scheme; valid: " + std::string(scheme_names));

  const Lookup found = from == "name" ? state_by_name(value, io) : state_by_number(value, from, io);
  if (!found.state) return found.rc;
  const StateInfo& row = core::info(*found.state);
  const bool json = vm.count("json") != 0;
  if (to.empty()) {
    print_every_scheme(row, json, io);
    return exit_ok;
  }
  return print_in_scheme(row, to, json, io);
}

}  // namespace fosim::tools
