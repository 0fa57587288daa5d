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

/// What `fosim hash` balances with.
struct HashSettings {
  core::Hba hba = core::hba_from_split(128);
  std::string split_text = "split 128";  ///< how the header names it
  long long secs = 0;
  long long lb_max = 3;
  bool client_id = false;  ///< the IDs are option-61 client identifiers
};

po::options_description hash_options(std::vector<std::string>& ids) {
  po::options_description opts("options");
  opts.add_options()("id", po::value(&ids), "MAC address or client identifier (hex)")(
      "split", po::value<long long>(), "buckets 0..N-1 go to the primary (0-256; default 128)")(
      "hba", po::value<std::string>(), "hash bucket assignment: 32 hex bytes (instead of --split)")(
      "secs", po::value<long long>()->default_value(0), "the secs field of the DISCOVER")(
      "lb-max-secs", po::value<long long>()->default_value(3),
      "load balance max seconds (0 = load balancing off)")(
      "client-id", "IDs are option-61 client identifiers, not MACs")("json", "print a JSON array");
  return opts;
}

/// Reads the settings from the options; what is wrong with them, or nothing.
std::optional<std::string> read_settings(const po::variables_map& vm, HashSettings& out) {
  if (vm.count("split") != 0 && vm.count("hba") != 0)
    return "give --split or --hba, not both (ISC: never both)";
  if (vm.count("split") != 0) {
    const long long split = vm["split"].as<long long>();
    if (split < 0 || split > 256)
      return "--split " + std::to_string(split) + " is out of range; valid: 0 to 256";
    out.hba = core::hba_from_split(static_cast<unsigned>(split));
    out.split_text = "split " + std::to_string(split);
  }
  if (vm.count("hba") != 0) {
    const auto parsed = core::parse_hba(vm["hba"].as<std::string>());
    if (!parsed) return "--hba must be exactly 32 hex bytes, e.g. ff:ff:...:00 (32 pairs)";
    out.hba = *parsed;
    out.split_text = "hba";
  }
  out.secs = vm["secs"].as<long long>();
  out.lb_max = vm["lb-max-secs"].as<long long>();
  if (out.secs < 0 || out.secs > 65535)
    return "--secs " + std::to_string(out.secs) + " is out of range; valid: 0 to 65535";
  if (out.lb_max < 0 || out.lb_max > 65535)
    return "--lb-max-secs " + std::to_string(out.lb_max) + " is out of range; valid: 0 to 65535";
  out.client_id = vm.count("client-id") != 0;
  return std::nullopt;
}

/// The key `id` names, or what is wrong with it.
std::optional<std::vector<std::uint8_t>> key_of(const std::string& id, bool client_id,
                                                std::string& problem) {
  const auto key = core::parse_hex_bytes(id);
  if (!key || key->empty()) {
    problem = "'" + id + "' is not a " + (client_id ? "client-id" : "MAC address") +
              "; valid: hex bytes such as 52:54:00:02:bf:f8";
    return std::nullopt;
  }
  if (!client_id && key->size() > 16) {
    problem =
        "'" + id + "' is longer than a chaddr (16 bytes); for a client identifier add --client-id";
    return std::nullopt;
  }
  return key;
}

/// One client's bucket and answering server, as a JSON row.
nlohmann::json json_row(const HashSettings& h, const std::vector<std::uint8_t>& key,
                        const core::BalanceDecision& d) {
  return {{"id", core::format_hex(key)},
          {"key_kind", h.client_id ? "client-id" : "chaddr"},
          {"bucket", d.bucket},
          {"hba_byte", d.bucket / 8},
          {"hba_mask", 1u << (d.bucket % 8)},
          {"primary_bucket", core::primary_serves(h.hba, d.bucket)},
          {"server", core::to_string(d.answerer)},
          {"reason", reason_text(d.reason)}};
}

/// One client's bucket and answering server, as a line of the table.
void print_row(std::ostream& out, const std::vector<std::uint8_t>& key,
               const core::BalanceDecision& d) {
  const std::string bit = "byte " + std::to_string(d.bucket / 8) + "/0x" +
                          core::format_hex(std::array<std::uint8_t, 1>{
                              static_cast<std::uint8_t>(1u << (d.bucket % 8))});
  out << std::setw(26) << core::format_hex(key) << std::setw(8) << int{d.bucket} << std::setw(14)
      << bit << core::to_string(d.answerer);
  if (d.reason != core::BalanceReason::hba) out << " (" << reason_text(d.reason) << ")";
  out << "\n";
}

}  // namespace

int cmd_hash(const Args& args, Io io) {
  std::vector<std::string> ids;
  const po::options_description opts = hash_options(ids);
  po::positional_options_description pos;
  pos.add("id", -1);
  po::variables_map vm;
  if (auto rc = parse_options(args, opts, pos, vm, "hash", usage, io)) return *rc;
  if (ids.empty())
    return bad_input(io, "hash",
                     "give at least one MAC address or client-id (see fosim hash --help)");
  HashSettings h;
  if (const auto problem = read_settings(vm, h)) return bad_input(io, "hash", *problem);

  const bool json = vm.count("json") != 0;
  nlohmann::json rows = nlohmann::json::array();
  if (!json)
    io.out << std::left << std::setw(26) << (h.client_id ? "client-id" : "mac") << std::setw(8)
           << "bucket" << std::setw(14) << "hba bit"
           << "answers DISCOVER in normal (" << h.split_text << ", secs " << h.secs
           << ", load balance max seconds " << h.lb_max << ")\n";
  for (const std::string& id : ids) {
    std::string problem;
    const auto key = key_of(id, h.client_id, problem);
    if (!key) return bad_input(io, "hash", problem);
    const core::BalanceDecision d = core::balance(h.hba, *key, static_cast<std::uint32_t>(h.secs),
                                                  static_cast<std::uint32_t>(h.lb_max));
    if (json)
      rows.push_back(json_row(h, *key, d));
    else
      print_row(io.out, *key, d);
  }
  if (json) io.out << rows.dump(2) << "\n";
  return exit_ok;
}

}  // namespace fosim::tools
