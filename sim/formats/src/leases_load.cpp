// saved_storage(): a lease file read by read_dhcpd_leases() as the stable storage a server of
// a scenario starts from.
#include "fosim/formats/leases_load.hpp"

#include <algorithm>

#include "fosim/sim/address_space.hpp"

namespace fosim::sim {
namespace {

/// The scenario's pool ranges, e.g. `10.0.0.10-10.0.0.99, 10.0.1.10-10.0.1.99`.
std::string ranges_text(const std::vector<AddressSegment>& segments) {
  std::string out;
  for (const AddressSegment& s : segments)
    out +=
        (out.empty() ? "" : ", ") + format_ipv4(s.first) + "-" + format_ipv4(s.first + s.size - 1);
  return out;
}

/// A lease-file time on the run's clock; nothing for `never`, which fosim cannot hold.
std::optional<Instant> run_time(const std::optional<LeaseTime>& t, std::int64_t base_s) {
  if (!t) return Instant{};
  if (*t == lease_never) return std::nullopt;
  return core::at_seconds(core::to_seconds(*t) - base_s);
}

/// The lease's times on the run's clock; false (with an error) when one is `never`.
bool lease_times(const IscLease& l, std::int64_t base_s, SavedLease& s, const std::string& file,
                 std::vector<LeasesError>& errors) {
  const std::pair<const char*, std::pair<const std::optional<LeaseTime>*, Instant*>> fields[] = {
      {"starts", {&l.starts, &s.starts}}, {"ends", {&l.ends, &s.ends}},
      {"tstp", {&l.tstp, &s.tstp}},       {"tsfp", {&l.tsfp, &s.tsfp}},
      {"atsfp", {&l.atsfp, &s.atsfp}},    {"cltt", {&l.cltt, &s.cltt}}};
  for (const auto& [key, from_to] : fields) {
    const auto t = run_time(*from_to.first, base_s);
    if (!t) {
      errors.push_back({file, l.line,
                        "lease " + format_ipv4(l.address) + ": " + key +
                            " never: fosim plays finite leases only; valid: a date"});
      return false;
    }
    *from_to.second = *t;
  }
  return true;
}

/// Lease `l` on the run's clock, when it is one of `segments`' addresses (the scenario's pools).
std::optional<SavedLease> saved_lease(const IscLease& l,
                                      const std::vector<AddressSegment>& segments,
                                      std::int64_t base_s, const std::string& file,
                                      std::vector<LeasesError>& errors) {
  if (!segment_index(segments, l.address)) {
    errors.push_back({file, l.line,
                      "lease " + format_ipv4(l.address) + " is outside the scenario's " +
                          (segments.size() == 1 ? "pool " : "pools ") + ranges_text(segments) +
                          "; valid: a lease file of this pair's failover pool (or the pool "
                          "that holds its addresses)"});
    return std::nullopt;
  }
  SavedLease s;
  s.address = l.address;
  s.line = l.line;
  s.state = l.binding.value_or(core::BindingState::free);
  s.rewind = l.rewind_binding.value_or(s.state);
  if (!lease_times(l, base_s, s, file, errors)) return std::nullopt;
  if (!l.hardware_type.empty()) {
    if (l.hardware_type != "ethernet" || l.hardware.size() != 6) {
      errors.push_back({file, l.line,
                        "lease " + format_ipv4(l.address) + ": hardware " + l.hardware_type +
                            " with " + std::to_string(l.hardware.size()) +
                            " bytes; valid: hardware ethernet with 6 bytes (the clients fosim "
                            "plays)"});
      return std::nullopt;
    }
    std::uint64_t mac = 0;
    for (std::uint8_t b : l.hardware) mac = (mac << 8) | b;
    s.mac = mac;
  }
  s.uid = l.uid;
  return s;
}

std::optional<SavedState> saved_state(const LeasesFile& f, const Scenario& sc, std::int64_t base_s,
                                      std::vector<LeasesError>& errors) {
  if (f.peers.empty()) return std::nullopt;
  const PeerStateRecord* r = find_peer(f, sc.relationship);
  if (r == nullptr) {
    std::string names;
    for (const PeerStateRecord& p : f.peers)
      names += (names.empty() ? "\"" : ", \"") + p.peer + '"';
    errors.push_back({f.file, f.peers.front().line,
                      "the failover state records are for peer " + names +
                          ", not the scenario's relationship \"" + sc.relationship +
                          "\"; valid: the lease file of a server of this relationship"});
    return std::nullopt;
  }
  SavedState s;
  auto at = [&](const std::optional<RecordedState>& rec) {
    // dhcpd takes its start time for a state written without `at`.
    return rec && rec->at && *rec->at != lease_never
               ? core::at_seconds(core::to_seconds(*rec->at) - base_s)
               : Instant{};
  };
  if (r->me) s.state = r->me->state;
  s.stos = at(r->me);
  if (r->partner) s.partner = r->partner->state;
  s.partner_stos = at(r->partner);
  if (r->mclt_s) s.mclt = core::Seconds{*r->mclt_s};
  return s;
}

}  // namespace

std::int64_t lease_clock_base(const std::vector<const LeasesFile*>& files) {
  std::optional<std::int64_t> latest;
  auto see = [&](const std::optional<LeaseTime>& t) {
    if (t && *t != lease_never) latest = std::max(latest.value_or(0), core::to_seconds(*t));
  };
  for (const LeasesFile* f : files) {
    for (const PeerStateRecord& r : f->peers) {
      if (r.me) see(r.me->at);
      if (r.partner) see(r.partner->at);
    }
    for (const IscLease& l : f->leases) {
      see(l.starts);
      see(l.cltt);
    }
  }
  return latest ? *latest + 1 : 0;
}

std::optional<SavedStorage> saved_storage(const LeasesFile& file, const Scenario& sc,
                                          std::int64_t base_s, std::vector<LeasesError>& errors) {
  const std::size_t before = errors.size();
  errors.insert(errors.end(), file.errors.begin(), file.errors.end());
  SavedStorage st;
  st.file = file.file;
  st.state = saved_state(file, sc, base_s, errors);
  const std::vector<AddressSegment> segments = address_segments(sc);
  for (const IscLease& l : file.leases)
    if (auto s = saved_lease(l, segments, base_s, file.file, errors))
      st.leases.push_back(std::move(*s));
  if (errors.size() != before) return std::nullopt;
  return st;
}

bool start_from_lease_files(Scenario& sc, const std::array<std::optional<LeaseFileText>, 2>& files,
                            std::vector<LeasesError>& errors) {
  std::array<std::optional<LeasesFile>, 2> read;
  std::vector<const LeasesFile*> given;
  for (std::size_t i = 0; i < 2; ++i) {
    sc.servers[i].storage.reset();
    if (!files[i]) continue;
    read[i] = read_dhcpd_leases(files[i]->text, files[i]->name);
    given.push_back(&*read[i]);
  }
  sc.lease_clock_base_s = lease_clock_base(given);
  const std::size_t before = errors.size();
  for (std::size_t i = 0; i < 2; ++i)
    if (read[i]) sc.servers[i].storage = saved_storage(*read[i], sc, sc.lease_clock_base_s, errors);
  return errors.size() == before;
}

}  // namespace fosim::sim
