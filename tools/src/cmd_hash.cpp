// `fosim hash`: the RFC 3074 bucket of each client and which server answers its DISCOVER.
#include <charconv>
#include <iomanip>
#include <nlohmann/json.hpp>
#include <ostream>

#include "fosim/core/load_balance.hpp"
#include "fosim/tools/cli.hpp"
#include "fosim/tools/options.hpp"

namespace fosim::tools {
namespace {

constexpr std::string_view usage =
    "usage: fosim hash ID... [--split N | --hba HEX] [--secs S] [--lb-max-secs M] [--client-id]\n"
    "                  [--json]\n\n"
    "For each client, the RFC 3074 bucket (0-255) and the server that answers its DHCPDISCOVER\n"
    "while both servers are normal, as ISC dhcpd 4.4 decides it. An ID is a MAC address (the\n"
    "chaddr, e.g. 52:54:00:02:bf:f8) or, with --client-id, the whole option-61 value in hex\n"
    "including its type byte (e.g. 01:52:54:00:02:bf:f8). The same NIC hashes differently with\n"
    "and without a client identifier.\n\n"
    "The split (default 128) or the hba give buckets to the primary in ISC's bit order. ISC\n"
    "load-balances only while secs <= load balance max seconds; when the client has waited\n"
    "longer, or when load balance max seconds is 0 (ISC's default when the statement is\n"
    "omitted), both servers answer.";

std::string_view reason_text(core::BalanceReason r) {
  switch (r) {
    case core::BalanceReason::hba:
      return "hash bucket assignment";
    case core::BalanceReason::balancing_off:
      return "load balance max seconds is 0: load balancing off";
    case core::BalanceReason::secs_over_maximum:
      return "secs > load balance max seconds";
  }
  return "?";
}

}  // namespace

int cmd_hash(const Args& args, Io io) {
  po::options_description opts("options");
  std::vector<std::string> ids;
  opts.add_options()("id", po::value(&ids), "MAC address or client identifier (hex)")(
      "split", po::value<long long>(), "buckets 0..N-1 go to the primary (0-256; default 128)")(
      "hba", po::value<std::string>(), "hash bucket assignment: 32 hex bytes (instead of --split)")(
      "secs", po::value<long long>()->default_value(0), "the secs field of the DISCOVER")(
      "lb-max-secs", po::value<long long>()->default_value(3),
      "load balance max seconds (0 = load balancing off)")(
      "client-id", "IDs are option-61 client identifiers, not MACs")("json", "print a JSON array");
  po::positional_options_description pos;
  pos.add("id", -1);
  po::variables_map vm;
  if (auto rc = parse_options(args, opts, pos, vm, "hash", usage, io)) return *rc;
  if (ids.empty())
    return bad_input(io, "hash",
                     "give at least one MAC address or client-id (see fosim hash --help)");
  if (vm.count("split") != 0 && vm.count("hba") != 0)
    return bad_input(io, "hash", "give --split or --hba, not both (ISC: never both)");

  core::Hba hba = core::hba_from_split(128);
  std::string split_text = "split 128";
  if (vm.count("split") != 0) {
    const long long split = vm["split"].as<long long>();
    if (split < 0 || split > 256)
      return bad_input(io, "hash",
                       "--split " + std::to_string(split) + " is out of range; valid: 0 to 256");
    hba = core::hba_from_split(static_cast<unsigned>(split));
    split_text = "split " + std::to_string(split);
  }
  if (vm.count("hba") != 0) {
    const auto parsed = core::parse_hba(vm["hba"].as<std::string>());
    if (!parsed)
      return bad_input(io, "hash",
                       "--hba must be exactly 32 hex bytes, e.g. ff:ff:...:00 (32 pairs)");
    hba = *parsed;
    split_text = "hba";
  }
  const long long secs = vm["secs"].as<long long>();
  const long long lb_max = vm["lb-max-secs"].as<long long>();
  if (secs < 0 || secs > 65535)
    return bad_input(io, "hash",
                     "--secs " + std::to_string(secs) + " is out of range; valid: 0 to 65535");
  if (lb_max < 0 || lb_max > 65535)
    return bad_input(
        io, "hash",
        "--lb-max-secs " + std::to_string(lb_max) + " is out of range; valid: 0 to 65535");
  const bool client_id = vm.count("client-id") != 0;

  nlohmann::json rows = nlohmann::json::array();
  if (vm.count("json") == 0)
    io.out << std::left << std::setw(26) << (client_id ? "client-id" : "mac") << std::setw(8)
           << "bucket" << std::setw(14) << "hba bit"
           << "answers DISCOVER in normal (" << split_text << ", secs " << secs
           << ", load balance max seconds " << lb_max << ")\n";
  for (const std::string& id : ids) {
    const auto key = core::parse_hex_bytes(id);
    if (!key || key->empty())
      return bad_input(io, "hash",
                       "'" + id + "' is not a " + (client_id ? "client-id" : "MAC address") +
                           "; valid: hex bytes such as 52:54:00:02:bf:f8");
    if (!client_id && key->size() > 16)
      return bad_input(
          io, "hash",
          "'" + id +
              "' is longer than a chaddr (16 bytes); for a client identifier add --client-id");
    const core::BalanceDecision d = core::balance(hba, *key, static_cast<std::uint32_t>(secs),
                                                  static_cast<std::uint32_t>(lb_max));
    const std::string bit = "byte " + std::to_string(d.bucket / 8) + "/0x" +
                            core::format_hex(std::array<std::uint8_t, 1>{
                                static_cast<std::uint8_t>(1u << (d.bucket % 8))});
    if (vm.count("json") != 0) {
      rows.push_back({{"id", core::format_hex(*key)},
                      {"key_kind", client_id ? "client-id" : "chaddr"},
                      {"bucket", d.bucket},
                      {"hba_byte", d.bucket / 8},
                      {"hba_mask", 1u << (d.bucket % 8)},
                      {"primary_bucket", core::primary_serves(hba, d.bucket)},
                      {"server", core::to_string(d.answerer)},
                      {"reason", reason_text(d.reason)}});
    } else {
      io.out << std::setw(26) << core::format_hex(*key) << std::setw(8) << int{d.bucket}
             << std::setw(14) << bit << core::to_string(d.answerer);
      if (d.reason != core::BalanceReason::hba) io.out << " (" << reason_text(d.reason) << ")";
      io.out << "\n";
    }
  }
  if (vm.count("json") != 0) io.out << rows.dump(2) << "\n";
  return exit_ok;
}

}  // namespace fosim::tools
