// RFC 3074 load balancing as ISC dhcpd 4.4 applies it (dhcp server/failover.c:
// loadb_p_hash(), load_balance_mine(); server/confpars.c for split).
//
// A client's bucket is the Pearson hash of its option-61 client identifier (the whole value,
// type byte included) or, without one, of its chaddr bytes (without htype). The 32-byte hash
// bucket assignment (HBA) says which server serves each bucket in normal: ISC's bit order is
// bucket b = byte b/8, mask 1 << (b % 8), and a SET bit means the PRIMARY serves it (draft-12
// §12.11 says the opposite; ISC sends its primary-serves map anyway). `split N` sets buckets
// 0..N-1. Load balancing applies to DISCOVERs in normal only, and `load balance max seconds`
// turns it off for clients that have waited longer (or entirely, when it is 0).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "fosim/core/failover_machine.hpp"

namespace fosim::core {

// clang-format off
/// The mixing table of RFC 3074 §6 (the same table as ISC's loadb_mx_tbl and Kea's).
inline constexpr std::array<std::uint8_t, 256> rfc3074_table{{
  251, 175, 119, 215,  81,  14,  79, 191, 103,  49, 181, 143, 186, 157,   0, 232,
   31,  32,  55,  60, 152,  58,  17, 237, 174,  70, 160, 144, 220,  90,  57, 223,
   59,   3,  18, 140, 111, 166, 203, 196, 134, 243, 124,  95, 222, 179, 197,  65,
  180,  48,  36,  15, 107,  46, 233, 130, 165,  30, 123, 161, 209,  23,  97,  16,
   40,  91, 219,  61, 100,  10, 210, 109, 250, 127,  22, 138,  29, 108, 244,  67,
  207,   9, 178, 204,  74,  98, 126, 249, 167, 116,  34,  77, 193, 200, 121,   5,
   20, 113,  71,  35, 128,  13, 182,  94,  25, 226, 227, 199,  75,  27,  41, 245,
  230, 224,  43, 225, 177,  26, 155, 150, 212, 142, 218, 115, 241,  73,  88, 105,
   39, 114,  62, 255, 192, 201, 145, 214, 168, 158, 221, 148, 154, 122,  12,  84,
   82, 163,  44, 139, 228, 236, 205, 242, 217,  11, 187, 146, 159,  64,  86, 239,
  195,  42, 106, 198, 118, 112, 184, 172,  87,   2, 173, 117, 176, 229, 247, 253,
  137, 185,  99, 164, 102, 147,  45,  66, 231,  52, 141, 211, 194, 206, 246, 238,
   56, 110,  78, 248,  63, 240, 189,  93,  92,  51,  53, 183,  19, 171,  72,  50,
   33, 104, 101,  69,   8, 252,  83, 120,  76, 135,  85,  54, 202, 125, 188, 213,
   96, 235, 136, 208, 162, 129, 190, 132, 156,  38,  47,   1,   7, 254,  24,   4,
  216, 131,  89,  21,  28, 133,  37, 153, 149,  80, 170,  68,   6, 169, 234, 151,
}};
// clang-format on

static_assert(
    [] {
      std::array<bool, 256> seen{};
      for (std::uint8_t v : rfc3074_table) {
        if (seen[v]) return false;
        seen[v] = true;
      }
      return true;
    }(),
    "the RFC 3074 mixing table must be a permutation of 0..255");

/// Returns the RFC 3074 bucket of `key`: h starts at the key length (mod 256) and each byte,
/// from the last to the first, mixes in as h = T[h ^ byte]. An empty key is bucket 0.
constexpr std::uint8_t rfc3074_hash(std::span<const std::uint8_t> key) {
  auto h = static_cast<std::uint8_t>(key.size() & 0xff);
  for (std::size_t i = key.size(); i > 0; --i) h = rfc3074_table[h ^ key[i - 1]];
  return h;
}

/// A hash bucket assignment: 256 bits, ISC bit order, a set bit = the primary serves.
using Hba = std::array<std::uint8_t, 32>;

/// Returns the HBA of `split N` (N in 0..256; larger values act as 256): buckets 0..N-1 set.
constexpr Hba hba_from_split(unsigned split) {
  Hba hba{};
  for (unsigned b = 0; b < 256 && b < split; ++b)
    hba[b / 8] = static_cast<std::uint8_t>(hba[b / 8] | (1u << (b % 8)));
  return hba;
}

/// Returns true when the HBA gives `bucket` to the primary.
constexpr bool primary_serves(const Hba& hba, std::uint8_t bucket) {
  return (hba[bucket / 8] & (1u << (bucket % 8))) != 0;
}

/// Returns how many buckets the HBA gives to the primary.
constexpr unsigned primary_bucket_count(const Hba& hba) {
  unsigned n = 0;
  for (unsigned b = 0; b < 256; ++b)
    n += primary_serves(hba, static_cast<std::uint8_t>(b)) ? 1u : 0u;
  return n;
}

/// Parses hex bytes written as `52:54:00:02:bf:f8` or `52-54-00-02-bf-f8` (one or two digits
/// per byte) or as unseparated pairs `52540002bff8`; returns nothing for anything else (an odd
/// digit count, mixed separators, non-hex characters, empty input).
std::optional<std::vector<std::uint8_t>> parse_hex_bytes(std::string_view text);

/// Parses an HBA: exactly 32 hex bytes in any form parse_hex_bytes() accepts.
std::optional<Hba> parse_hba(std::string_view text);

/// Returns `bytes` as lower-case hex pairs joined by ':'.
std::string format_hex(std::span<const std::uint8_t> bytes);

/// Who answers a DHCPDISCOVER from a client in normal.
enum class Answerer : std::uint8_t { primary, secondary, both };

/// Why a DISCOVER is answered the way it is.
enum class BalanceReason : std::uint8_t {
  hba,                ///< the bucket's HBA bit decides
  balancing_off,      ///< load balance max seconds is 0: both answer
  secs_over_maximum,  ///< secs > load balance max seconds: both answer
};

/// The answer for one client.
struct BalanceDecision {
  std::uint8_t bucket;
  Answerer answerer;
  BalanceReason reason;
};

/// Returns the `secs` value ISC compares, optionally with check-secs-byte-order: a value above
/// 255 whose low byte is zero is taken as byte-swapped (ISC load_balance_mine()).
constexpr std::uint32_t effective_secs(std::uint32_t secs, bool check_secs_byte_order) {
  if (check_secs_byte_order && secs > 255 && (secs & 0xff) == 0) return (secs >> 8) & 0xff;
  return secs;
}

/// Returns whether a server in `role` treats a DISCOVER as its own in normal
/// (load_balance_mine()): always when `lb_max_seconds` is 0 or less than `secs`; otherwise by
/// the bucket's HBA bit, inverted on the secondary. `hba` is null on a secondary that has not
/// learned the primary's HBA yet (then: not mine).
constexpr bool load_balance_mine(Role role, const Hba* hba, std::uint8_t bucket, std::uint32_t secs,
                                 std::uint32_t lb_max_seconds) {
  if (lb_max_seconds == 0 || lb_max_seconds < secs) return true;
  if (hba == nullptr) return false;
  const bool primary_bit = primary_serves(*hba, bucket);
  return role == Role::primary ? primary_bit : !primary_bit;
}

/// Returns who answers a DISCOVER with hash key `key` in normal.
constexpr BalanceDecision balance(const Hba& hba, std::span<const std::uint8_t> key,
                                  std::uint32_t secs, std::uint32_t lb_max_seconds) {
  const std::uint8_t bucket = rfc3074_hash(key);
  if (lb_max_seconds == 0) return {bucket, Answerer::both, BalanceReason::balancing_off};
  if (lb_max_seconds < secs) return {bucket, Answerer::both, BalanceReason::secs_over_maximum};
  return {bucket, primary_serves(hba, bucket) ? Answerer::primary : Answerer::secondary,
          BalanceReason::hba};
}

/// Returns "primary", "secondary" or "both".
constexpr std::string_view to_string(Answerer a) {
  switch (a) {
    case Answerer::primary:
      return "primary";
    case Answerer::secondary:
      return "secondary";
    case Answerer::both:
      return "both";
  }
  return "?";
}

}  // namespace fosim::core
