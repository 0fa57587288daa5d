// The ISC failover state machine, table-driven. Every expected value below was typed in from
// ISC dhcpd 4.4's behaviour (server/failover.c), not taken from the rule table: the matrix is
// written out as ISC's code reads, one row per local state
// and one column per peer state.
#include "fosim/core/failover_machine.hpp"

#include <doctest/doctest.h>

#include <array>
#include <vector>

using fosim::core::Action;
using fosim::core::ActionKind;
using fosim::core::at_seconds;
using fosim::core::Event;
using fosim::core::EventKind;
using fosim::core::Instant;
using fosim::core::Note;
using fosim::core::PeerView;
using fosim::core::Role;
using fosim::core::Seconds;
using fosim::core::State;
using fosim::core::Step;

namespace doctest {
template <>
struct StringMaker<State> {
  static String convert(State s) { return String(fosim::core::to_string(s).data()); }
};
}  // namespace doctest

namespace {

// Strong types so that a row cannot swap my state and the peer's.
struct My {
  State s;
};
struct Peer {
  State s;
};

// Outcome codes of the matrix: a state, "stays", or "the daemon exits".
enum class Out : std::uint8_t { stay, exit, to };
struct Expect {
  Out out;
  State s;
};
constexpr Expect stay{Out::stay, State::unknown_state};
constexpr Expect dies{Out::exit, State::unknown_state};
constexpr Expect to(State s) { return {Out::to, s}; }

using St = State;
constexpr Expect N = to(St::normal), CI = to(St::communications_interrupted),
                 PD = to(St::partner_down), PC = to(St::potential_conflict), RC = to(St::recover),
                 SH = to(St::shutdown), __ = stay, XX = dies;

// The 13 states a STATE message may carry, in ISC number order (254 last).
constexpr std::array<State, 13> peer_columns{St::unknown_state,
                                             St::startup,
                                             St::normal,
                                             St::communications_interrupted,
                                             St::partner_down,
                                             St::potential_conflict,
                                             St::recover,
                                             St::paused,
                                             St::shutdown,
                                             St::recover_done,
                                             St::resolution_interrupted,
                                             St::conflict_done,
                                             St::recover_wait};

struct MatrixRow {
  State mine;
  std::array<Expect, 13> by_peer;
};

// clang-format off
// dhcp_failover_peer_state_changed() (not in STARTUP, STARTUP flag off, the previous partner state
// different from P so that step A does not filter, and for potential-conflict a previous
// partner state other than potential-conflict).
//                                   unk  stu  nor  c-i  p-d  p-c  rec  pau  shu  r-d  r-i  c-d  r-w
const MatrixRow matrix[] = {
  {St::normal,                     {__,  __,  __,  __,  PC,  SH,  PD,  CI,  PD,  __,  SH,  SH,  __}},
  {St::communications_interrupted, {__,  __,  N,   N,   PC,  PC,  PD,  __,  PD,  N,   PC,  PC,  N }},
  {St::partner_down,               {__,  __,  PC,  PC,  PC,  PC,  __,  __,  __,  N,   PC,  PC,  __}},
  {St::potential_conflict,         {__,  __,  SH,  __,  __,  __,  RC,  __,  PD,  __,  __,  __,  __}},
  {St::resolution_interrupted,     {__,  __,  PC,  PC,  PC,  PC,  PC,  __,  PD,  PC,  PC,  PC,  PC}},
  {St::conflict_done,              {XX,  XX,  N,   XX,  XX,  __,  XX,  XX,  SH,  XX,  __,  XX,  XX}},
  {St::recover,                    {__,  __,  PC,  __,  __,  PC,  __,  __,  PD,  __,  PC,  PC,  __}},
  {St::recover_wait,               {__,  __,  __,  __,  __,  __,  __,  __,  __,  __,  __,  __,  __}},
  {St::recover_done,               {__,  __,  N,   __,  __,  __,  __,  __,  PD,  N,   __,  __,  __}},
  {St::shutdown,                   {__,  __,  __,  __,  __,  __,  __,  __,  __,  __,  __,  __,  __}},
  {St::paused,                     {__,  __,  __,  __,  __,  __,  __,  __,  __,  __,  __,  __,  __}},
};
// clang-format on

PeerView view(My mine, State partner, Role role = Role::primary) {
  PeerView v = fosim::core::fresh_view(role, at_seconds(0), Seconds{3600});
  v.state = mine.s;
  v.saved = mine.s;
  v.partner = partner;
  v.connected = true;
  return v;
}

// A previous partner state different from `p` (and not potential-conflict).
State other_than(State p) { return p == St::startup ? St::unknown_state : St::startup; }

std::size_t count(const Step& s, ActionKind k) {
  std::size_t n = 0;
  for (const Action& a : s.actions) n += a.kind == k ? 1 : 0;
  return n;
}

bool has_note(const Step& s, Note n) {
  for (const Action& a : s.actions)
    if (a.kind == ActionKind::log && a.note == n) return true;
  return false;
}

const Action* find(const Step& s, ActionKind k) {
  for (const Action& a : s.actions)
    if (a.kind == k) return &a;
  return nullptr;
}

Step receive(const PeerView& v, Peer p, Instant now = at_seconds(100), bool startup_flag = false) {
  return fosim::core::step(v, Event::peer(p.s, startup_flag), now);
}

}  // namespace

