// `fosim leases`: what one or two ISC servers' dhcpd.leases files say about their failover pair.
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "fosim/core/load_balance.hpp"
#include "fosim/formats/dhcpd_leases.hpp"
#include "fosim/formats/leases_audit.hpp"
#include "fosim/tools/cli.hpp"
#include "fosim/tools/options.hpp"

namespace fosim::tools {
namespace {

using core::BindingState;
using sim::FindingKind;
using sim::IscLease;
using sim::LeaseFinding;
using sim::LeasesFile;

constexpr std::string_view usage =
    "usage: fosim leases A.leases [B.leases] [--mclt S] [--json]\n\n"
    "Reads ISC dhcpd lease files (dhcpd.leases or dhcpd.leases~; a repeated lease or failover\n"
    "record: the last one wins, as dhcpd reads its journal) and prints for each file:\n"
    "  - each failover peer record: my state and partner state with their times, the mclt\n"
    "    (dhcpd records it on the secondary only, which tells the two roles apart);\n"
    "  - the leases by binding state (free, backup, active, expired, released, abandoned,\n"
    "    reset) and what one rebalance run would hand to the partner (the file as one pool,\n"
    "    max-lease-misbalance 15%, max-lease-ownership 10%).\n"
    "With two files (the two servers of one pair) it also reports:\n"
    "  duplicate     an address active on both servers for different clients (hardware\n"
    "                address, else uid);\n"
    "  mclt          an active lease that ends after max(tsfp, cltt) + MCLT: later than the\n"
    "                partner acknowledged plus the MCLT (checked in one file too);\n"
    "  disagreement  active on one server but not the other, free on one and backup on the\n"
    "                other, abandoned on one only, or the same client with different ends.\n"
    "The MCLT is --mclt, else the one the secondary's file records; without either there is\n"
    "no MCLT check. The rules are in docs/leases.md.\n\n"
    "Exit codes: 0 no duplicate and no MCLT overrun (disagreements alone are reported, not\n"
    "failed); 1 a duplicate or an MCLT overrun; 2 a file cannot be read or is not a lease file\n"
    "(each mistake as FILE:LINE: error: what was expected).";

constexpr std::array<BindingState, 7> shown_states{
    BindingState::free,     BindingState::backup,    BindingState::active, BindingState::expired,
    BindingState::released, BindingState::abandoned, BindingState::reset};

std::optional<std::string> read_text(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return std::nullopt;
  std::ostringstream s;
  s << f.rdbuf();
  if (f.bad()) return std::nullopt;
  return s.str();
}

std::string state_text(const std::optional<sim::RecordedState>& s) {
  if (!s) return "not recorded";
  std::string t(core::to_string(s->state));
  if (s->at) t += " at " + sim::format_lease_time(*s->at);
  return t;
}

std::string client(const IscLease& l) {
  if (!l.hardware.empty()) return l.hardware_type + " " + core::format_hex(l.hardware);
  if (l.uid) return "uid " + core::format_hex(*l.uid);
  return "no client recorded";
}

std::string binding(const IscLease& l) {
  return l.binding ? std::string(core::to_string(*l.binding)) : "no binding state";
}

/// "FILE:LINE" of a finding's lease in file `side`.
std::string place(std::span<const LeasesFile> files, const LeaseFinding& f, std::size_t side) {
  return files[side].file + ":" + std::to_string(files[side].leases[f.index[side]].line);
}

const IscLease& lease_of(std::span<const LeasesFile> files, const LeaseFinding& f,
                         std::size_t side) {
  return files[side].leases[f.index[side]];
}

void print_file(const LeasesFile& f, Io io) {
  io.out << f.file << ": " << f.leases.size() << " leases (" << f.lease_declarations
         << " lease declarations)\n";
  for (const sim::PeerStateRecord& r : f.peers) {
    io.out << "  failover peer \"" << r.peer << "\" (" << core::to_string(sim::recorded_role(r))
           << "): my state " << state_text(r.me) << "; partner state " << state_text(r.partner)
           << "; mclt " << (r.mclt_s ? std::to_string(*r.mclt_s) + " s" : "not recorded") << "\n";
  }
  if (f.peers.empty()) io.out << "  no failover peer record\n";
  const sim::BindingCounts c = sim::count_bindings(f);
  io.out << "  ";
  for (std::size_t i = 0; i < shown_states.size(); ++i)
    io.out << (i ? ", " : "") << core::to_string(shown_states[i]) << " " << c.of(shown_states[i]);
  if (c.unstated) io.out << ", no binding state " << c.unstated;
  io.out << "\n";
  if (f.peers.size() == 1) {
    const sim::PoolBalance b = sim::balance_pool(f, sim::recorded_role(f.peers.front()));
    const core::Role other =
        b.role == core::Role::primary ? core::Role::secondary : core::Role::primary;
    io.out << "  balance: the " << core::to_string(b.role) << " would hand "
           << b.result.transferred.size() << " " << core::to_string(b.own) << " lease"
           << (b.result.transferred.size() == 1 ? "" : "s") << " to the " << core::to_string(other)
           << " (total " << b.result.total << ", leases to send " << b.result.lts_before
           << ", threshold " << b.result.thresh << ", hold " << b.result.hold
           << (b.result.imbalanced ? ", still imbalanced" : "")
           << "; dhcpd balances in normal only)\n";
  }
  if (!f.skipped.empty())
    io.out << "  " << f.skipped.size() << " statement" << (f.skipped.size() == 1 ? "" : "s")
           << " not modelled (first: " << f.skipped.front().keyword << " at line "
           << f.skipped.front().line << ")\n";
}

void print_finding(std::span<const LeasesFile> files, const sim::LeasesAudit& audit,
                   const LeaseFinding& f, Io io) {
  const std::string ip = sim::format_ipv4(f.address);
  switch (f.kind) {
    case FindingKind::duplicate:
      io.out << "duplicate: " << ip
             << " is active on both servers for different clients: " << place(files, f, 0) << " "
             << client(lease_of(files, f, 0)) << ", " << place(files, f, 1) << " "
             << client(lease_of(files, f, 1)) << "\n";
      return;
    case FindingKind::mclt_overrun: {
      const IscLease& l = lease_of(files, f, f.side);
      io.out << "mclt: " << place(files, f, f.side) << ": " << ip << " ends "
             << sim::format_lease_time(*l.ends) << ", after max(tsfp, cltt) + mclt "
             << *audit.mclt_s << " s = " << sim::format_lease_time(f.bound) << " (tsfp "
             << (l.tsfp ? sim::format_lease_time(*l.tsfp) : "not recorded") << ")\n";
      return;
    }
    case FindingKind::disagreement: {
      const IscLease &a = lease_of(files, f, 0), &b = lease_of(files, f, 1);
      io.out << "disagreement: " << ip << ": " << sim::to_string(f.disagreement) << ": "
             << binding(a) << " in " << place(files, f, 0) << ", " << binding(b) << " in "
             << place(files, f, 1);
      if (f.disagreement == sim::Disagreement::different_ends)
        io.out << " (ends " << sim::format_lease_time(a.ends.value_or(core::Instant{})) << " / "
               << sim::format_lease_time(b.ends.value_or(core::Instant{})) << ")";
      const IscLease& active = f.side == 0 ? a : b;
      if (f.disagreement == sim::Disagreement::active_one_side && active.tstp &&
          (!active.atsfp || *active.tstp > *active.atsfp))
        io.out << " (its update is not acknowledged yet: tstp > atsfp)";
      io.out << "\n";
      return;
    }
  }
}

nlohmann::json json_time(const std::optional<sim::LeaseTime>& t) {
  if (!t) return nullptr;
  if (*t == sim::lease_never) return "never";
  return core::to_seconds(*t);
}

nlohmann::json json_report(std::span<const LeasesFile> files, const sim::LeasesAudit& audit) {
  nlohmann::json out{{"files", nlohmann::json::array()}, {"findings", nlohmann::json::array()}};
  for (const LeasesFile& f : files) {
    nlohmann::json jf{{"file", f.file},
                      {"leases", f.leases.size()},
                      {"lease_declarations", f.lease_declarations},
                      {"peers", nlohmann::json::array()}};
    for (const sim::PeerStateRecord& r : f.peers) {
      nlohmann::json jr{{"peer", r.peer}, {"role", core::to_string(sim::recorded_role(r))}};
      for (const auto& [key, s] :
           {std::pair{"my_state", r.me}, std::pair{"partner_state", r.partner}}) {
        jr[key] = s ? nlohmann::json(core::to_string(s->state)) : nlohmann::json(nullptr);
        jr[std::string(key) + "_at"] = s ? json_time(s->at) : nlohmann::json(nullptr);
      }
      jr["mclt_s"] = r.mclt_s ? nlohmann::json(*r.mclt_s) : nlohmann::json(nullptr);
      jf["peers"].push_back(jr);
    }
    const sim::BindingCounts c = sim::count_bindings(f);
    for (BindingState s : shown_states) jf["counts"][std::string(core::to_string(s))] = c.of(s);
    if (f.peers.size() == 1)
      jf["balance_transfers"] =
          sim::balance_pool(f, sim::recorded_role(f.peers.front())).result.transferred.size();
    out["files"].push_back(jf);
  }
  out["mclt_s"] = audit.mclt_s ? nlohmann::json(*audit.mclt_s) : nlohmann::json(nullptr);
  constexpr std::array<const char*, 3> kinds{"duplicate", "mclt", "disagreement"};
  for (const LeaseFinding& f : audit.findings) {
    nlohmann::json jf{{"kind", kinds[static_cast<std::size_t>(f.kind)]},
                      {"address", sim::format_ipv4(f.address)}};
    for (std::size_t side = 0; side < files.size(); ++side)
      if (f.index[side] != LeaseFinding::npos)
        jf[side == 0 ? "line_a" : "line_b"] = files[side].leases[f.index[side]].line;
    if (f.kind == FindingKind::mclt_overrun) jf["bound"] = json_time(f.bound);
    if (f.kind == FindingKind::disagreement) jf["disagreement"] = sim::to_string(f.disagreement);
    out["findings"].push_back(jf);
  }
  out["only_in"] = audit.only_in;
  return out;
}

}  // namespace

int cmd_leases(const Args& args, Io io) {
  po::options_description opts("options");
  std::vector<std::string> paths;
  opts.add_options()("mclt", po::value<long long>(),
                     "the MCLT in seconds (default: the one the secondary's file records)")(
      "json", "print one JSON object");
  po::options_description all;
  all.add(opts).add_options()("files", po::value(&paths), "lease files");
  po::positional_options_description pos;
  pos.add("files", -1);
  po::variables_map vm;
  if (auto rc = parse_options(args, all, pos, vm, "leases", usage, io)) return *rc;
  if (paths.empty() || paths.size() > 2)
    return bad_input(io, "leases", "give one or two dhcpd.leases files (see fosim leases --help)");
  std::optional<std::int64_t> mclt;
  if (vm.count("mclt")) {
    const long long m = vm["mclt"].as<long long>();
    if (m < 0 || m > 0xffffffffLL)
      return bad_input(
          io, "leases",
          "--mclt " + std::to_string(m) + " is out of range; valid: 0 to 4294967295 s");
    mclt = m;
  }
  std::vector<LeasesFile> files;
  std::size_t errors = 0;
  for (const std::string& path : paths) {
    const std::optional<std::string> text = read_text(path);
    if (!text) return bad_input(io, "leases", "cannot read " + path);
    files.push_back(sim::read_dhcpd_leases(*text, path));
    for (const sim::LeasesError& e : files.back().errors)
      io.err << e.file << ":" << e.line << ": error: " << e.message << "\n";
    errors += files.back().errors.size();
  }
  if (errors != 0) return exit_bad_input;
  const sim::LeasesAudit audit = sim::audit_leases(files, mclt);
  const bool failed =
      audit.count(FindingKind::duplicate) + audit.count(FindingKind::mclt_overrun) != 0;
  if (vm.count("json")) {
    io.out << json_report(files, audit).dump(2) << "\n";
    return failed ? exit_no : exit_ok;
  }
  for (const LeasesFile& f : files) print_file(f, io);
  if (!audit.mclt_s)
    io.out << "no MCLT check: no file records an mclt (only the secondary's does); give --mclt\n";
  for (const LeaseFinding& f : audit.findings) print_finding(files, audit, f, io);
  if (files.size() == 2 && (audit.only_in[0] || audit.only_in[1]))
    io.out << "addresses in one file only: " << audit.only_in[0] << " in " << files[0].file << ", "
           << audit.only_in[1] << " in " << files[1].file << "\n";
  io.out << audit.count(FindingKind::duplicate) << " duplicate(s), "
         << audit.count(FindingKind::mclt_overrun) << " MCLT overrun(s), "
         << audit.count(FindingKind::disagreement) << " disagreement(s)\n";
  return failed ? exit_no : exit_ok;
}

}  // namespace fosim::tools
