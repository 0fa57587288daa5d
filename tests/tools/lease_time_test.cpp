// `fosim lease-time` as a user runs it.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "cli_run.hpp"

using Run = fosim::test::CliRun;
using fosim::test::run_fosim;

TEST_SUITE("tools") {
  TEST_CASE("cli: lease-time: first grant, renewal after the ack, partner-bound grant") {
    const Run first = run_fosim(
        {"lease-time", "--desired", "3600", "--mclt", "1800", "--tsfp", "0", "--now", "1000"});
    CHECK(first.rc == 0);
    CHECK(first.out.find("granted 1800 s (capped at MCLT") == 0);
    CHECK(first.out.find("tstp    5500") != std::string::npos);
    const auto renew =
        nlohmann::json::parse(run_fosim({"lease-time", "--desired", "3600", "--mclt", "1800",
                                         "--tsfp", "5500", "--now", "1900", "--json"})
                                  .out);
    CHECK(renew["granted_s"] == 3600);
    CHECK(renew["tstp"] == 7300);
    const auto bound =
        nlohmann::json::parse(run_fosim({"lease-time", "--desired", "3600", "--mclt", "1800",
                                         "--tsfp", "2000", "--now", "1900", "--json"})
                                  .out);
    CHECK(bound["granted_s"] == 1900);
    CHECK(bound["tstp"] == 6450);
  }

  TEST_CASE("cli: lease-time: desired time derived from the pool settings") {
    // default 60, max 120: min-lease-time 300 capped at 120 raises D to 120 (< MCLT).
    const auto j = nlohmann::json::parse(
        run_fosim({"lease-time", "--default-lease-time", "60", "--max-lease-time", "120", "--mclt",
                   "1800", "--now", "0", "--json"})
            .out);
    CHECK(j["desired_s"] == 120);
    CHECK(j["granted_s"] == 120);
    // The mclt is spelled as in scenario files and summary.json.
    CHECK(j["mclt"] == 1800);
    CHECK_FALSE(j.contains("mclt_s"));
  }

  TEST_CASE("cli: lease-time: bad input is exit 2") {
    CHECK(run_fosim({"lease-time", "--desired", "3600", "--now", "0"}).rc == 2);
    CHECK(run_fosim({"lease-time", "--desired", "3600", "--mclt", "1800"}).rc == 2);
    CHECK(run_fosim({"lease-time", "--desired", "-1", "--mclt", "1800", "--now", "0"}).rc == 2);
    CHECK(run_fosim({"lease-time", "--desired", "x", "--mclt", "1800", "--now", "0"}).rc == 2);
    CHECK(run_fosim({"lease-time", "--mclt", "1800", "--now", "0"}).rc == 2);
    const Run both = run_fosim(
        {"lease-time", "--desired", "1", "--requested", "2", "--mclt", "1", "--now", "0"});
    CHECK(both.rc == 2);
    CHECK(both.err.find("not both") != std::string::npos);
  }
}
