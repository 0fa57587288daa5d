// RFC 3074 load balancing: known-answer vectors (computed
// there by two independent implementations), the hand trace of vector 4, ISC's own unit-test
// cases, and the split -> HBA bytes.
#include "fosim/core/load_balance.hpp"

#include <doctest/doctest.h>

#include <string_view>
#include <vector>

using fosim::core::Answerer;
using fosim::core::Hba;
using fosim::core::Role;

namespace {

std::vector<std::uint8_t> bytes(std::string_view hex) {
  auto parsed = fosim::core::parse_hex_bytes(hex);
  REQUIRE(parsed.has_value());
  return *parsed;
}

struct Vector {
  std::string_view key;  // hex; empty = empty key
  unsigned bucket;
  unsigned hba_byte;
  unsigned mask;
  Answerer split128;
  Answerer split129;
};

// clang-format off
// Known answers (chaddr keys 1-7 and 10, client-id keys 8-9, empty key 11).
constexpr Vector vectors[] = {
  {"00:00:00:00:00:00",    254, 31, 0x40, Answerer::secondary, Answerer::secondary},
  {"00:11:22:33:44:55",    135, 16, 0x80, Answerer::secondary, Answerer::secondary},
  {"01:02:03:04:05:06",    179, 22, 0x08, Answerer::secondary, Answerer::secondary},
  {"aa:bb:cc:dd:ee:ff",     57,  7, 0x02, Answerer::primary,   Answerer::primary},
  {"00:0c:29:ab:cd:ef",     60,  7, 0x10, Answerer::primary,   Answerer::primary},
  {"00:00:00:00:00:03",    128, 16, 0x01, Answerer::secondary, Answerer::primary},
  {"00:00:00:00:00:02",    102, 12, 0x40, Answerer::primary,   Answerer::primary},
  {"01:00:11:22:33:44:55", 223, 27, 0x80, Answerer::secondary, Answerer::secondary},
  {"01:aa:bb:cc:dd:ee:ff", 102, 12, 0x40, Answerer::primary,   Answerer::primary},
  {"0e",                   232, 29, 0x01, Answerer::secondary, Answerer::secondary},
  {"",                       0,  0, 0x01, Answerer::primary,   Answerer::primary},
};
// clang-format on

}  // namespace

