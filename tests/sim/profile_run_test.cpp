// A whole run under the draft-12 profile beside the same run under ISC's: where the two sets of
// rules part, the pair's states part too.
#include <doctest/doctest.h>

#include <algorithm>

#include "pair_fixture.hpp"

using fosim::core::State;
using fosim::test::field_pair;
using fosim::test::moves;
using std::chrono::minutes;

namespace {

bool took(const std::vector<std::string>& m, const std::string& move) {
  return std::find(m.begin(), m.end(), move) != m.end();
}

}  // namespace

TEST_SUITE("sim") {
  TEST_CASE("profile: two servers with no lease file wait out the MCLT only under draft-12") {
    // Neither server has a lease file, so each starts in recover and asks its partner for
    // every lease. ISC: when the partner is in recover too there is nothing to wait for, and
    // both go on to recover-done and normal within seconds. Draft-12 section 9.5.2: after
    // UPDDONE a server in recover always goes to recover-wait, and section 9.6 keeps it there
    // until the MCLT (1800 s here) has passed since it entered recover, which was 5 s after
    // the start (startup's hold).
    for (const auto profile : {fosim::core::ProfileId::isc_4_4, fosim::core::ProfileId::draft_12}) {
      CAPTURE(fosim::core::to_string(profile));
      const bool draft = profile == fosim::core::ProfileId::draft_12;
      auto sc = field_pair(0);
      sc.duration = std::chrono::hours(1);
      sc.profile = profile;
      fosim::sim::MemoryTrace trace;
      fosim::sim::Simulator s(sc, 1, &trace);
      s.run_before(fosim::core::Instant{minutes(1)});
      CHECK(s.server(0).view().state == (draft ? State::recover_wait : State::normal));
      CHECK(s.server(1).view().state == (draft ? State::recover_wait : State::normal));
      s.run_before(fosim::core::Instant{minutes(29)});
      CHECK(s.server(0).view().state == (draft ? State::recover_wait : State::normal));
      s.run_before(fosim::core::Instant{minutes(31)});
      CHECK(s.server(0).view().state == State::normal);
      CHECK(s.server(1).view().state == State::normal);
      CHECK(took(moves(trace, 0), "recover>recover-wait") == draft);
      CHECK(took(moves(trace, 0), "recover>recover-done") == !draft);
    }
  }
}
