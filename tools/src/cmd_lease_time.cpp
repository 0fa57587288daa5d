// `fosim lease-time`: the lease time an ISC failover server grants, and why.
#include <nlohmann/json.hpp>
#include <ostream>

#include "fosim/core/mclt.hpp"
#include "fosim/tools/cli.hpp"
#include "fosim/tools/options.hpp"

namespace fosim::tools {
namespace {

constexpr std::string_view usage =
    "usage: fosim lease-time --mclt M --now N [--tsfp T] (--desired D | --default-lease-time S\n"
    "                        [--max-lease-time S] [--min-lease-time S] [--requested S]) "
    "[--json]\n\n"
    "The lease time an ISC dhcpd 4.4 failover server puts in an OFFER or ACK, in any failover\n"
    "state, and the potential expiry (tstp) the ACK records and sends to the partner in its\n"
    "BNDUPD. All values are whole seconds; --now and --tsfp are instants on one clock (e.g.\n"
    "seconds since the start of an incident). --tsfp is the potential expiry the partner has\n"
    "acknowledged for this lease (0 for a lease never used, the default).\n\n"
    "Without --desired, D is worked out as ISC does: --requested (or --default-lease-time),\n"
    "capped at --max-lease-time (default 86400), raised to --min-lease-time (default 300\n"
    "capped at max-lease-time).\n\n"
    "Example (the field report: mclt 1800, default-lease-time 3600, first grant):\n"
    "  fosim lease-time --desired 3600 --mclt 1800 --tsfp 0 --now 1000\n"
    "  granted 1800 s (capped at MCLT: ...)";

/// The options of `fosim lease-time`.
po::options_description lease_time_options() {
  po::options_description opts("options");
  opts.add_options()("desired", po::value<long long>(), "desired lease time D (s)")(
      "mclt", po::value<long long>(), "maximum client lead time M (s), required")(
      "tsfp", po::value<long long>()->default_value(0),
      "potential expiry acknowledged by the partner")("now", po::value<long long>(),
                                                      "the current instant n, required")(
      "default-lease-time", po::value<long long>(),
      "default-lease-time (s), when --desired is not given")(
      "max-lease-time", po::value<long long>()->default_value(86400), "max-lease-time (s)")(
      "min-lease-time", po::value<long long>(), "min-lease-time (s); default 300 capped at max")(
      "requested", po::value<long long>(), "the lease time the client asked for (option 51)")(
      "json", "print a JSON object");
  return opts;
}

/// The value of option `name`, if given (or defaulted).
std::optional<long long> value(const po::variables_map& vm, const char* name) {
  if (vm.count(name) == 0) return std::nullopt;
  return vm[name].as<long long>();
}

/// What is wrong with the options, or nothing.
std::optional<std::string> check(const po::variables_map& vm) {
  for (const char* name : {"desired", "mclt", "tsfp", "now", "default-lease-time", "max-lease-time",
                           "min-lease-time", "requested"}) {
    const auto v = value(vm, name);
    if (v && (*v < 0 || *v > 0xffffffffLL))
      return std::string("--") + name + " " + std::to_string(*v) +
             " is out of range; valid: 0 to 4294967295 seconds";
  }
  if (!value(vm, "mclt")) return "--mclt is required (the primary's mclt, in seconds)";
  if (!value(vm, "now")) return "--now is required (the current instant, in seconds)";
  if (value(vm, "desired") && (value(vm, "default-lease-time") || value(vm, "requested")))
    return "give --desired, or --default-lease-time/--requested, not both";
  if (!value(vm, "desired") && !value(vm, "default-lease-time") && !value(vm, "requested"))
    return "give --desired D, or --default-lease-time (and --max-lease-time) to derive it";
  return std::nullopt;
}

/// D: --desired, or worked out from the pool's lease times and the client's request.
core::Seconds desired_of(const po::variables_map& vm) {
  if (value(vm, "desired")) return core::Seconds{*value(vm, "desired")};
  core::LeaseTimeConfig config;
  config.default_lease_time = core::Seconds{value(vm, "default-lease-time").value_or(43200)};
  config.max_lease_time = core::Seconds{*value(vm, "max-lease-time")};
  if (value(vm, "min-lease-time"))
    config.min_lease_time = core::Seconds{*value(vm, "min-lease-time")};
  std::optional<core::Seconds> requested;
  if (value(vm, "requested")) requested = core::Seconds{*value(vm, "requested")};
  return core::desired_lease_time(config, requested);
}

}  // namespace

int cmd_lease_time(const Args& args, Io io) {
  const po::options_description opts = lease_time_options();
  po::variables_map vm;
  if (auto rc = parse_options(args, opts, {}, vm, "lease-time", usage, io)) return *rc;
  if (const auto problem = check(vm)) return bad_input(io, "lease-time", *problem);

  const core::Seconds desired = desired_of(vm);
  const core::Seconds mclt{*value(vm, "mclt")};
  const core::Instant now = core::at_seconds(*value(vm, "now"));
  const core::Instant tsfp = core::at_seconds(*value(vm, "tsfp"));
  const core::Grant g = core::grant_lease_time(desired, mclt, tsfp, now);
  const core::Instant tstp = core::ack_tstp(desired, g.lease_time, now);
  const std::int64_t tstp_s = core::to_seconds(tstp);
  const std::int64_t ends_s = core::to_seconds(now + g.lease_time);

  if (vm.count("json") != 0) {
    // The mclt is spelled as the settings table spells it; desired and granted are results.
    io.out << nlohmann::json{{"desired_s", desired.count()},
                             {"mclt", mclt.count()},
                             {"tsfp", core::to_seconds(tsfp)},
                             {"now", core::to_seconds(now)},
                             {"granted_s", g.lease_time.count()},
                             {"ends", ends_s},
                             {"tstp", tstp_s},
                             {"reason", core::describe(g.reason)}}
                  .dump(2)
           << "\n";
    return exit_ok;
  }
  io.out << "granted " << g.lease_time.count() << " s (" << core::describe(g.reason) << ")\n"
         << "ends    " << ends_s << " (now + granted)\n"
         << "tstp    " << tstp_s << " (now + desired " << desired.count() << " + granted/2; sent as"
         << " potential expiry in the BNDUPD after an ACK; an OFFER records none)\n";
  return exit_ok;
}

}  // namespace fosim::tools
