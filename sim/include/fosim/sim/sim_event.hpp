// The simulator's events: what an entry of the future-event list does, as one small struct per
// kind, so that a handler receives named fields and not numbers whose meaning lives in comments.
//
// The event travels inside the queue's entry (event_queue.hpp), and a day of a large pair pops
// tens of millions of them, so every struct is a few bytes and the whole variant stays within
// 12: the queue's entry is then 32 bytes, half a cache line.
#pragma once

#include <cstdint>
#include <type_traits>
#include <variant>

namespace fosim::sim {

enum class TimerKind : std::uint8_t;  // server.hpp

namespace ev {

/// Timer `timer` of server `server` fired.
struct ServerTimer {
  std::uint8_t server;
  TimerKind timer;
};

/// The failover messages sent by server `from` that are due now arrive at the other server.
struct Deliver {
  std::uint8_t from;
};

/// Server `server` hears that its peer closed TCP connection `connection` (the FIN arrived).
struct Fin {
  std::uint8_t server;
  std::uint32_t connection;
};

/// The client -> server DHCP packets that are due now arrive.
struct DhcpToServer {};

/// The DHCP packets server `server` sent to clients that are due now arrive.
struct DhcpToClient {
  std::uint8_t server = 0;
};

/// A timer of client `client` fired; it is stale unless `generation` is the client's current
/// one. A per-client counter of 32 bits cannot wrap onto a stale timer in any run: that takes
/// 2^32 re-arms of one client while one of its old timers still waits (a client re-arms a few
/// hundred times a simulated day).
struct ClientTimer {
  std::uint32_t client;
  std::uint32_t generation;
};

/// Client `client` leaves (its group's `stay` ran out); never stale.
struct ClientDeparts {
  std::uint32_t client;
};

/// Script action `index` is due.
struct ScriptStep {
  std::uint32_t index;
};

/// The server of script action `index` (a restart) has exited: start it again.
struct RestartSecondHalf {
  std::uint32_t index;
};

/// Server `server`'s process starts at its scenario start time (`ServerSpec::start_at`).
struct ServerStarts {
  std::uint8_t server;
};

/// Record the pools' counts for the report's series.
struct Sample {};

}  // namespace ev

/// What an event does; the payload of the future-event list.
using SimEvent = std::variant<ev::ServerTimer, ev::Deliver, ev::Fin, ev::DhcpToServer,
                              ev::DhcpToClient, ev::ClientTimer, ev::ClientDeparts, ev::ScriptStep,
                              ev::RestartSecondHalf, ev::ServerStarts, ev::Sample>;

static_assert(sizeof(SimEvent) <= 12, "the payload rides inside every queue entry: keep it small");
static_assert(std::is_trivially_copyable_v<SimEvent>, "queue entries are moved as plain bytes");

}  // namespace fosim::sim
