// `fosim leases` as a user runs it: a pair with a planted duplicate and MCLT overrun, its clean
// counterpart, the real excerpts, and bad input. The planted pair (tests/data/leases/) is worked
// by hand: MCLT 3600 s from the secondary's `mclt 3600;`; on the secondary 10.0.0.13 has cltt
// 10:00, tsfp 10:15 and ends 12:00, so max(tsfp, cltt) + MCLT = 11:15 < 12:00; 10.0.0.12 is
// active on both for 52:54:00:00:00:12 and :99; 10.0.0.14 is free on one, backup on the other.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "cli_run.hpp"

using fosim::test::run_fosim;

namespace {
const std::string data = std::string(FOSIM_SOURCE_DIR) + "/tests/data/leases/";

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}
}  // namespace

TEST_SUITE("tools") {
  TEST_CASE("cli: leases: a planted duplicate and MCLT overrun are found, exit 1") {
    const auto r =
        run_fosim({"leases", data + "planted-primary.leases", data + "planted-secondary.leases"});
    CHECK(r.rc == 1);
    CHECK(r.err.empty());
    CHECK(has(r.out, "duplicate: 10.0.0.12 is active on both servers for different clients: " +
                         data + "planted-primary.leases:29 ethernet 52:54:00:00:00:12, " + data +
                         "planted-secondary.leases:31 ethernet 52:54:00:00:00:99\n"));
    CHECK(has(r.out, "mclt: " + data +
                         "planted-secondary.leases:42: 10.0.0.13 ends 1 2026/03/02 "
                         "12:00:00, after max(tsfp, cltt) + mclt 3600 s = 1 2026/03/02 11:15:00"));
    CHECK(has(r.out, "disagreement: 10.0.0.14: both may allocate: free in"));
    CHECK(has(r.out, "1 duplicate(s), 1 MCLT overrun(s), 1 disagreement(s)\n"));
    // The primary's file: 10.0.0.15 declared twice, the later (free) wins: 3 free, 3 active.
    CHECK(has(r.out, "planted-primary.leases: 6 leases (7 lease declarations)\n"));
    CHECK(
        has(r.out, "  free 3, backup 0, active 3, expired 0, released 0, abandoned 0, reset 0\n"));
    CHECK(has(r.out,
              "failover peer \"dhcp-failover\" (secondary): my state normal at 1 "
              "2026/03/02 09:00:00; partner state normal at 1 2026/03/02 09:00:05; mclt "
              "3600 s\n"));
    // Balance: 3 free, 0 backup: lts = 1, thresh = (3*15+50)/100 = 0, hold = (3*10+50)/100 = 0;
    // the oldest free lease (never bound) goes, then lts = 0 stops the second pass.
    CHECK(has(r.out,
              "balance: the primary would hand 1 free lease to the secondary (total 3, "
              "leases to send 1, threshold 0, hold 0"));
  }

  TEST_CASE("cli: leases: the clean pair is exit 0; --json says the same") {
    const auto r =
        run_fosim({"leases", data + "clean-primary.leases", data + "clean-secondary.leases"});
    CHECK(r.rc == 0);
    CHECK(has(r.out, "0 duplicate(s), 0 MCLT overrun(s), 0 disagreement(s)\n"));
    const auto j = run_fosim(
        {"leases", data + "planted-primary.leases", data + "planted-secondary.leases", "--json"});
    CHECK(j.rc == 1);
    const nlohmann::json doc = nlohmann::json::parse(j.out);
    CHECK(doc["mclt_s"] == 3600);
    REQUIRE(doc["findings"].size() == 3);
    CHECK(doc["findings"][0]["kind"] == "duplicate");
    CHECK(doc["findings"][1]["kind"] == "mclt");
    CHECK(doc["findings"][1]["bound"] == 1772450100);  // 2026-03-02 11:15:00 UTC
    CHECK(doc["files"][1]["counts"]["backup"] == 1);
  }

  TEST_CASE("cli: leases: --mclt overrides the file; a shorter one finds more overruns") {
    // With 1800 s the clean secondary's 10.0.0.13 (cltt 10:00, tsfp 10:15, ends 11:00) is over:
    // 10:15 + 30 min = 10:45. Its .11 (tsfp 11:30 -> 12:00, ends 11:00) and .12 (tsfp 10:45 ->
    // 11:15, ends 10:30) fit, as does the primary's .13 (tsfp 13:00).
    const auto r = run_fosim({"leases", data + "clean-primary.leases",
                              data + "clean-secondary.leases", "--mclt", "1800"});
    CHECK(r.rc == 1);
    CHECK(has(r.out,
              "clean-secondary.leases:42: 10.0.0.13 ends 1 2026/03/02 11:00:00, after "
              "max(tsfp, cltt) + mclt 1800 s = 1 2026/03/02 10:45:00"));
    CHECK(has(r.out, "0 duplicate(s), 1 MCLT overrun(s), 0 disagreement(s)\n"));
    // One file alone is checked too: the planted secondary's own mclt 3600.
    const auto one = run_fosim({"leases", data + "planted-secondary.leases"});
    CHECK(one.rc == 1);
    CHECK(has(one.out, "0 duplicate(s), 1 MCLT overrun(s), 0 disagreement(s)\n"));
  }

  TEST_CASE("cli: leases: the real excerpts read without error; no MCLT, no check") {
    const auto r =
        run_fosim({"leases", data + "glass-isc-dhcp-65.leases", data + "glass-isc-dhcp-74.leases"});
    CHECK(r.rc == 0);
    CHECK(r.err.empty());
    CHECK(has(r.out, "partner state communications-interrupted at 1 2020/11/23 11:01:58"));
    CHECK(has(r.out, "no MCLT check"));
    CHECK(has(r.out, "  free 2, backup 0, active 1, expired 0"));
  }

  TEST_CASE("cli: leases: bad input is exit 2 with FILE:LINE") {
    CHECK(run_fosim({"leases"}).rc == 2);
    CHECK(run_fosim({"leases", data + "no-such.leases"}).rc == 2);
    CHECK(run_fosim({"leases", data + "README.md"}).rc == 2);
    const auto r = run_fosim({"leases", data + "README.md"});
    // Line 1 is a Markdown heading: to dhcpd a comment; line 3 is prose.
    CHECK(has(r.err, data + "README.md:3: error: expected a declaration (lease, failover peer,"));
    CHECK(run_fosim({"leases", data + "clean-primary.leases", "--mclt", "-5"}).rc == 2);
    const auto help = run_fosim({"leases", "--help"});
    CHECK(help.rc == 0);
    CHECK(has(help.out, "usage: fosim leases"));
  }
}
