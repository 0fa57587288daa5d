// The draft-12 profile: each row it overrides, with the outcome typed in from the draft's own
// text (draft-ietf-dhc-failover-12, section named on each case), beside the ISC outcome of the
// same situation (failover_machine_test.cpp has ISC's full matrix).
#include <doctest/doctest.h>

#include "fosim/core/failover_machine.hpp"
#include "fosim/core/service.hpp"
#include "fosim/core/transition_table.hpp"

using namespace fosim::core;

namespace {

const Profile& draft() { return profile(ProfileId::draft_12); }

PeerView view(State s, State partner, Role role = Role::primary) {
  PeerView v = fresh_view(role, at_seconds(0), Seconds{3600});
  v.state = v.saved = s;
  v.partner = partner;
  v.connected = true;
  v.storage_lost = false;
  return v;
}

}  // namespace

TEST_CASE("draft-12 §9.9.3: communications-interrupted stays when the partner is in recover") {
  const PeerView v = view(State::communications_interrupted, State::unknown_state);
  CHECK(step(v, Event::peer(State::recover), at_seconds(10), draft()).view.state ==
        State::communications_interrupted);
  CHECK(step(v, Event::peer(State::recover), at_seconds(10)).view.state == State::partner_down);
}

TEST_CASE("draft-12 §9.9.3: the partner's recover-wait is sat out too, recover-done ends it") {
  // ISC treats a partner in recover-wait as compatible and returns to normal; under the draft
  // the server waits, as in Figure 9.5.2-1, and returns to normal when the partner reports
  // recover-done (§9.9.3), which in turn moves the partner to normal (§9.7.2).
  const PeerView v = view(State::communications_interrupted, State::recover);
  CHECK(step(v, Event::peer(State::recover_wait), at_seconds(10), draft()).view.state ==
        State::communications_interrupted);
  CHECK(step(v, Event::peer(State::recover_wait), at_seconds(10)).view.state == State::normal);
  const PeerView waiting = view(State::communications_interrupted, State::recover_wait);
  CHECK(step(waiting, Event::peer(State::recover_done), at_seconds(1810), draft()).view.state ==
        State::normal);
}

TEST_CASE("draft-12 §9.5.2: a recovering server asks a partner in recover-wait or recover-done") {
  // "any other state": the draft's recovering server sends an update request whatever the
  // partner's state outside the conflict states. ISC's table leaves a partner in recover-wait
  // or recover-done unasked; when this server lost its lease file, that partner then waits in
  // recover-done for a recovery that never begins (the deadlock of docs/hazards.md).
  for (const State partner : {State::recover_wait, State::recover_done}) {
    CAPTURE(to_string(partner));
    PeerView v = view(State::recover, State::unknown_state);
    v.storage_lost = true;
    const Step lost = step(v, Event::peer(partner), at_seconds(10), draft());
    CHECK(lost.view.state == State::recover);
    CHECK(lost.actions.contains(ActionKind::send_update_request_all));
    v.storage_lost = false;
    const Step kept = step(v, Event::peer(partner), at_seconds(10), draft());
    CHECK(kept.actions.contains(ActionKind::send_update_request));
    CHECK_FALSE(kept.actions.contains(ActionKind::send_update_request_all));
    // ISC: no request at all.
    v.storage_lost = true;
    const Step isc = step(v, Event::peer(partner), at_seconds(10));
    CHECK_FALSE(isc.actions.contains(ActionKind::send_update_request_all));
    CHECK_FALSE(isc.actions.contains(ActionKind::send_update_request));
  }
}

TEST_CASE("draft-12 §9.5.2: recover asks with UPDREQ unless its storage was lost") {
  PeerView v = view(State::recover, State::partner_down);
  const Step kept = step(v, Event::peer(State::partner_down), at_seconds(10), draft());
  CHECK(kept.actions.contains(ActionKind::send_update_request));
  CHECK_FALSE(kept.actions.contains(ActionKind::send_update_request_all));
  v.storage_lost = true;
  const Step lost = step(v, Event::peer(State::partner_down), at_seconds(10), draft());
  CHECK(lost.actions.contains(ActionKind::send_update_request_all));
  CHECK_FALSE(lost.actions.contains(ActionKind::send_update_request));
  // ISC always sends UPDREQALL.
  v.storage_lost = false;
  CHECK(step(v, Event::peer(State::partner_down), at_seconds(10))
            .actions.contains(ActionKind::send_update_request_all));
}

