#include "fosim/sim/lease_db.hpp"

#include <algorithm>
#include <list>
#include <map>
#include <numeric>
#include <tuple>

namespace fosim::sim {
namespace {

/// ISC's LEASE_HASH_SIZE: the lease IP hash's bucket count (do_ip4_hash(): address % size).
constexpr std::uint32_t lease_hash_size = 100003;

/// The segment that holds lease `i`.
const AddressSegment& segment_of(const std::vector<AddressSegment>& segments, std::uint32_t i) {
  auto it = std::upper_bound(segments.begin(), segments.end(), i,
                             [](std::uint32_t v, const AddressSegment& s) { return v < s.index; });
  return *std::prev(it);
}

}  // namespace

LeaseDb::LeaseDb(std::uint32_t size, std::uint32_t first_address)
    : LeaseDb(std::vector<AddressSegment>{{0, first_address, size, 0}}) {}

LeaseDb::LeaseDb(std::vector<AddressSegment> segments) : segments_(std::move(segments)) {
  std::uint32_t size = 0, pools = 1;
  for (const AddressSegment& s : segments_) size += s.size, pools = std::max(pools, s.pool + 1);
  leases_.resize(size);
  place_.assign(size, 0);
  pool_counts_.resize(pools);
  for (const AddressSegment& s : segments_)
    pool_counts_[s.pool][core::to_code(BindingState::free)] += s.size;
  counts_[core::to_code(BindingState::free)] = size;
  load();
}

std::uint32_t segment_address(const std::vector<AddressSegment>& segments, std::uint32_t i) {
  if (segments.size() == 1) return segments[0].first + i;
  const AddressSegment& s = segment_of(segments, i);
  return s.first + (i - s.index);
}

std::optional<std::uint32_t> segment_index(const std::vector<AddressSegment>& segments,
                                           std::uint32_t address) {
  for (const AddressSegment& s : segments)
    if (address >= s.first && address - s.first < s.size) return s.index + (address - s.first);
  return std::nullopt;
}

std::uint32_t LeaseDb::address(std::uint32_t i) const { return segment_address(segments_, i); }

std::uint32_t LeaseDb::pool_of(std::uint32_t i) const {
  return segments_.size() == 1 ? segments_[0].pool : segment_of(segments_, i).pool;
}

std::uint32_t LeaseDb::first_of(std::uint32_t pool) const {
  for (const AddressSegment& s : segments_)
    if (s.pool == pool) return s.index;
  return 0;
}

std::uint32_t LeaseDb::pool_size(std::uint32_t pool) const {
  std::uint32_t n = 0;
  for (const AddressSegment& s : segments_)
    if (s.pool == pool) n += s.size;
  return n;
}

void LeaseDb::recount(std::uint32_t i, BindingState from, BindingState to) {
  auto& pc = pool_counts_[pool_of(i)];
  --counts_[core::to_code(from)], --pc[core::to_code(from)];
  ++counts_[core::to_code(to)], ++pc[core::to_code(to)];
}

void LeaseDb::load() {
  // expire_all_pools(): lease_instantiate() over the IP hash, bucket by bucket.
  std::vector<std::uint32_t> order(size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [this](std::uint32_t a, std::uint32_t b) {
    return address(a) % lease_hash_size < address(b) % lease_hash_size;
  });
  // lease_insert() with SS_QFOLLOW, per queue (of each pool): equal ends kept in insertion
  // order.
  using Group = std::list<std::uint32_t>;
  using Queue = std::pair<const std::set<Key>*, std::uint32_t>;  // (queue, pool)
  std::map<std::tuple<const std::set<Key>*, std::uint32_t, Instant>, Group> groups;
  Queue last_queue{nullptr, 0};
  Group::iterator last{};
  for (std::uint32_t i : order) {
    const Queue q{queue_of(leases_[i].state), pool_of(i)};
    if (q.first != nullptr) {
      Group& g = groups[{q.first, q.second, leases_[i].ends}];
      const bool follow = q == last_queue && !g.empty() && leases_[*last].ends == leases_[i].ends;
      last = follow ? g.insert(std::next(last), i) : g.insert(g.begin(), i);
    }
    last_queue = q;  // another queue (active, expired) breaks the follow too
  }
  for (std::set<Key>* q : {&free_, &backup_, &abandoned_}) q->clear();
  std::int64_t place = 0;
  for (const auto& [key, g] : groups)
    for (std::uint32_t i : g) enqueue_at(i, place++);
  next_runtime_place_ = -1;
}

std::set<LeaseDb::Key>* LeaseDb::queue_of(BindingState s) {
  switch (s) {
    case BindingState::free:
      return &free_;
    case BindingState::backup:
      return &backup_;
    case BindingState::abandoned:
      return &abandoned_;
    default:
      return nullptr;
  }
}

const std::set<LeaseDb::Key>* LeaseDb::queue_of(BindingState s) const {
  return const_cast<LeaseDb*>(this)->queue_of(s);
}

void LeaseDb::enqueue_at(std::uint32_t i, std::int64_t place) {
  const Lease& l = leases_[i];
  place_[i] = place;
  if (auto* q = queue_of(l.state)) q->insert({pool_of(i), l.ends, place, i});
}

void LeaseDb::enqueue(std::uint32_t i) {
  const Lease& l = leases_[i];
  if (auto* q = queue_of(l.state)) {
    place_[i] = next_runtime_place_--;
    q->insert({pool_of(i), l.ends, place_[i], i});
  }
  if (l.state == BindingState::active) {
    push_expiry(l.ends, i);
    if (l.client != 0) {
      if (by_client_.size() < l.client) by_client_.resize(l.client, 0);
      by_client_[l.client - 1] = i + 1;
    }
  }
}

void LeaseDb::dequeue(std::uint32_t i) {
  const Lease& l = leases_[i];
  if (auto* q = queue_of(l.state)) q->erase({pool_of(i), l.ends, place_[i], i});
  if (l.state == BindingState::active && l.client != 0 && l.client <= by_client_.size() &&
      by_client_[l.client - 1] == i + 1)
    by_client_[l.client - 1] = 0;
}

void LeaseDb::set_state(std::uint32_t i, BindingState state) {
  dequeue(i);
  recount(i, leases_[i].state, state);
  leases_[i].state = state;
  enqueue(i);
}

void LeaseDb::set_ends(std::uint32_t i, Instant ends) {
  Lease& l = leases_[i];
  if (l.state == BindingState::active) {  // no queue holds it: a new expiry, the client's lease
    l.ends = ends;
    push_expiry(ends, i);
    if (l.client != 0 && l.client <= by_client_.size()) by_client_[l.client - 1] = i + 1;
    return;
  }
  dequeue(i);
  leases_[i].ends = ends;
  enqueue(i);
}

void LeaseDb::activate(std::uint32_t i, std::uint32_t client, Instant ends) {
  if (leases_[i].state == BindingState::active && leases_[i].client == client) {  // a renewal
    set_ends(i, ends);
    return;
  }
  dequeue(i);
  recount(i, leases_[i].state, BindingState::active);
  leases_[i].state = BindingState::active;
  leases_[i].client = client;
  leases_[i].ends = ends;
  enqueue(i);
}

std::optional<std::uint32_t> LeaseDb::head(BindingState s, std::uint32_t pool) const {
  const auto* q = queue_of(s);
  if (q == nullptr) return std::nullopt;
  const auto it = q->lower_bound(first_key(pool));
  if (it == q->end() || it->pool != pool) return std::nullopt;
  return it->lease;
}

std::vector<std::uint32_t> LeaseDb::queue(BindingState s, std::uint32_t pool) const {
  std::vector<std::uint32_t> out;
  if (const auto* q = queue_of(s))
    for (auto it = q->lower_bound(first_key(pool)); it != q->end() && it->pool == pool; ++it)
      out.push_back(it->lease);
  return out;
}

std::vector<std::uint32_t> LeaseDb::queue(BindingState s) const {
  std::vector<std::uint32_t> out;
  if (const auto* q = queue_of(s))
    for (const Key& k : *q) out.push_back(k.lease);
  return out;
}

std::optional<std::uint32_t> LeaseDb::lease_of(std::uint32_t client) const {
  if (client == 0 || client > by_client_.size() || by_client_[client - 1] == 0) return std::nullopt;
  return by_client_[client - 1] - 1;
}

void LeaseDb::push_expiry(Instant ends, std::uint32_t i) {
  const auto key =
      static_cast<std::uint64_t>(std::max<std::int64_t>(ends.time_since_epoch().count(), 0));
  if (key >= expiries_.floor())
    expiries_.push({key, i});
  else
    early_expiries_.push({ends, i});
}

const LeaseDb::Expiry* LeaseDb::first_expiry() {
  const Expiry* radix = expiries_.empty() ? nullptr : &expiries_.top();
  if (early_expiries_.empty()) return radix;
  const EndsKey& k = early_expiries_.top();
  const auto key =
      static_cast<std::uint64_t>(std::max<std::int64_t>(k.first.time_since_epoch().count(), 0));
  if (radix != nullptr && radix->key <= key) return radix;
  early_top_ = {key, k.second};
  return &early_top_;
}

void LeaseDb::pop_expiry() {
  if (first_expiry() == &early_top_)
    early_expiries_.pop();
  else
    expiries_.pop();
}

bool LeaseDb::live(const Expiry& e) const {
  const Lease& l = leases_[e.lease];
  // An end before time 0 (a lease file's lease that ended before the run began) has key 0,
  // like every other such end: due_expiries() drops the repeats.
  return l.state == BindingState::active && static_cast<std::uint64_t>(std::max<std::int64_t>(
                                                l.ends.time_since_epoch().count(), 0)) == e.key;
}

std::vector<std::uint32_t> LeaseDb::due_expiries(Instant now) {
  std::vector<EndsKey> due;
  const auto bound =
      static_cast<std::uint64_t>(std::max<std::int64_t>(now.time_since_epoch().count(), 0));
  for (const Expiry* e = first_expiry(); e != nullptr && e->key <= bound; e = first_expiry()) {
    if (live(*e)) due.emplace_back(leases_[e->lease].ends, e->lease);
    pop_expiry();
  }
  std::sort(due.begin(), due.end());  // (ends, address) order, as the timer always ran them
  due.erase(std::unique(due.begin(), due.end()), due.end());
  std::vector<std::uint32_t> out;
  out.reserve(due.size());
  for (const EndsKey& k : due) out.push_back(k.second);
  return out;
}

std::optional<Instant> LeaseDb::next_expiry() {
  for (const Expiry* e = first_expiry(); e != nullptr; e = first_expiry()) {
    if (live(*e)) return leases_[e->lease].ends;
    pop_expiry();
  }
  return std::nullopt;
}

}  // namespace fosim::sim
