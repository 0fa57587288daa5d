// Ctrl-C as a request, not a kill: while an InterruptGuard lives, SIGINT sets a flag that long
// work (a run, a sweep) reads and stops at, so the command can remove its temporaries, say what
// it kept and exit 130. A second Ctrl-C kills the process as usual.
#pragma once

#include <atomic>

namespace fosim::tools {

/// Catches SIGINT for its lifetime; restores the previous handler when destroyed.
class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  /// The flag SIGINT sets; long work polls it.
  const std::atomic<bool>& flag() const;
  /// Whether SIGINT came.
  bool interrupted() const { return flag().load(); }
};

}  // namespace fosim::tools
