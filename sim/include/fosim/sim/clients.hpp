// The DHCP client population: each client arrives, discovers, requests, renews at T1 with the
// server that granted its lease, rebinds at T2 with every server it can reach, retries with
// back-off when nobody answers, and may release and leave. A client holds at most one lease
// and uses it only while it is unexpired; the monitors watch those holdings.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "fosim/core/time.hpp"
#include "fosim/sim/address_space.hpp"
#include "fosim/sim/dhcp.hpp"
#include "fosim/sim/scenario.hpp"
#include "fosim/sim/state_hash.hpp"

namespace fosim::sim {

class ClientTransport;
class Kernel;
class Monitors;
class Simulator;

/// Where a client is in its RFC 2131 life.
enum class ClientState : std::uint8_t {
  absent,      ///< not arrived yet, or gone
  selecting,   ///< DISCOVER sent, waiting for an OFFER
  requesting,  ///< REQUEST sent for an OFFER, waiting for the ACK
  bound,       ///< holds a lease
  renewing,    ///< T1 passed: asking the granting server
  rebinding,   ///< T2 passed: asking every server
  rebooting,   ///< returned with an unexpired lease: INIT-REBOOT REQUEST sent, waiting for the ACK
};

/// When a client renews and rebinds, counted from the start of its grant.
struct ClientTimes {
  core::Seconds renewal;  ///< T1
  core::Seconds rebind;   ///< T2
};

/// Returns T1 and T2 for a grant of `granted` seconds without T1/T2 options (ISC sends none):
/// RFC 2131's T1 = g / 2 (at least 1 s) and T2 = g * 7 / 8, in whole seconds.
ClientTimes client_times(core::Seconds granted);

/// The clients of a run.
class Clients {
 public:
  /// The clients of `scenario`, talking to `sim`'s kernel, transport and monitors; draws their
  /// arrival times.
  Clients(Simulator& sim, const Scenario& scenario);
  /// A copy of `other`'s clients, wired to `sim` (a clone of `other`'s simulator).
  Clients(const Clients& other, Simulator& sim);

  /// Schedules every arrival.
  void start();
  /// Adds `count` clients arriving uniformly over `window` from now (script action).
  void add(std::uint32_t count, Duration window);
  /// Scripted client `a.mac` sends what `a` says; false when it cannot now (renew, rebind,
  /// reboot or release without an unexpired lease), and it sends nothing.
  bool scripted(const ScriptAction& a, core::Instant now);
  /// Returns how many clients exist.
  std::uint32_t size() const { return static_cast<std::uint32_t>(clients_.size()); }

  /// The RFC 3074 bucket of client `i` (option 61 when it sends one, else its MAC).
  std::uint8_t bucket(std::uint32_t i) const { return clients_[i].bucket; }
  /// The MAC address of client `i` as text.
  std::string mac_text(std::uint32_t i) const;
  /// The client identifier (option 61) client `i` sends, if any.
  std::optional<std::vector<std::uint8_t>> uid(std::uint32_t i) const;
  /// The client with MAC `mac` (48 bits) among those of the start, if there is one.
  std::optional<std::uint32_t> find(std::uint64_t mac) const;
  /// The network client `i` is on (pool_networks() numbering).
  std::uint32_t network(std::uint32_t i) const { return clients_[i].network; }
  /// The lease time client `i` asks for (option 51), if any.
  std::optional<core::Seconds> requested_lease_time(std::uint32_t i) const;
  /// Where client `i` is.
  ClientState state(std::uint32_t i) const { return clients_[i].state; }
  /// The address index + 1 client `i` holds (0 = none) and until when.
  std::uint32_t lease(std::uint32_t i) const { return clients_[i].lease; }
  /// When client `i`'s lease ends: the server's whole-second end from the ACK.
  core::Instant lease_end(std::uint32_t i) const { return clients_[i].lease_end; }

  /// A timer of client `i` fired (stale generations are ignored).
  /// Adds the clients, as a multiset with no MAC or address in it, to `h`.
  void fingerprint(StateHash& h) const;

  void on_timer(std::uint32_t i, std::uint32_t generation, core::Instant now);
  /// Client `i`'s stay ran out: it leaves, if it is there.
  void on_departure(std::uint32_t i, core::Instant now);
  /// A reply reached client `p.client`.
  void on_reply(const DhcpPacket& p, core::Instant now);

