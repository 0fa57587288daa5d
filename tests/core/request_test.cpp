// A DHCPREQUEST's verdict, row by row, typed in from ISC dhcp 4.4's server/dhcp.c: find_lease()
// (a lease recorded for another client survives only when FREE or BACKUP; "ours" stays set only
// when it was ACTIVE; an ABANDONED lease the client asked for is reclaimed) followed by
// dhcprequest()'s failover checks and ack_lease().
#include "fosim/core/request.hpp"

#include <doctest/doctest.h>

using fosim::core::BindingState;
using fosim::core::LeaseHolder;
using fosim::core::RequestVerdict;
using B = fosim::core::BindingState;
using H = fosim::core::LeaseHolder;
using V = fosim::core::RequestVerdict;

namespace {

struct Row {
  B state;
  B rewind;
  H holder;
  bool mine;
  bool offered_to_other;
  V verdict;
};

// clang-format off
constexpr Row rows[] = {
  // state        rewind      holder        mine   offered verdict
  // FREE/BACKUP: whoever is recorded, only ownership decides (the peer's free lease is dropped).
  {B::free,      B::free,    H::none,      true,  false,  V::ack},
  {B::free,      B::free,    H::other,     true,  false,  V::ack},
  {B::free,      B::free,    H::none,      false, false,  V::lease_owned_by_peer},
  {B::backup,    B::backup,  H::requester, false, false,  V::lease_owned_by_peer},
  {B::backup,    B::backup,  H::other,     false, true,   V::lease_owned_by_peer},
  // fosim's 120-s offer hold: a lease offered to another client is refused.
  {B::free,      B::free,    H::other,     true,  true,   V::nak},
  // ACTIVE: the holder renews, anyone else is NAKed ("lease unavailable").
  {B::active,    B::active,  H::requester, false, false,  V::ack},
  {B::active,    B::active,  H::other,     true,  false,  V::nak},
  // EXPIRED/RELEASED of another client: find_lease() drops it and clears "ours": no answer.
  {B::expired,   B::active,  H::other,     true,  false,  V::unknown_lease},
  {B::released,  B::free,    H::other,     false, false,  V::unknown_lease},
  // ... of the client itself: rewindable to ACTIVE, or mine, or in transition.
  {B::expired,   B::active,  H::requester, false, false,  V::ack},
  {B::released,  B::free,    H::requester, true,  false,  V::ack},
  {B::expired,   B::free,    H::requester, false, false,  V::lease_in_transition},
  {B::released,  B::backup,  H::none,      false, false,  V::lease_in_transition},
  // RESET: NAKed unless mine; another client's is dropped by find_lease() first.
  {B::reset,     B::free,    H::none,      false, false,  V::nak},
  {B::reset,     B::free,    H::requester, true,  false,  V::ack},
  {B::reset,     B::free,    H::other,     false, false,  V::unknown_lease},
  // ABANDONED: the client asked for it, so ISC reclaims it; another client's is dropped.
  {B::abandoned, B::free,    H::none,      false, false,  V::ack},
  {B::abandoned, B::free,    H::other,     false, false,  V::unknown_lease},
};
// clang-format on

}  // namespace

TEST_SUITE("core") {
  TEST_CASE("request: verdict per binding state, holder and ownership (ISC dhcprequest())") {
    for (const Row& r : rows) {
      fosim::core::RequestQuery q;
      q.state = r.state;
      q.rewind = r.rewind;
      q.holder = r.holder;
      q.mine_to_reallocate = r.mine;
      q.offered_to_other = r.offered_to_other;
      CAPTURE(fosim::core::to_string(r.state));
      CAPTURE(static_cast<int>(r.holder));
      CAPTURE(r.mine);
      CHECK(fosim::core::judge_request(q) == r.verdict);
    }
  }
}
