// The pool counts and the cross-file checks of lease files (leases_audit.hpp).
#include "fosim/formats/leases_audit.hpp"

#include <algorithm>
#include <map>

namespace fosim::sim {
namespace {

using core::BindingState;

bool is(const IscLease& l, BindingState s) { return l.binding == s; }

/// Whether two leases name different clients: the hardware addresses differ when both are
/// written, or else the uids differ when both are written.
bool different_clients(const IscLease& a, const IscLease& b) {
  if (!a.hardware.empty() && !b.hardware.empty())
    return a.hardware != b.hardware || a.hardware_type != b.hardware_type;
  if (a.uid && b.uid) return *a.uid != *b.uid;
  return false;
}

/// How two records of one address disagree (a duplicate is not a disagreement).
Disagreement compare(const IscLease& a, const IscLease& b, std::size_t& active_side) {
  const bool a_active = is(a, BindingState::active), b_active = is(b, BindingState::active);
  if (a_active && b_active)
    return !different_clients(a, b) && a.ends != b.ends ? Disagreement::different_ends
                                                        : Disagreement::none;
  if (a_active || b_active) {
    active_side = a_active ? 0 : 1;
    return Disagreement::active_one_side;
  }
  if ((is(a, BindingState::free) && is(b, BindingState::backup)) ||
      (is(a, BindingState::backup) && is(b, BindingState::free)))
    return Disagreement::both_may_allocate;
  if (is(a, BindingState::abandoned) != is(b, BindingState::abandoned)) {
    active_side = is(a, BindingState::abandoned) ? 0 : 1;
    return Disagreement::abandoned_one_side;
  }
  // expired, released and reset against free or backup: a change on its way (the receiver
  // stores them as free, see core::stored_state()); the same state twice agrees.
  return Disagreement::none;
}

void check_mclt(const LeasesFile& f, std::size_t side, std::int64_t mclt_s,
                std::vector<LeaseFinding>& out) {
  for (std::size_t i = 0; i < f.leases.size(); ++i) {
    const IscLease& l = f.leases[i];
    if (!is(l, BindingState::active) || !l.ends) continue;
    const auto bound = mclt_bound(l, mclt_s);
    if (!bound || *l.ends <= *bound) continue;
    LeaseFinding finding{FindingKind::mclt_overrun, l.address, side};
    finding.index[side] = i;
    finding.bound = *bound;
    out.push_back(finding);
  }
}

}  // namespace

BindingCounts count_bindings(const LeasesFile& leases) {
  BindingCounts c;
  for (const IscLease& l : leases.leases) {
    if (l.binding)
      ++c.by_code[core::to_code(*l.binding)];
    else
      ++c.unstated;
  }
  return c;
}

core::Role recorded_role(const PeerStateRecord& record) {
  return record.mclt_s ? core::Role::secondary : core::Role::primary;
}

PoolBalance balance_pool(const LeasesFile& leases, core::Role role, BalanceSettings settings) {
  PoolBalance b;
  b.role = role;
  b.own = core::own_free_state(role);
  b.peer = core::peer_free_state(role);
  // dhcpd keeps each free-state queue sorted by ends, a never-bound lease (ends 0) first.
  std::vector<const IscLease*> own;
  std::int64_t other = 0;
  for (const IscLease& l : leases.leases) {
    if (is(l, b.own)) own.push_back(&l);
    if (is(l, b.peer)) ++other;
  }
  std::stable_sort(own.begin(), own.end(), [](const IscLease* x, const IscLease* y) {
    return x->ends.value_or(LeaseTime{}) < y->ends.value_or(LeaseTime{});
  });
  std::vector<core::QueuedLease> queue;
  for (const IscLease* l : own) queue.push_back({l->ends.has_value(), false});
  b.result = core::rebalance(
      {queue, other, settings.max_lease_misbalance, settings.max_lease_ownership, false});
  return b;
}

std::string_view to_string(Disagreement d) {
  switch (d) {
    case Disagreement::none:
      return "none";
    case Disagreement::active_one_side:
      return "active on one side";
    case Disagreement::both_may_allocate:
      return "both may allocate";
    case Disagreement::abandoned_one_side:
      return "abandoned on one side";
    case Disagreement::different_ends:
      return "different ends";
  }
  return "?";
}

std::size_t LeasesAudit::count(FindingKind kind) const {
  return static_cast<std::size_t>(std::count_if(
      findings.begin(), findings.end(), [kind](const LeaseFinding& f) { return f.kind == kind; }));
}

std::optional<LeaseTime> mclt_bound(const IscLease& lease, std::int64_t mclt_s) {
  const std::optional<LeaseTime> client = lease.cltt ? lease.cltt : lease.starts;
  if (!lease.tsfp && !client) return std::nullopt;
  const LeaseTime base = std::max(lease.tsfp.value_or(LeaseTime{}), client.value_or(LeaseTime{}));
  if (base == lease_never) return lease_never;
  return base + core::Seconds{mclt_s};
}

LeasesAudit audit_leases(std::span<const LeasesFile> files, std::optional<std::int64_t> mclt_s) {
  LeasesAudit audit;
  audit.mclt_s = mclt_s;
  audit.mclt_source = mclt_s ? McltSource::option : McltSource::none;
  for (std::size_t side = 0; side < files.size() && !audit.mclt_s; ++side)
    for (const PeerStateRecord& r : files[side].peers)
      if (r.mclt_s && !audit.mclt_s) {
        audit.mclt_s = r.mclt_s;
        audit.mclt_source = side == 0 ? McltSource::file_a : McltSource::file_b;
      }
  if (audit.mclt_s)
    for (std::size_t side = 0; side < files.size(); ++side)
      if (!files[side].peers.empty()) check_mclt(files[side], side, *audit.mclt_s, audit.findings);
  if (files.size() == 2) {
    std::map<std::uint32_t, std::size_t> in_b;
    for (std::size_t j = 0; j < files[1].leases.size(); ++j) in_b[files[1].leases[j].address] = j;
    std::size_t matched = 0;
    for (std::size_t i = 0; i < files[0].leases.size(); ++i) {
      const IscLease& a = files[0].leases[i];
      const auto it = in_b.find(a.address);
      if (it == in_b.end()) {
        ++audit.only_in[0];
        continue;
      }
      ++matched;
      const IscLease& b = files[1].leases[it->second];
      LeaseFinding f{FindingKind::disagreement, a.address};
      f.index = {i, it->second};
      if (is(a, BindingState::active) && is(b, BindingState::active) && different_clients(a, b)) {
        f.kind = FindingKind::duplicate;
      } else {
        f.disagreement = compare(a, b, f.side);
        if (f.disagreement == Disagreement::none) continue;
      }
      audit.findings.push_back(f);
    }
    audit.only_in[1] = files[1].leases.size() - matched;
  }
  // Duplicates and overruns (what the exit code is about) first, each kind by address.
  std::stable_sort(audit.findings.begin(), audit.findings.end(),
                   [](const LeaseFinding& x, const LeaseFinding& y) {
                     if (x.kind != y.kind) return x.kind < y.kind;
                     return x.address != y.address ? x.address < y.address : x.side < y.side;
                   });
  return audit;
}

}  // namespace fosim::sim