 private:
  struct Client {
    std::uint64_t mac = 0;  ///< 48-bit MAC
    std::uint8_t bucket = 0;
    std::uint8_t group = 0;
    std::uint32_t network = 0;  ///< the network it is on (its subnet's pools serve it)
    ClientState state = ClientState::absent;
    std::uint8_t server = 0;    ///< the server that granted the lease / made the offer
    std::uint8_t tries = 0;     ///< transmissions in the current exchange
    bool answered = false;      ///< the current exchange got an answer
    std::uint8_t rejected = 0;  ///< bit per server: on dhclient's reject list
    std::uint32_t lease = 0;    ///< address index + 1 held (0 = none)
    std::uint32_t offer = 0;    ///< address index + 1 offered
    std::uint32_t xid = 0;
    core::Instant lease_end{};
    core::Instant t1{}, t2{};
    core::Instant exchange_start{};
    core::Instant depart_at{};  ///< 0 = never
    std::uint32_t kept = 0;     ///< away: the address index + 1 it left with, unreleased (0 = none)
    bool scripted = false;      ///< does only what the script says (no group)
    bool probing = false;       ///< scripted: a DISCOVER whose offers are not taken
    std::uint16_t secs = 0;     ///< scripted: the secs of the current action's first packet
    std::optional<std::vector<std::uint8_t>> uid;  ///< a lease file's client: its uid
    std::int64_t day = 0;      ///< daily: the day of the run of its current (or next) visit
    core::Instant leave_at{};  ///< daily: when that visit ends
  };

  /// Adds a client, absent until its first action, for each distinct MAC of the script's
  /// `client` actions.
  void add_scripted_clients(const Scenario& scenario);
  /// Adds a client, absent and idle like a scripted one, for each MAC the servers' lease files
  /// hold that no other client has: the clients those leases belong to.
  void add_lease_file_clients(const Scenario& scenario);
  /// The network of a new client of `group` (drawn when the group names none).
  std::uint32_t network_for(const ClientGroup& group);
  void arrive(std::uint32_t i, core::Instant now);
  /// Daily group `g`: draws client `i`'s visit on day `day` or the first later one that ends
  /// after `after`; sets its day and leave_at and returns its arrival (not before `after`).
  core::Instant daily_next(std::uint32_t i, const ClientGroup& g, std::int64_t day,
                           core::Instant after);
  void discover(std::uint32_t i, core::Instant now, bool fresh);
  void reboot(std::uint32_t i, core::Instant now);
  const ClientGroup* group_of(const Client& c) const;
  void scripted_timer(std::uint32_t i, core::Instant now);
  void scripted_rest(std::uint32_t i, core::Instant now);
  void request(std::uint32_t i, RequestKind kind, core::Instant now);
  void arm(std::uint32_t i, core::Instant at);
  void lose_lease(std::uint32_t i, core::Instant now);
  void reject_server(std::uint32_t i, std::uint8_t server, core::Instant now);
  void depart(std::uint32_t i, core::Instant now);
  void end_exchange(std::uint32_t i, core::Instant now, bool answered);
  bool reaches(const Client& c, std::size_t server) const;
  void send(std::uint32_t i, DhcpType type, RequestKind kind, int server, core::Instant now);

  Kernel& sim_;  ///< the kernel: clock, queue, random generator, trace
  ClientTransport& transport_;
  Monitors& monitors_;
  const Scenario& scenario_;
  std::vector<std::uint32_t> networks_;  ///< each pool's network (pool_networks())
  std::vector<Client> clients_;
  std::vector<core::Instant> arrivals_;  ///< arrival time per client
  /// Per client, bumped on every (re)armed or cancelled timer: a timer event carrying another
  /// value is stale. Apart from the records, so the check of a stale one touches 4 bytes.
  std::vector<std::uint32_t> generation_;
  std::unordered_set<std::uint64_t> fixed_;  ///< the scenario's fixed MACs: none is generated
  std::unordered_map<std::uint64_t, std::uint32_t> by_mac_;  ///< the start's clients by MAC
  std::uint64_t added_skips_ = 0;  ///< MACs `add` passed over because a fixed client has them
  std::vector<std::pair<std::string, std::uint32_t>> scripted_;  ///< scripted MAC -> client
  std::uint32_t scripted_xids_ = 0;  ///< scripted exchanges so far (their xids, no draws)
};

}  // namespace fosim::sim