TEST_SUITE("core") {
  TEST_CASE("failover_machine: peer state: the full matrix") {
    int checked = 0;
    for (const MatrixRow& row : matrix) {
      for (std::size_t i = 0; i < peer_columns.size(); ++i) {
        const State p = peer_columns[i];
        const Expect e = row.by_peer[i];
        CAPTURE(row.mine);
        CAPTURE(p);
        const Step s = receive(view(My{row.mine}, other_than(p)), Peer{p});
        CHECK(s.view.partner == p);  // step B records the partner's state
        switch (e.out) {
          case Out::stay:
            CHECK(s.view.state == row.mine);
            CHECK_FALSE(s.actions.contains(ActionKind::moved));
            CHECK_FALSE(s.actions.contains(ActionKind::exit_process));
            break;
          case Out::to:
            CHECK(s.view.state == e.s);
            CHECK(s.actions.contains(ActionKind::moved));
            break;
          case Out::exit:
            CHECK(s.actions.contains(ActionKind::exit_process));
            CHECK(has_note(s, Note::fatal_conflict_done));
            break;
        }
        ++checked;
      }
    }
    CHECK(checked == 11 * 13);
  }

  TEST_CASE("failover_machine: peer state: side effects ISC performs") {
    SUBCASE("recover + recover: log, and UPDREQALL when not in startup") {
      const Step s = receive(view(My{St::recover}, St::unknown_state), Peer{St::recover});
      CHECK(has_note(s, Note::requesting_full_update));
      CHECK(count(s, ActionKind::send_update_request_all) == 1);
    }
    SUBCASE("recover + partner-down or comm-int: UPDREQALL, stay") {
      for (State p : {St::partner_down, St::communications_interrupted}) {
        const Step s = receive(view(My{St::recover}, St::unknown_state), Peer{p});
        CHECK(s.view.state == St::recover);
        CHECK(count(s, ActionKind::send_update_request_all) == 1);
      }
    }
    SUBCASE("comm-int + normal: send what is queued, then normal (which queues the rest)") {
      const Step s =
          receive(view(My{St::communications_interrupted}, St::communications_interrupted),
                  Peer{St::normal});
      CHECK(s.view.state == St::normal);
      // ISC's row calls dhcp_failover_send_updates() only; the normal entry action then queues
      // every unacked lease and logs "Sending updates" once.
      CHECK(count(s, ActionKind::send_updates) == 1);
      CHECK(count(s, ActionKind::send_queued_updates) == 1);
      CHECK(s.actions.contains(ActionKind::both_normal));
      CHECK(s.actions.contains(ActionKind::rebalance_pools));
    }
    SUBCASE("normal + normal: only a pool check") {
      const Step s =
          receive(view(My{St::normal}, St::communications_interrupted), Peer{St::normal});
      CHECK(s.view.state == St::normal);
      CHECK(s.actions.contains(ActionKind::schedule_pool_check));
      CHECK(s.actions.contains(ActionKind::both_normal));
      CHECK_FALSE(s.actions.contains(ActionKind::moved));
    }
    SUBCASE("potential-conflict + conflict-done: UPDREQ after the peer's potential-conflict") {
      const Step s = receive(view(My{St::potential_conflict}, St::potential_conflict),
                             Peer{St::conflict_done}, at_seconds(100));
      CHECK(count(s, ActionKind::send_update_request) == 1);
      const Step odd =
          receive(view(My{St::potential_conflict}, St::normal), Peer{St::conflict_done});
      CHECK(count(odd, ActionKind::send_update_request) == 0);
      CHECK(has_note(odd, Note::unexpected_conflict_done));
    }
    SUBCASE("potential-conflict + normal: panic, shutdown") {
      const Step s =
          receive(view(My{St::potential_conflict}, St::potential_conflict), Peer{St::normal});
      CHECK(s.view.state == St::shutdown);
      CHECK(has_note(s, Note::normal_during_conflict));
    }
    SUBCASE("normal + potential-conflict: invalid transition, shutdown") {
      const Step s = receive(view(My{St::normal}, St::normal), Peer{St::potential_conflict});
      CHECK(s.view.state == St::shutdown);
      CHECK(has_note(s, Note::invalid_transition));
    }
    SUBCASE("recover-done + recover-done: 'Both servers have entered recover-done!', normal") {
      const Step s = receive(view(My{St::recover_done}, St::recover), Peer{St::recover_done});
      CHECK(s.view.state == St::normal);
      CHECK(has_note(s, Note::both_recover_done));
    }
    SUBCASE("an out-of-range state number: log and shutdown") {
      const Step s = fosim::core::step(view(My{St::normal}, St::normal), Event::peer_number(12),
                                       at_seconds(5));
      CHECK(s.view.state == St::shutdown);
      const Action* a = find(s, ActionKind::log);
      REQUIRE(a != nullptr);
      CHECK(a->note == Note::invalid_peer_state);
      CHECK(a->number == 12);
    }
    SUBCASE("the moves ISC logs carry both states") {
      const Step s =
          receive(view(My{St::normal}, St::normal), Peer{St::communications_interrupted});
      const Action* a = find(s, ActionKind::partner_moved);
      REQUIRE(a != nullptr);
      CHECK(a->from == St::normal);
      CHECK(a->to == St::communications_interrupted);
      const Step m = fosim::core::step(view(My{St::normal}, St::normal),
                                       Event::of(EventKind::link_lost), at_seconds(5));
      const Action* moved = find(m, ActionKind::moved);
      REQUIRE(moved != nullptr);
      CHECK(moved->from == St::normal);
      CHECK(moved->to == St::communications_interrupted);
    }
  }

  TEST_CASE("failover_machine: peer state: the same state again (step A)") {
    SUBCASE(
        "ignored completely in normal, potential-conflict, recover-done, shutdown, paused, "
        "recover-wait") {
      for (State mine : {St::normal, St::potential_conflict, St::recover_done, St::shutdown,
                         St::paused, St::recover_wait}) {
        CAPTURE(mine);
        const Step s = receive(view(My{mine}, St::partner_down), Peer{St::partner_down});
        CHECK(s.view.state == mine);
        CHECK(s.actions.empty());
      }
    }
    SUBCASE("processed in partner-down, comm-int, resolution-interrupted, recover, conflict-done") {
      // conflict-done + conflict-done is in the "anything else" row: the daemon exits.
      CHECK(receive(view(My{St::conflict_done}, St::conflict_done), Peer{St::conflict_done})
                .actions.contains(ActionKind::exit_process));
      CHECK(receive(view(My{St::partner_down}, St::normal), Peer{St::normal}).view.state ==
            St::potential_conflict);
      CHECK(receive(view(My{St::communications_interrupted}, St::normal), Peer{St::normal})
                .view.state == St::normal);
      CHECK(
          receive(view(My{St::resolution_interrupted}, St::normal), Peer{St::normal}).view.state ==
          St::potential_conflict);
      const Step r = receive(view(My{St::recover}, St::recover), Peer{St::recover});
      CHECK(count(r, ActionKind::send_update_request_all) == 1);
    }
    SUBCASE("in startup, the same state again resumes the saved state") {
      PeerView v = view(My{St::startup}, St::normal);
      v.saved = St::normal;
      CHECK(receive(v, Peer{St::normal}).view.state == St::normal);
      v.saved = St::resolution_interrupted;
      CHECK(receive(v, Peer{St::normal}).view.state == St::potential_conflict);
    }
  }

  TEST_CASE("failover_machine: startup") {
    auto starting = [](State saved, State partner = St::unknown_state) {
      PeerView v = view(My{St::startup}, partner);
      v.saved = saved;
      return v;
    };
    SUBCASE("only partner-down honours the peer's STARTUP flag") {
      CHECK(receive(view(My{St::partner_down}, St::unknown_state), Peer{St::normal}, at_seconds(1),
                    true)
                .view.state == St::partner_down);
      // comm-int sees a starting peer whose saved state is normal: normal at once.
      CHECK(receive(view(My{St::communications_interrupted}, St::unknown_state), Peer{St::normal},
                    at_seconds(1), true)
                .view.state == St::normal);
    }
    SUBCASE("trace 2: saved normal, peer comm-int: normal") {
      CHECK(receive(starting(St::normal), Peer{St::communications_interrupted}).view.state ==
            St::normal);
    }
    SUBCASE("trace 3: saved normal, peer partner-down: recover, not potential-conflict") {
      const Step s = receive(starting(St::normal), Peer{St::partner_down});
      CHECK(s.view.state == St::recover);
      CHECK(s.actions.contains(ActionKind::cancel_startup_timer));
      CHECK(count(s, ActionKind::send_update_request_all) == 1);  // entering recover, connected
    }
    SUBCASE("trace 4: saved comm-int, peer partner-down: potential-conflict") {
      CHECK(receive(starting(St::communications_interrupted), Peer{St::partner_down}).view.state ==
            St::potential_conflict);
    }
    SUBCASE(
        "saved recover, peer recover: log but no UPDREQALL from the row; entering recover sends "
        "one") {
      const Step s = receive(starting(St::recover), Peer{St::recover});
      CHECK(s.view.state == St::recover);
      CHECK(has_note(s, Note::requesting_full_update));
      CHECK(count(s, ActionKind::send_update_request_all) == 1);
    }
    SUBCASE("a STATE with no reaction still ends startup (step D)") {
      CHECK(receive(starting(St::partner_down), Peer{St::recover}).view.state == St::partner_down);
      CHECK(receive(starting(St::recover_wait), Peer{St::normal}).view.state == St::recover_wait);
    }
    SUBCASE("the 15-s timer applies the link-lost rule to the saved state") {
      const auto timeout = Event::of(EventKind::startup_timeout);
      CHECK(fosim::core::step(starting(St::normal), timeout, at_seconds(15)).view.state ==
            St::communications_interrupted);
      CHECK(
          fosim::core::step(starting(St::potential_conflict), timeout, at_seconds(15)).view.state ==
          St::resolution_interrupted);
      CHECK(fosim::core::step(starting(St::recover), timeout, at_seconds(15)).view.state ==
            St::recover);
      CHECK(fosim::core::step(starting(St::partner_down), timeout, at_seconds(15)).view.state ==
            St::partner_down);
      // A stale timer after startup ended does nothing.
      CHECK(fosim::core::step(view(My{St::normal}, St::normal), timeout, at_seconds(15))
                .actions.empty());
    }
    SUBCASE("boot: startup with the lease file's state saved, 15-s timer, stos kept") {
      PeerView v = fosim::core::fresh_view(Role::secondary, at_seconds(0), Seconds{0});
      const Step s = fosim::core::step(v, Event::of(EventKind::boot), at_seconds(7));
      CHECK(s.view.state == St::startup);
      CHECK(s.view.saved == St::recover);
      CHECK(s.view.stos == at_seconds(0));
      const Action* t = find(s, ActionKind::arm_startup_timer);
      REQUIRE(t != nullptr);
      CHECK(t->at == at_seconds(22));
      CHECK_FALSE(s.actions.contains(ActionKind::send_state));  // not connected yet
    }
  }

  TEST_CASE("failover_machine: link lost") {
    const auto lost = Event::of(EventKind::link_lost);
    struct Row {
      State mine;
      State after;
    };
    const Row rows[] = {
        {St::normal, St::communications_interrupted},
        {St::potential_conflict, St::resolution_interrupted},
        {St::unknown_state, St::resolution_interrupted},
        {St::conflict_done, St::conflict_done},
        {St::communications_interrupted, St::communications_interrupted},
        {St::partner_down, St::partner_down},
        {St::paused, St::paused},
        {St::recover, St::recover},
        {St::recover_done, St::recover_done},
        {St::recover_wait, St::recover_wait},
        {St::resolution_interrupted, St::resolution_interrupted},
        {St::shutdown, St::shutdown},
    };
    int checked = 0;
    for (const Row& r : rows) {
      CAPTURE(r.mine);
      const Step s = fosim::core::step(view(My{r.mine}, St::normal), lost, at_seconds(50));
      CHECK(s.view.state == r.after);
      CHECK_FALSE(s.view.connected);
      ++checked;
    }
    CHECK(checked == 12);
    // conflict-done stays but rescinds unacked updates so they are resent on UPDREQ.
    CHECK(fosim::core::step(view(My{St::conflict_done}, St::normal), lost, at_seconds(50))
              .actions.contains(ActionKind::rescind_updates));
    // In startup the link-lost rule applies to the saved state.
    PeerView v = view(My{St::startup}, St::unknown_state);
    v.saved = St::normal;
    CHECK(fosim::core::step(v, lost, at_seconds(3)).view.state == St::communications_interrupted);
  }

  TEST_CASE("failover_machine: UPDDONE") {
    const auto done = Event::of(EventKind::update_done);
    SUBCASE("recover: recover-wait while stos + MCLT is ahead and the partner is not recovering") {
      PeerView v = view(My{St::recover}, St::partner_down);
      v.stos = at_seconds(1000);
      const Step s = fosim::core::step(v, done, at_seconds(1500));
      CHECK(s.view.state == St::recover_wait);
      CHECK(s.view.stos == at_seconds(1000));  // entering recover-wait keeps stos
      const Action* t = find(s, ActionKind::arm_recover_wait_timer);
      REQUIRE(t != nullptr);
      CHECK(t->at == at_seconds(4600));
    }
    SUBCASE("recover: recover-done at once when the MCLT has passed") {
      PeerView v = view(My{St::recover}, St::partner_down);
      v.stos = at_seconds(1000);
      CHECK(fosim::core::step(v, done, at_seconds(4600)).view.state == St::recover_done);
    }
    SUBCASE(
        "recover: recover-done at once when the partner is recover or recover-done (fresh pair)") {
      for (State p : {St::recover, St::recover_done}) {
        PeerView v = view(My{St::recover}, p);
        v.stos = at_seconds(1000);
        CHECK(fosim::core::step(v, done, at_seconds(1001)).view.state == St::recover_done);
      }
    }
    SUBCASE(
        "potential-conflict: primary -> conflict-done, or shutdown if the secondary already is") {
      CHECK(fosim::core::step(view(My{St::potential_conflict}, St::potential_conflict), done,
                              at_seconds(5))
                .view.state == St::conflict_done);
      const Step s = fosim::core::step(view(My{St::potential_conflict}, St::conflict_done), done,
                                       at_seconds(5));
      CHECK(s.view.state == St::shutdown);
      CHECK(has_note(s, Note::secondary_conflict_done));
    }
    SUBCASE(
        "potential-conflict: secondary -> normal when the primary is conflict-done, else "
        "spurious") {
      CHECK(fosim::core::step(view(My{St::potential_conflict}, St::conflict_done, Role::secondary),
                              done, at_seconds(5))
                .view.state == St::normal);
      const Step s = fosim::core::step(
          view(My{St::potential_conflict}, St::potential_conflict, Role::secondary), done,
          at_seconds(5));
      CHECK(s.view.state == St::potential_conflict);
      CHECK(has_note(s, Note::spurious_update_done));
    }
    SUBCASE("conflict-done: spurious; other states ignore it") {
      CHECK(has_note(fosim::core::step(view(My{St::conflict_done}, St::potential_conflict), done,
                                       at_seconds(5)),
                     Note::spurious_update_done));
      for (State mine :
           {St::normal, St::partner_down, St::communications_interrupted, St::recover_done}) {
        CHECK(fosim::core::step(view(My{mine}, St::normal), done, at_seconds(5)).actions.empty());
      }
    }
  }

  TEST_CASE("failover_machine: timers and operator actions") {
    SUBCASE("recover-wait timer -> recover-done") {
      CHECK(fosim::core::step(view(My{St::recover_wait}, St::partner_down),
                              Event::of(EventKind::recover_wait_timeout), at_seconds(9))
                .view.state == St::recover_done);
    }
    SUBCASE(
        "auto-partner-down: armed on entering comm-int, fires -> partner-down, cancelled by any "
        "move") {
      PeerView v = view(My{St::normal}, St::normal);
      v.auto_partner_down = Seconds{600};
      const Step lost = fosim::core::step(v, Event::of(EventKind::link_lost), at_seconds(1000));
      const Action* t = find(lost, ActionKind::arm_auto_partner_down_timer);
      REQUIRE(t != nullptr);
      CHECK(t->at == at_seconds(1600));
      const Step fired = fosim::core::step(
          lost.view, Event::of(EventKind::auto_partner_down_timeout), at_seconds(1600));
      CHECK(fired.view.state == St::partner_down);
      CHECK(fired.view.stos == at_seconds(1600));
      CHECK(fired.actions.contains(ActionKind::reclaim_expired_leases));
      const Step healed =
          receive(lost.view, Peer{St::communications_interrupted}, at_seconds(1200));
      CHECK(healed.view.state == St::normal);
      CHECK(healed.actions.contains(ActionKind::cancel_auto_partner_down_timer));
      // Off by default: no timer.
      v.auto_partner_down = Seconds{0};
      CHECK_FALSE(fosim::core::step(v, Event::of(EventKind::link_lost), at_seconds(1000))
                      .actions.contains(ActionKind::arm_auto_partner_down_timer));
    }
    SUBCASE("OMAPI local-state partner-down from comm-int") {
      const Step s = fosim::core::step(view(My{St::communications_interrupted}, St::normal),
                                       Event::set_state(St::partner_down), at_seconds(10));
      CHECK(s.view.state == St::partner_down);
      CHECK(s.actions.contains(ActionKind::reclaim_expired_leases));
    }
    SUBCASE("OMAPI local-state 1 is startup in 4.x: the previous state is saved, 15-s timer") {
      const Step s = fosim::core::step(view(My{St::normal}, St::normal),
                                       Event::set_state(St::startup), at_seconds(10));
      CHECK(s.view.state == St::startup);
      CHECK(s.view.saved == St::normal);
      CHECK(s.actions.contains(ActionKind::arm_startup_timer));
    }
    SUBCASE("graceful shutdown: normal -> shutdown; other states untouched") {
      CHECK(fosim::core::step(view(My{St::normal}, St::normal),
                              Event::of(EventKind::shutdown_begin), at_seconds(1))
                .view.state == St::shutdown);
      CHECK(fosim::core::step(view(My{St::communications_interrupted}, St::normal),
                              Event::of(EventKind::shutdown_begin), at_seconds(1))
                .actions.empty());
    }
    SUBCASE(
        "graceful shutdown exit: shutdown -> recover, skipping the MCLT wait only when it is "
        "safe") {
      PeerView v = view(My{St::shutdown}, St::partner_down);
      const Step safe =
          fosim::core::step(v, Event::of(EventKind::shutdown_exit), at_seconds(10000));
      CHECK(safe.view.state == St::recover);
      CHECK(safe.view.stos == at_seconds(10000 - 3600));
      v.updates_pending = true;
      CHECK(
          fosim::core::step(v, Event::of(EventKind::shutdown_exit), at_seconds(10000)).view.stos ==
          at_seconds(10000));
      v.updates_pending = false;
      v.partner = St::normal;
      CHECK(
          fosim::core::step(v, Event::of(EventKind::shutdown_exit), at_seconds(10000)).view.stos ==
          at_seconds(10000));
    }
  }

  TEST_CASE("failover_machine: entry work of every move") {
    SUBCASE("rescind when leaving normal, potential-conflict or partner-down") {
      for (State from : {St::normal, St::potential_conflict, St::partner_down}) {
        CAPTURE(from);
        const Step s = fosim::core::step(view(My{from}, St::normal), Event::set_state(St::paused),
                                         at_seconds(1));
        CHECK(s.actions.contains(ActionKind::rescind_updates));
        CHECK(s.actions.contains(ActionKind::write_state_record));
      }
      CHECK_FALSE(fosim::core::step(view(My{St::recover}, St::normal), Event::set_state(St::paused),
                                    at_seconds(1))
                      .actions.contains(ActionKind::rescind_updates));
    }
    SUBCASE("STATE goes to the peer only while connected") {
      PeerView v = view(My{St::normal}, St::normal);
      CHECK(fosim::core::step(v, Event::set_state(St::paused), at_seconds(1))
                .actions.contains(ActionKind::send_state));
      v.connected = false;
      CHECK_FALSE(fosim::core::step(v, Event::set_state(St::paused), at_seconds(1))
                      .actions.contains(ActionKind::send_state));
    }
    SUBCASE("recover sends UPDREQALL only when connected") {
      PeerView v = view(My{St::potential_conflict}, St::potential_conflict);
      CHECK(count(receive(v, Peer{St::recover}), ActionKind::send_update_request_all) == 1);
      v.connected = false;
      CHECK(count(fosim::core::step(v, Event::set_state(St::recover), at_seconds(1)),
                  ActionKind::send_update_request_all) == 0);
    }
    SUBCASE(
        "potential-conflict: the primary asks for updates; the secondary only after "
        "conflict-done") {
      CHECK(count(receive(view(My{St::partner_down}, St::normal),
                          Peer{St::communications_interrupted}),
                  ActionKind::send_update_request) == 1);
      CHECK(count(receive(view(My{St::partner_down}, St::normal, Role::secondary),
                          Peer{St::communications_interrupted}),
                  ActionKind::send_update_request) == 0);
    }
    SUBCASE("stos: now on a move, kept into recover-wait and startup and out of startup") {
      PeerView v = view(My{St::normal}, St::normal);
      v.stos = at_seconds(5);
      CHECK(fosim::core::step(v, Event::of(EventKind::link_lost), at_seconds(50)).view.stos ==
            at_seconds(50));
      CHECK(fosim::core::step(v, Event::set_state(St::startup), at_seconds(50)).view.stos ==
            at_seconds(5));
      PeerView st = view(My{St::startup}, St::unknown_state);
      st.saved = St::normal;
      st.stos = at_seconds(5);
      CHECK(receive(st, Peer{St::communications_interrupted}, at_seconds(50)).view.stos ==
            at_seconds(5));
    }
  }

  namespace {
  // Two servers wired by hand: every STATE one of them would send reaches the other at once.
  struct Pair {
    PeerView p;
    PeerView s;
    std::vector<std::pair<char, State>> moves;  // ('P'|'S', new state)

    void deliver(bool from_primary, Instant now, int depth = 0) {
      REQUIRE(depth < 20);
      PeerView& sender = from_primary ? p : s;
      PeerView& receiver = from_primary ? s : p;
      const Step st = fosim::core::step(
          receiver, Event::peer(sender.effective(), sender.state == St::startup), now);
      apply(!from_primary, st, now, depth);
    }
    void apply(bool on_primary, const Step& st, Instant now, int depth) {
      (on_primary ? p : s) = st.view;
      for (const Action& a : st.actions)
        if (a.kind == ActionKind::moved) moves.emplace_back(on_primary ? 'P' : 'S', a.to);
      if (st.actions.contains(ActionKind::send_state)) deliver(on_primary, now, depth + 1);
    }
    void event(bool on_primary, Event ev, Instant now) {
      apply(on_primary, fosim::core::step(on_primary ? p : s, ev, now), now, 0);
    }
  };
  }  // namespace

  TEST_CASE("failover_machine: interlocks") {
    SUBCASE("fresh pair start: startup -> recover -> recover-done -> normal, no recover-wait") {
      Pair pair{fosim::core::fresh_view(Role::primary, at_seconds(0), Seconds{1800}),
                fosim::core::fresh_view(Role::secondary, at_seconds(0), Seconds{1800}),
                {}};
      pair.event(true, Event::of(EventKind::boot), at_seconds(0));
      pair.event(false, Event::of(EventKind::boot), at_seconds(0));
      pair.p.connected = pair.s.connected = true;
      // After CONNECT/CONNECTACK both send STATE (recover, STARTUP flag).
      pair.deliver(true, at_seconds(1));
      pair.deliver(false, at_seconds(1));
      REQUIRE(pair.p.state == St::recover);
      REQUIRE(pair.s.state == St::recover);
      // Each answers the other's UPDREQALL with UPDDONE.
      pair.event(true, Event::of(EventKind::update_done), at_seconds(2));
      CHECK(pair.p.state != St::recover_wait);
      pair.event(false, Event::of(EventKind::update_done), at_seconds(2));
      CHECK(pair.p.state == St::normal);
      CHECK(pair.s.state == St::normal);
      bool waited = false;
      for (const auto& m : pair.moves) waited = waited || m.second == St::recover_wait;
      CHECK_FALSE(waited);
    }
    SUBCASE("amnesic secondary against a partner-down primary: recover-wait until stos + MCLT") {
      PeerView primary = fosim::core::fresh_view(Role::primary, at_seconds(0), Seconds{1800});
      primary.state = primary.saved = St::partner_down;
      primary.partner = St::communications_interrupted;
      Pair pair{
          primary, fosim::core::fresh_view(Role::secondary, at_seconds(10000), Seconds{1800}), {}};
      pair.event(false, Event::of(EventKind::boot), at_seconds(10000));
      pair.p.connected = pair.s.connected = true;
      pair.deliver(false, at_seconds(10001));  // STATE(recover, STARTUP): partner-down ignores it
      CHECK(pair.p.state == St::partner_down);
      pair.deliver(true, at_seconds(10001));  // STATE(partner-down): secondary -> recover
      CHECK(pair.s.state == St::recover);
      pair.event(false, Event::of(EventKind::update_done), at_seconds(10010));
      CHECK(pair.s.state == St::recover_wait);
      CHECK(pair.p.state == St::partner_down);
      pair.event(false, Event::of(EventKind::recover_wait_timeout), at_seconds(11801));
      CHECK(pair.s.state == St::normal);
      CHECK(pair.p.state == St::normal);
    }
    SUBCASE("trace 5: partition, operator forces the primary to partner-down, heal") {
      PeerView p = fosim::core::fresh_view(Role::primary, at_seconds(0), Seconds{1800});
      PeerView s = fosim::core::fresh_view(Role::secondary, at_seconds(0), Seconds{1800});
      p.state = s.state = St::normal;
      p.partner = s.partner = St::normal;
      Pair pair{p, s, {}};
      pair.event(true, Event::of(EventKind::link_lost), at_seconds(100));
      pair.event(false, Event::of(EventKind::link_lost), at_seconds(100));
      pair.event(true, Event::set_state(St::partner_down), at_seconds(200));
      CHECK(pair.s.state == St::communications_interrupted);
      pair.p.connected = pair.s.connected = true;
      pair.deliver(true, at_seconds(300));
      pair.deliver(false, at_seconds(300));
      CHECK(pair.p.state == St::potential_conflict);
      CHECK(pair.s.state == St::potential_conflict);
      // The secondary answers the primary's UPDREQ: the primary is conflict-done.
      pair.event(true, Event::of(EventKind::update_done), at_seconds(301));
      CHECK(pair.p.state == St::conflict_done);
      // The primary answers the secondary's UPDREQ: the secondary goes normal, then the primary.
      pair.event(false, Event::of(EventKind::update_done), at_seconds(302));
      CHECK(pair.s.state == St::normal);
      CHECK(pair.p.state == St::normal);
    }
    SUBCASE("partition in normal: both comm-int, then both normal after the heal") {
      PeerView p = fosim::core::fresh_view(Role::primary, at_seconds(0), Seconds{1800});
      PeerView s = fosim::core::fresh_view(Role::secondary, at_seconds(0), Seconds{1800});
      p.state = s.state = St::normal;
      p.partner = s.partner = St::normal;
      Pair pair{p, s, {}};
      pair.event(true, Event::of(EventKind::link_lost), at_seconds(100));
      pair.event(false, Event::of(EventKind::link_lost), at_seconds(100));
      CHECK(pair.p.state == St::communications_interrupted);
      pair.p.connected = pair.s.connected = true;
      pair.deliver(true, at_seconds(300));
      pair.deliver(false, at_seconds(300));
      CHECK(pair.p.state == St::normal);
      CHECK(pair.s.state == St::normal);
    }
  }
}
