// The façade of a run: builds the parts, starts the run, and routes each event to its part.
#include "fosim/sim/simulator.hpp"

#include <variant>

#include "fosim/sim/clients.hpp"
#include "fosim/sim/overloaded.hpp"

namespace fosim::sim {
namespace {

using core::Instant;

}  // namespace

Simulator::Simulator(const Scenario& scenario, std::uint64_t seed, TraceSink* trace)
    : scenario_(scenario),
      kernel_(seed, trace),
      link_(kernel_, *this, scenario),
      transport_(kernel_, *this, scenario),
      monitors_(kernel_, *this, link_, scenario),
      script_(kernel_, *this, link_, monitors_.stats(), scenario) {
  // The clients draw their arrival times first, then the servers their clock phases, then the
  // transport the reply latencies the scenario leaves open.
  clients_ = std::make_unique<Clients>(*this, scenario);
  for (std::size_t i = 0; i < 2; ++i) servers_[i] = std::make_unique<Server>(*this, i, scenario);
  transport_.draw_reply_latencies(kernel_.rng());
}

Simulator::Simulator(const Simulator& other, CloneTag)
    : scenario_(other.scenario_),
      kernel_(other.kernel_, nullptr),
      link_(other.link_, kernel_, *this),
      transport_(other.transport_, kernel_, *this),
      monitors_(other.monitors_, kernel_, *this, link_),
      script_(kernel_, *this, link_, monitors_.stats(), scenario_) {
  clients_ = std::make_unique<Clients>(*other.clients_, *this);
  for (std::size_t i = 0; i < 2; ++i)
    servers_[i] = std::make_unique<Server>(*other.servers_[i], *this);
}

Simulator::~Simulator() = default;

std::unique_ptr<Simulator> Simulator::clone() const {
  return std::unique_ptr<Simulator>(new Simulator(*this, CloneTag{}));
}

void Simulator::run_before(Instant t) {
  if (kernel_.events() == 0 && now() == Instant{}) start();
  if (t <= now()) return;
  kernel_.run_until(t - core::Duration{1}, [this](const SimEvent& e) { dispatch(e); });
  kernel_.move_clock(t);
  monitors_.stats().events = kernel_.events();
}

bool Simulator::run(std::optional<Instant> until, const std::atomic<bool>* stop) {
  const Instant end = until.value_or(Instant{scenario_.duration});
  if (kernel_.events() == 0 && now() == Instant{}) start();
  const bool finished = kernel_.run_until(
      end, [this](const SimEvent& e) { dispatch(e); }, stop);
  monitors_.stats().events = kernel_.events();
  monitors_.finish();
  return finished;
}

void Simulator::start() {
  script_.start();
  for (std::size_t i = 0; i < 2; ++i) {
    monitors_.reset_state_clock(i);
    const Instant at{scenario_.servers[i].start_at};
    if (at == Instant{})
      server(i).start(at, true);
    else
      kernel_.post(at, ev::ServerStarts{static_cast<std::uint8_t>(i)});
  }
  clients_->start();
  monitors_.start_sampling();
}

void Simulator::dispatch(const SimEvent& e) {
  const Instant now = kernel_.now();
  std::visit(Overloaded{
                 [&](const ev::ServerTimer& t) { server(t.server).on_timer(t.timer, now); },
                 [&](const ev::Deliver& d) { link_.on_deliver(d.from); },
                 [&](const ev::Fin& f) { server(f.server).on_tcp_closed(now, f.connection); },
                 [&](const ev::DhcpToServer&) { transport_.on_to_server(); },
                 [&](const ev::DhcpToClient& d) { transport_.on_to_client(d.server); },
                 [&](const ev::ClientTimer& t) { clients_->on_timer(t.client, t.generation, now); },
                 [&](const ev::ClientDeparts& d) { clients_->on_departure(d.client, now); },
                 [&](const ev::ScriptStep& s) { script_.run_step(s.index); },
                 [&](const ev::RestartSecondHalf& r) { script_.restart_second_half(r.index); },
                 [&](const ev::ServerStarts& s) { server(s.server).start(now, true); },
                 [&](const ev::Sample&) { monitors_.on_sample(); },
             },
             e);
}

}  // namespace fosim::sim
