// An overload set of lambdas, for std::visit over the simulator's variants.
#pragma once

namespace fosim::sim {

/// Calls whichever of its lambdas takes the visited alternative.
template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

}  // namespace fosim::sim
