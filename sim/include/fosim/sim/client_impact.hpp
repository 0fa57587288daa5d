// What the clients noticed of a run, next to the exchanges' availability: the clients left
// without a valid lease while they wanted one (and for how long), the clients whose lease ran
// out with no new one, and the renewals refused (NAKed or unanswered) while the client still
// held its lease.
//
// A client wants a lease from its arrival until it leaves. Going without one counts when its
// lease expired, or when it waited through an unanswered exchange: an ordinary DISCOVER that is
// answered at once, or a NAK followed by a prompt new lease, is no hurt. A period without a
// lease ends when the client holds a lease again, leaves, or the run ends. Scripted clients do
// only what the script says and are not counted.
#pragma once

#include <cstdint>
#include <map>
#include <set>

#include "fosim/core/time.hpp"

namespace fosim::sim {

/// The clients' figures of a run.
struct ClientImpact {
  std::map<std::uint32_t, core::Duration> without_lease;  ///< client -> total time without
  std::uint64_t periods = 0;                ///< periods without a lease, over all clients
  std::set<std::uint32_t> lost_address;     ///< clients whose lease expired with no new one
  std::uint64_t refused_nak = 0;            ///< renewals NAKed while the lease held
  std::uint64_t refused_unanswered = 0;     ///< renewals unanswered while the lease held
  std::set<std::uint32_t> refused_clients;  ///< clients with a refused renewal

  /// The longest total time a client went without a lease (0 when none did).
  core::Duration worst() const;
  /// The median of the clients' totals (the mean of the middle two for an even count; 0 when
  /// none went without).
  core::Duration median() const;
};

/// Follows each client's holding through the run and fills a ClientImpact.
class ImpactWatch {
 public:
  /// Client `c` is present without a valid lease from `now` on; `expired` when its lease just
  /// ran out (that counts at once). A period already open keeps its start.
  void wanting(std::uint32_t c, core::Instant now, bool expired);
  /// An exchange of client `c` went unanswered while it had no valid lease.
  void unanswered(std::uint32_t c);
  /// Client `c`'s renewal was refused (`nak`, or no answer) while its lease still held.
  void refused(std::uint32_t c, bool nak);
  /// Client `c` holds a lease again, or left, at `now`: an open period ends.
  void ended(std::uint32_t c, core::Instant now);
  /// The figures as at `now` (periods still open end there).
  ClientImpact figures(core::Instant now) const;

 private:
  struct Open {
    core::Instant since{};
    bool hurt = false;
  };
  std::map<std::uint32_t, Open> open_;  ///< clients without a lease now
  ClientImpact closed_;                 ///< the periods that have ended
};

}  // namespace fosim::sim