TEST_SUITE("core") {
  TEST_CASE("load_balance: rfc3074 hash: known answers") {
    const Hba split128 = fosim::core::hba_from_split(128);
    const Hba split129 = fosim::core::hba_from_split(129);
    int checked = 0;
    for (const Vector& v : vectors) {
      CAPTURE(v.key);
      const std::vector<std::uint8_t> key =
          v.key.empty() ? std::vector<std::uint8_t>{} : bytes(v.key);
      const std::uint8_t bucket = fosim::core::rfc3074_hash(key);
      CHECK(bucket == v.bucket);
      CHECK(bucket / 8 == v.hba_byte);
      CHECK((1u << (bucket % 8)) == v.mask);
      CHECK(fosim::core::balance(split128, key, 0, 3).answerer == v.split128);
      CHECK(fosim::core::balance(split129, key, 0, 3).answerer == v.split129);
      ++checked;
    }
    CHECK(checked == 11);
  }

  TEST_CASE("load_balance: rfc3074 hash: hand trace of aa:bb:cc:dd:ee:ff") {
    // h = 6; 6^ff=249 -> 80; 80^ee=190 -> 246; 246^dd=43 -> 95; 95^cc=147 -> 139;
    // 139^bb=48 -> 180; 180^aa=30 -> 57.
    const auto& t = fosim::core::rfc3074_table;
    CHECK(t[249] == 80);
    CHECK(t[190] == 246);
    CHECK(t[43] == 95);
    CHECK(t[147] == 139);
    CHECK(t[48] == 180);
    CHECK(t[30] == 57);
    // The same NIC hashes differently with and without a client identifier.
    CHECK(fosim::core::rfc3074_hash(bytes("00:11:22:33:44:55")) !=
          fosim::core::rfc3074_hash(bytes("01:00:11:22:33:44:55")));
  }

  TEST_CASE("load_balance: split: HBA bytes") {
    auto expect = [](unsigned split, unsigned ff_bytes, int partial, unsigned zero_bytes) {
      CAPTURE(split);
      const Hba hba = fosim::core::hba_from_split(split);
      unsigned i = 0;
      for (; i < ff_bytes; ++i) CHECK(hba[i] == 0xff);
      if (partial >= 0) CHECK(hba[i++] == partial);
      for (unsigned z = 0; z < zero_bytes; ++z) CHECK(hba[i++] == 0x00);
      CHECK(i == 32);
    };
    expect(0, 0, -1, 32);
    expect(64, 8, -1, 24);
    expect(100, 12, 0x0f, 19);
    expect(128, 16, -1, 16);
    expect(192, 24, -1, 8);
    expect(256, 32, -1, 0);
    CHECK(fosim::core::format_hex(fosim::core::hba_from_split(128)) ==
          "ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:ff:"
          "00:00:00:00:00:00:00:00:00:00:00:00:00:00:00:00");
  }

  TEST_CASE("load_balance: split: bucket b goes to the primary iff b < split") {
    int checked = 0;
    for (unsigned split : {0u, 1u, 100u, 128u, 129u, 255u, 256u}) {
      const Hba hba = fosim::core::hba_from_split(split);
      CHECK(fosim::core::primary_bucket_count(hba) == split);
      bool all = true;
      for (unsigned b = 0; b < 256; ++b)
        all = all && fosim::core::primary_serves(hba, static_cast<std::uint8_t>(b)) == (b < split);
      CHECK(all);
      ++checked;
    }
    CHECK(checked == 7);
    // split 255 leaves bucket 255 (alone) to the secondary.
    CHECK_FALSE(fosim::core::primary_serves(fosim::core::hba_from_split(255), 255));
  }

  TEST_CASE("load_balance: hba: aa... gives odd buckets to the primary, 55... even ones") {
    const auto aa = fosim::core::parse_hba(
        "aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:aa:"
        "aa:aa");
    const auto five = fosim::core::parse_hba(std::string(64, '5'));
    REQUIRE(aa.has_value());
    REQUIRE(five.has_value());
    CHECK(fosim::core::primary_bucket_count(*aa) == 128);
    CHECK(fosim::core::primary_serves(*aa, 1));
    CHECK_FALSE(fosim::core::primary_serves(*aa, 0));
    CHECK(fosim::core::primary_serves(*five, 0));
    CHECK_FALSE(fosim::core::primary_serves(*five, 1));
  }

  TEST_CASE("load_balance: load balance max seconds: strict less-than, 0 turns it off") {
    const Hba all_primary = fosim::core::hba_from_split(256);
    // Bucket 57 belongs to the primary under split 256.
    SUBCASE("max 3: secs 0-3 balanced, 4 and up answered by both") {
      for (std::uint32_t secs : {0u, 1u, 2u, 3u}) {
        CHECK(fosim::core::load_balance_mine(Role::primary, &all_primary, 57, secs, 3));
        CHECK_FALSE(fosim::core::load_balance_mine(Role::secondary, &all_primary, 57, secs, 3));
      }
      CHECK(fosim::core::load_balance_mine(Role::secondary, &all_primary, 57, 4, 3));
      CHECK(fosim::core::balance(all_primary, bytes("aa:bb:cc:dd:ee:ff"), 4, 3).reason ==
            fosim::core::BalanceReason::secs_over_maximum);
    }
    SUBCASE("max 0 (ISC's default when omitted): both answer everything") {
      CHECK(fosim::core::load_balance_mine(Role::secondary, &all_primary, 57, 0, 0));
      CHECK(fosim::core::balance(all_primary, bytes("aa:bb:cc:dd:ee:ff"), 0, 0).answerer ==
            Answerer::both);
    }
    SUBCASE("a secondary without the primary's HBA claims nothing") {
      CHECK_FALSE(fosim::core::load_balance_mine(Role::secondary, nullptr, 57, 0, 3));
      CHECK(fosim::core::load_balance_mine(Role::secondary, nullptr, 57, 4, 3));
    }
  }

  TEST_CASE("load_balance: ISC's own unit test (dhcp server/tests/load_bal_unittest.c)") {
    // HBA all ones, chaddr 0e (bucket 232), load balance max seconds 5.
    const Hba ones = fosim::core::hba_from_split(256);
    const std::uint8_t bucket = fosim::core::rfc3074_hash(bytes("0e"));
    struct Case {
      std::uint32_t secs;
      bool byte_order;
      bool primary;
      bool secondary;
    };
    const Case cases[] = {{0, false, true, false},  {2, false, true, false},
                          {6, false, true, true},   {257, false, true, true},
                          {256, true, true, false}, {1536, true, true, true}};
    int checked = 0;
    for (const Case& c : cases) {
      CAPTURE(c.secs);
      const std::uint32_t secs = fosim::core::effective_secs(c.secs, c.byte_order);
      CHECK(fosim::core::load_balance_mine(Role::primary, &ones, bucket, secs, 5) == c.primary);
      CHECK(fosim::core::load_balance_mine(Role::secondary, &ones, bucket, secs, 5) == c.secondary);
      ++checked;
    }
    CHECK(checked == 6);
  }

  TEST_CASE("load_balance: parsing: MACs, client-ids and HBAs") {
    CHECK(bytes("52:54:00:02:bf:f8") ==
          std::vector<std::uint8_t>{0x52, 0x54, 0x00, 0x02, 0xbf, 0xf8});
    CHECK(bytes("52-54-00-02-BF-F8") == bytes("52:54:00:02:bf:f8"));
    CHECK(bytes("52540002bff8") == bytes("52:54:00:02:bf:f8"));
    CHECK(bytes("52:54:0:2:bf:f8") == bytes("52:54:00:02:bf:f8"));
    for (std::string_view bad :
         {"", "5254000", "52:54:xx", "52:54-00", "52::54", "52:54:", "123:45", "g0"})
      CHECK_FALSE(fosim::core::parse_hex_bytes(bad).has_value());
    CHECK_FALSE(fosim::core::parse_hba("ff:ff").has_value());
    CHECK_FALSE(fosim::core::parse_hba(std::string(66, 'f')).has_value());
    const Hba h = fosim::core::hba_from_split(100);
    CHECK(fosim::core::parse_hba(fosim::core::format_hex(h)) == h);
  }
}
