// Daily client groups: each day's visit drawn from the group's arrive and leave spans, on the
// scenario's wall clock (or with time 0 at a midnight).
#include "fosim/sim/clients.hpp"
#include "fosim/sim/simulator.hpp"
#include "fosim/sim/wall_clock.hpp"

namespace fosim::sim {

using core::Instant;

Instant Clients::daily_next(std::uint32_t i, const ClientGroup& g, std::int64_t day,
                            Instant after) {
  const auto draw = [&](const DayWindow& w, Instant midnight_at) {
    Duration from = w.from, to = w.to;
    if (to < from) to += std::chrono::hours(24);  // the span crosses midnight
    const auto span = static_cast<std::uint64_t>((to - from).count());
    return midnight_at + from + Duration{static_cast<std::int64_t>(sim_.rng().below(span + 1))};
  };
  for (;; ++day) {
    const Instant m = midnight(scenario_.start_utc_ms, day);
    const Instant arrive_at = draw(*g.daily_arrive, m);
    Instant leave = draw(*g.daily_leave, m);
    if (leave <= arrive_at) leave += std::chrono::hours(24);  // a night's visit
    if (leave <= after) continue;
    clients_[i].day = day;
    clients_[i].leave_at = leave;
    return std::max(arrive_at, after);
  }
}

}  // namespace fosim::sim
