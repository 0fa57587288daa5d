#include "fosim/sim/lease_db.hpp"

#include <algorithm>
#include <list>
#include <map>
#include <numeric>

namespace fosim::sim {
namespace {

/// ISC's LEASE_HASH_SIZE: the lease IP hash's bucket count (do_ip4_hash(): address % size).
constexpr std::uint32_t lease_hash_size = 100003;

}  // namespace

LeaseDb::LeaseDb(std::uint32_t size, std::uint32_t first_address)
    : leases_(size), place_(size, 0), first_address_(first_address) {
  counts_[core::to_code(BindingState::free)] = size;
  load();
}

void LeaseDb::load() {
  // expire_all_pools(): lease_instantiate() over the IP hash, bucket by bucket.
  std::vector<std::uint32_t> order(size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [this](std::uint32_t a, std::uint32_t b) {
    return (first_address_ + a) % lease_hash_size < (first_address_ + b) % lease_hash_size;
  });
  // lease_insert() with SS_QFOLLOW, per queue: equal ends kept in insertion order.
  using Group = std::list<std::uint32_t>;
  std::map<std::pair<const std::set<Key>*, Instant>, Group> groups;
  const std::set<Key>* last_queue = nullptr;
  Group::iterator last{};
  for (std::uint32_t i : order) {
    const std::set<Key>* q = queue_of(leases_[i].state);
    if (q != nullptr) {
      Group& g = groups[{q, leases_[i].ends}];
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
  if (auto* q = queue_of(l.state)) q->insert({l.ends, place, i});
}

void LeaseDb::enqueue(std::uint32_t i) {
  const Lease& l = leases_[i];
  if (auto* q = queue_of(l.state)) {
    place_[i] = next_runtime_place_--;
    q->insert({l.ends, place_[i], i});
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
  if (auto* q = queue_of(l.state)) q->erase({l.ends, place_[i], i});
  if (l.state == BindingState::active && l.client != 0 && l.client <= by_client_.size() &&
      by_client_[l.client - 1] == i + 1)
    by_client_[l.client - 1] = 0;
}

void LeaseDb::set_state(std::uint32_t i, BindingState state) {
  dequeue(i);
  --counts_[core::to_code(leases_[i].state)];
  leases_[i].state = state;
  ++counts_[core::to_code(state)];
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
  --counts_[core::to_code(leases_[i].state)];
  leases_[i].state = BindingState::active;
  leases_[i].client = client;
  leases_[i].ends = ends;
  ++counts_[core::to_code(BindingState::active)];
  enqueue(i);
}

std::optional<std::uint32_t> LeaseDb::head(BindingState s) const {
  const auto* q = queue_of(s);
  if (q == nullptr || q->empty()) return std::nullopt;
  return q->begin()->lease;
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
