// InterruptGuard: SIGINT sets one process-wide flag; the handler resets itself (SA_RESETHAND),
// so a second Ctrl-C ends the process at once.
#include "fosim/tools/interrupt.hpp"

#include <csignal>

namespace fosim::tools {

namespace {

std::atomic<bool> sigint_seen{false};
struct sigaction previous {};

extern "C" void on_sigint(int) { sigint_seen.store(true); }

}  // namespace

InterruptGuard::InterruptGuard() {
  sigint_seen = false;
  struct sigaction action {};
  action.sa_handler = on_sigint;
  action.sa_flags = static_cast<int>(SA_RESETHAND);
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, &previous);
}

InterruptGuard::~InterruptGuard() { ::sigaction(SIGINT, &previous, nullptr); }

const std::atomic<bool>& InterruptGuard::flag() const { return sigint_seen; }

}  // namespace fosim::tools
