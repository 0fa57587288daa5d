// The event kernel's out-of-line part: what happens when one of its invariants breaks.
#include "fosim/sim/kernel.hpp"

#include <cstdio>
#include <cstdlib>

namespace fosim::sim {

void Kernel::fail(const char* what) {
  std::fprintf(stderr, "fosim: internal error: %s\n", what);
  std::abort();
}

}  // namespace fosim::sim
