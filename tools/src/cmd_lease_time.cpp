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

}  // namespace

int cmd_lease_time(const Args& args, Io io) {
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
  po::variables_map vm;
  if (auto rc = parse_options(args, opts, {}, vm, "lease-time", usage, io)) return *rc;

  auto value = [&vm](const char* name) -> std::optional<long long> {
    if (vm.count(name) == 0) return std::nullopt;
    return vm[name].as<long long>();
  };
  for (const char* name : {"desired", "mclt", "tsfp", "now", "default-lease-time", "max-lease-time",
                           "min-lease-time", "requested"}) {
    const auto v = value(name);
    if (v && (*v < 0 || *v > 0xffffffffLL))
      return bad_input(io, "lease-time",
                       std::string("--") + name + " " + std::to_string(*v) +
                           " is out of range; valid: 0 to 4294967295 seconds");
  }
  if (!value("mclt"))
    return bad_input(io, "lease-time", "--mclt is required (the primary's mclt, in seconds)");
  if (!value("now"))
    return bad_input(io, "lease-time", "--now is required (the current instant, in seconds)");
  if (value("desired") && (value("default-lease-time") || value("requested")))
    return bad_input(io, "lease-time",
                     "give --desired, or --default-lease-time/--requested, not both");
  if (!value("desired") && !value("default-lease-time") && !value("requested"))
    return bad_input(
        io, "lease-time",
        "give --desired D, or --default-lease-time (and --max-lease-time) to derive it");

  core::Seconds desired{0};
  if (value("desired")) {
    desired = core::Seconds{*value("desired")};
  } else {
    core::LeaseTimeConfig config;
    config.default_lease_time = core::Seconds{value("default-lease-time").value_or(43200)};
    config.max_lease_time = core::Seconds{*value("max-lease-time")};
    if (value("min-lease-time")) config.min_lease_time = core::Seconds{*value("min-lease-time")};
    std::optional<core::Seconds> requested;
    if (value("requested")) requested = core::Seconds{*value("requested")};
    desired = core::desired_lease_time(config, requested);
  }
  const core::Seconds mclt{*value("mclt")};
  const core::Instant now = core::at_seconds(*value("now"));
  const core::Instant tsfp = core::at_seconds(*value("tsfp"));
  const core::Grant g = core::grant_lease_time(desired, mclt, tsfp, now);
  const core::Instant tstp = core::ack_tstp(desired, g.lease_time, now);
  const std::int64_t tstp_s = core::to_seconds(tstp);
  const std::int64_t ends_s = core::to_seconds(now + g.lease_time);

  if (vm.count("json") != 0) {
    io.out << nlohmann::json{{"desired_s", desired.count()},
                             {"mclt_s", mclt.count()},
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
