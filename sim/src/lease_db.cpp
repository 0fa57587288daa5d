#include "fosim/sim/lease_db.hpp"

namespace fosim::sim {

LeaseDb::LeaseDb(std::uint32_t size) : leases_(size) {
  for (std::uint32_t i = 0; i < size; ++i) free_.insert({Instant{}, i});
  counts_[core::to_code(BindingState::free)] = size;
}

std::set<LeaseDb::Key>* LeaseDb::queue_of(BindingState s) {
  switch (s) {
    case BindingState::free: return &free_;
    case BindingState::backup: return &backup_;
    case BindingState::abandoned: return &abandoned_;
    default: return nullptr;
  }
}

const std::set<LeaseDb::Key>* LeaseDb::queue_of(BindingState s) const {
  return const_cast<LeaseDb*>(this)->queue_of(s);
}

void LeaseDb::enqueue(std::uint32_t i) {
  const Lease& l = leases_[i];
  if (auto* q = queue_of(l.state)) q->insert({l.ends, i});
  if (l.state == BindingState::active) {
    expiries_.push({l.ends, i});
    if (l.client != 0) {
      if (by_client_.size() < l.client) by_client_.resize(l.client, 0);
      by_client_[l.client - 1] = i + 1;
    }
  }
}

void LeaseDb::dequeue(std::uint32_t i) {
  const Lease& l = leases_[i];
  if (auto* q = queue_of(l.state)) q->erase({l.ends, i});
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
  dequeue(i);
  leases_[i].ends = ends;
  enqueue(i);
}

void LeaseDb::activate(std::uint32_t i, std::uint32_t client, Instant ends) {
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
  return q->begin()->second;
}

std::vector<std::uint32_t> LeaseDb::queue(BindingState s) const {
  std::vector<std::uint32_t> out;
  if (const auto* q = queue_of(s))
    for (const Key& k : *q) out.push_back(k.second);
  return out;
}

std::optional<std::uint32_t> LeaseDb::lease_of(std::uint32_t client) const {
  if (client == 0 || client > by_client_.size() || by_client_[client - 1] == 0) return std::nullopt;
  return by_client_[client - 1] - 1;
}

std::vector<std::uint32_t> LeaseDb::due_expiries(Instant now) {
  std::vector<std::uint32_t> out;
  while (!expiries_.empty() && expiries_.top().first <= now) {
    const Key k = expiries_.top();
    expiries_.pop();
    const Lease& l = leases_[k.second];
    if (l.state == BindingState::active && l.ends == k.first) out.push_back(k.second);
  }
  return out;
}

std::optional<Instant> LeaseDb::next_expiry() {
  while (!expiries_.empty()) {
    const Key k = expiries_.top();
    const Lease& l = leases_[k.second];
    if (l.state == BindingState::active && l.ends == k.first) return k.first;
    expiries_.pop();
  }
  return std::nullopt;
}

}  // namespace fosim::sim
