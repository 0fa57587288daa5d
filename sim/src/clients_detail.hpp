// Internal to Clients (sim/src/clients*.cpp): what its files share.
#pragma once

#include <array>
#include <cstdint>

#include "fosim/core/time.hpp"

namespace fosim::sim::clients_detail {

/// A REQUEST answering an OFFER waits this long for the ACK (RFC 2131: 4 s first).
inline constexpr core::Seconds request_timeout{4};

/// The six bytes of a 48-bit MAC, most significant first.
inline std::array<std::uint8_t, 6> mac_bytes(std::uint64_t mac) {
  std::array<std::uint8_t, 6> b{};
  for (int k = 0; k < 6; ++k)
    b[static_cast<std::size_t>(k)] = static_cast<std::uint8_t>(mac >> (8 * (5 - k)));
  return b;
}

}  // namespace fosim::sim::clients_detail