TEST_CASE("draft-12 §9.5.2: entering recover connected sends UPDREQ when the storage was kept") {
  PeerView v = view(State::normal, State::normal);
  const Step s = step(v, Event::set_state(State::recover), at_seconds(10), draft());
  CHECK(s.actions.contains(ActionKind::send_update_request));
  CHECK_FALSE(s.actions.contains(ActionKind::send_update_request_all));
}

TEST_CASE("draft-12 §9.5.2: recover goes to recover-wait after UPDDONE, always") {
  // The partner recovers too and the MCLT has not passed: ISC skips the wait.
  PeerView v = view(State::recover, State::recover);
  v.stos = at_seconds(0);
  const Step s = step(v, Event::of(EventKind::update_done), at_seconds(10), draft());
  CHECK(s.view.state == State::recover_wait);
  CHECK(step(v, Event::of(EventKind::update_done), at_seconds(10)).view.state ==
        State::recover_done);
  // §9.6.2: the wait ends at the time the server went down plus the MCLT; when that has
  // passed, the timer is already due and recover-wait leads straight on to recover-done.
  const Step late = step(v, Event::of(EventKind::update_done), at_seconds(4000), draft());
  CHECK(late.view.state == State::recover_done);
  bool waited = false;
  for (const Action& a : late.actions)
    if (a.kind == ActionKind::moved && a.to == State::recover_wait) waited = true;
  CHECK(waited);
}

TEST_CASE("draft-12 §9.12.3: conflict-done stays when the peer shuts down") {
  const PeerView v = view(State::conflict_done, State::potential_conflict);
  CHECK(step(v, Event::peer(State::shutdown), at_seconds(10), draft()).view.state ==
        State::conflict_done);
  CHECK(step(v, Event::peer(State::shutdown), at_seconds(10)).view.state == State::shutdown);
}

TEST_CASE("draft-12 §9.12.3: conflict-done stays on an unexpected peer state, no exit") {
  const PeerView v = view(State::conflict_done, State::potential_conflict);
  const Step s = step(v, Event::peer(State::partner_down), at_seconds(10), draft());
  CHECK(s.view.state == State::conflict_done);
  CHECK_FALSE(s.actions.contains(ActionKind::exit_process));
  CHECK(step(v, Event::peer(State::partner_down), at_seconds(10))
            .actions.contains(ActionKind::exit_process));
  // Only a NORMAL secondary moves it (to normal).
  CHECK(step(v, Event::peer(State::normal), at_seconds(10), draft()).view.state == State::normal);
}

TEST_CASE("draft-12 service: resolution-interrupted, conflict-done, recover-done answer") {
  // §9.11.2: every request, own pool, no load balancing.
  const ServiceView ri = draft().service(State::resolution_interrupted, State::unknown_state);
  CHECK(answers_all(ri));
  CHECK_FALSE(load_balanced(ri.service));
  CHECK(allocation_pools(ri.service).own);
  CHECK_FALSE(allocation_pools(ri.service).peer_after_mclt);
  // §9.12.2: fully responsive, while the secondary still resolves the conflict.
  CHECK(answers_all(draft().service(State::conflict_done, State::potential_conflict)));
  // §9.7.1: RENEW and REBIND only.
  const ServiceView rd = draft().service(State::recover_done, State::partner_down);
  CHECK(responds(rd.service));
  CHECK(rd.renew_only);
  CHECK_FALSE(answers_all(rd));
  // ISC answers nothing in these states.
  for (State s : {State::resolution_interrupted, State::conflict_done, State::recover_done})
    CHECK_FALSE(responds(isc_profile().service(s, State::unknown_state).service));
}

TEST_CASE("profile names") {
  CHECK(parse_profile("isc-4.4") == ProfileId::isc_4_4);
  CHECK(parse_profile("draft-12") == ProfileId::draft_12);
  CHECK_FALSE(parse_profile("draft12"));
  CHECK(to_string(ProfileId::draft_12) == "draft-12");
  CHECK(&profile(ProfileId::isc_4_4) == &isc_profile());
}
