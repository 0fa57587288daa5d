// Binding states and ISC's lease rules, row by row: ownership (lease_mine_to_reallocate()),
// duelling updates (failover_lease_is_better()) and accepting a partner's BNDUPD
// (dhcp_failover_process_bind_update()). Expected values are ISC's rules read as tables.
#include "fosim/core/binding.hpp"

#include <doctest/doctest.h>

using fosim::core::at_seconds;
using fosim::core::BindingState;
using fosim::core::Role;
using fosim::core::Seconds;
using B = fosim::core::BindingState;

namespace doctest {
template <>
struct StringMaker<BindingState> {
  static String convert(BindingState s) { return String(fosim::core::to_string(s).data()); }
};
}  // namespace doctest

TEST_SUITE("core") {
  TEST_CASE("binding: codes and names") {
    const char* names[] = {"free", "active", "expired", "released", "abandoned", "reset", "backup"};
    for (unsigned code = 1; code <= 7; ++code) {
      const auto s = fosim::core::from_code(code);
      REQUIRE(s.has_value());
      CHECK(fosim::core::to_code(*s) == code);
      CHECK(fosim::core::to_string(*s) == names[code - 1]);
      CHECK(fosim::core::parse_binding_state(names[code - 1]) == s);
    }
    CHECK(fosim::core::parse_binding_state("BACKUP") == B::backup);
    // 3.0.x reserved (8) and bootp (9) are flags in 4.x, not states.
    CHECK_FALSE(fosim::core::from_code(0).has_value());
    CHECK_FALSE(fosim::core::from_code(8).has_value());
    CHECK_FALSE(fosim::core::from_code(9).has_value());
    CHECK_FALSE(fosim::core::parse_binding_state("reserved").has_value());
  }

  TEST_CASE("binding: ownership: may this server reallocate the lease") {
    fosim::core::OwnershipQuery q;
    q.mclt = Seconds{3600};
    q.stos = at_seconds(1000);  // entered partner-down at 1000
    q.tsfp = at_seconds(0);
    SUBCASE("ACTIVE: never") {
      q.state = B::active;
      q.partner_down = true;
      q.now = at_seconds(100000);
      for (Role r : {Role::primary, Role::secondary}) {
        q.role = r;
        CHECK_FALSE(fosim::core::may_reallocate(q));
      }
    }
    SUBCASE(
        "own free state: always; the peer's: partner-down and strictly after max(stos, tsfp) + "
        "MCLT") {
      q.now = at_seconds(2000);
      q.role = Role::primary;
      q.state = B::free;
      CHECK(fosim::core::may_reallocate(q));
      q.state = B::abandoned;
      CHECK(fosim::core::may_reallocate(q));
      q.state = B::backup;
      CHECK_FALSE(fosim::core::may_reallocate(q));
      q.partner_down = true;
      q.now = at_seconds(4600);  // stos + mclt exactly: not yet
      CHECK_FALSE(fosim::core::may_reallocate(q));
      q.now = at_seconds(4601);
      CHECK(fosim::core::may_reallocate(q));
      q.tsfp = at_seconds(5000);  // a later partner promise moves the line to 8600
      CHECK_FALSE(fosim::core::may_reallocate(q));
      q.now = at_seconds(8601);
      CHECK(fosim::core::may_reallocate(q));
      // the secondary mirrors it
      q.role = Role::secondary;
      q.state = B::backup;
      q.partner_down = false;
      CHECK(fosim::core::may_reallocate(q));
      q.state = B::free;
      CHECK_FALSE(fosim::core::may_reallocate(q));
      q.partner_down = true;
      CHECK(fosim::core::may_reallocate(q));
    }
    SUBCASE(
        "EXPIRED/RELEASED: always when rewound to the own free state, else partner-down and tsfp < "
        "now") {
      q.now = at_seconds(2000);
      for (B s : {B::expired, B::released}) {
        q.state = s;
        q.role = Role::primary;
        q.rewind = B::free;
        CHECK(fosim::core::may_reallocate(q));
        q.rewind = B::active;
        CHECK_FALSE(fosim::core::may_reallocate(q));
        q.partner_down = true;
        q.tsfp = at_seconds(2000);  // equal: not strictly earlier
        CHECK_FALSE(fosim::core::may_reallocate(q));
        q.tsfp = at_seconds(1999);
        CHECK(fosim::core::may_reallocate(q));
        q.partner_down = false;
        q.role = Role::secondary;
        q.rewind = B::backup;
        CHECK(fosim::core::may_reallocate(q));
        q.rewind = B::free;  // the primary's free state is not the secondary's
        CHECK_FALSE(fosim::core::may_reallocate(q));
      }
    }
    SUBCASE("RESET: partner-down and tsfp < now, on both servers") {
      q.state = B::reset;
      q.now = at_seconds(2000);
      q.tsfp = at_seconds(1000);
      q.rewind = B::free;
      CHECK_FALSE(fosim::core::may_reallocate(q));
      q.partner_down = true;
      CHECK(fosim::core::may_reallocate(q));
      q.role = Role::secondary;
      CHECK(fosim::core::may_reallocate(q));
    }
  }

  TEST_CASE("binding: BNDUPD acceptance in normal") {
    struct Row {
      Role role;
      B current, incoming;
      bool promise_over;    // potential-expiry <= now
      bool ends_plausible;  // ends - 65 s <= now
      bool accepted;
    };
    const Row rows[] = {
        // FREE, ABANDONED, BACKUP, RELEASED accept anything
        {Role::primary, B::free, B::active, false, false, true},
        {Role::secondary, B::abandoned, B::backup, false, false, true},
        {Role::secondary, B::backup, B::free, false, false, true},
        {Role::primary, B::released, B::active, false, false, true},
        // ACTIVE at the primary
        {Role::primary, B::active, B::released, false, false, true},
        {Role::primary, B::active, B::abandoned, false, false, true},
        {Role::primary, B::active, B::free, true, true, false},
        {Role::primary, B::active, B::backup, true, true, false},
        {Role::primary, B::active, B::expired, true, true, false},
        {Role::primary, B::active, B::reset, true, true, false},
        {Role::primary, B::active, B::active, false, false, true},  // same state
        // ACTIVE at the secondary
        {Role::secondary, B::active, B::free, false, false, false},
        {Role::secondary, B::active, B::free, true, false, true},
        {Role::secondary, B::active, B::backup, true, false, true},
        {Role::secondary, B::active, B::expired, false, false, false},
        {Role::secondary, B::active, B::expired, false, true, true},
        {Role::secondary, B::active, B::released, false, false, true},
        {Role::secondary, B::active, B::abandoned, false, false, true},
        {Role::secondary, B::active, B::reset, false, false, true},
        // EXPIRED and RESET
        {Role::primary, B::expired, B::free, false, false, false},
        {Role::primary, B::expired, B::backup, true, false, true},
        {Role::primary, B::expired, B::active, false, false, true},
        {Role::secondary, B::expired, B::reset, false, false, true},
        {Role::primary, B::reset, B::free, false, false, false},
        {Role::primary, B::reset, B::free, true, false, true},
        {Role::secondary, B::reset, B::expired, false, false, true},
        {Role::secondary, B::reset, B::active, false, false, true},
    };
    int checked = 0;
    for (const Row& r : rows) {
      CAPTURE(r.current);
      CAPTURE(r.incoming);
      fosim::core::UpdateCheck c;
      c.role = r.role;
      c.normal = true;
      c.current = r.current;
      c.incoming = r.incoming;
      c.now = at_seconds(10000);
      c.potential_expiry = at_seconds(r.promise_over ? 10000 : 10001);
      c.ends = at_seconds(r.ends_plausible ? 10065 : 10066);
      CHECK(fosim::core::accepts_update(c) == r.accepted);
      ++checked;
    }
    CHECK(checked == 27);
  }

  TEST_CASE("binding: BNDUPD acceptance outside normal") {
    fosim::core::UpdateCheck c;
    c.normal = false;
    c.now = at_seconds(10000);
    c.ends = at_seconds(20000);
    c.potential_expiry = at_seconds(0);  // even an expired promise cannot free an ACTIVE lease
    c.current = B::active;
    for (B n : {B::free, B::backup}) {
      c.incoming = n;
      CHECK_FALSE(fosim::core::accepts_update(c));
    }
    c.incoming = B::expired;
    CHECK_FALSE(fosim::core::accepts_update(c));
    c.ends = at_seconds(10065);
    CHECK(fosim::core::accepts_update(c));
    c.incoming = B::released;
    CHECK(fosim::core::accepts_update(c));
    c.current = B::expired;
    c.incoming = B::free;
    c.potential_expiry = at_seconds(99999);
    CHECK(fosim::core::accepts_update(c));
  }

  TEST_CASE("binding: stored state after accepting EXPIRED/RELEASED/RESET is FREE") {
    CHECK(fosim::core::stored_state(B::expired) == B::free);
    CHECK(fosim::core::stored_state(B::released) == B::free);
    CHECK(fosim::core::stored_state(B::reset) == B::free);
    CHECK(fosim::core::stored_state(B::backup) == B::backup);
    CHECK(fosim::core::stored_state(B::active) == B::active);
  }

  TEST_CASE("binding: duelling updates") {
    fosim::core::Duel d;
    SUBCASE("both ACTIVE: the later CLTT wins; a tie goes to the primary's copy") {
      d.our_cltt = at_seconds(100);
      d.their_cltt = at_seconds(101);
      d.role = Role::primary;
      CHECK(fosim::core::incoming_wins(d));
      d.their_cltt = at_seconds(99);
      CHECK_FALSE(fosim::core::incoming_wins(d));
      d.their_cltt = at_seconds(100);
      CHECK_FALSE(fosim::core::incoming_wins(d));  // primary keeps its own
      d.role = Role::secondary;
      CHECK(fosim::core::incoming_wins(d));  // the primary's copy arrives and wins
    }
    SUBCASE("ours ACTIVE, theirs EXPIRED: accepted; anything else: the primary keeps its own") {
      d.theirs = B::expired;
      CHECK(fosim::core::incoming_wins(d));
      d.theirs = B::released;
      d.role = Role::primary;
      CHECK_FALSE(fosim::core::incoming_wins(d));
      d.role = Role::secondary;
      CHECK(fosim::core::incoming_wins(d));
    }
    SUBCASE("ours not ACTIVE: an incoming ACTIVE wins; otherwise the primary keeps its own") {
      d.ours = B::free;
      d.theirs = B::active;
      d.role = Role::primary;
      CHECK(fosim::core::incoming_wins(d));
      d.theirs = B::backup;
      CHECK_FALSE(fosim::core::incoming_wins(d));
      d.role = Role::secondary;
      CHECK(fosim::core::incoming_wins(d));
    }
  }
}
