// `fosim states` and `fosim map` as a user runs them: output, JSON and exit codes.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "cli_run.hpp"

using Run = fosim::test::CliRun;
using fosim::test::run_fosim;

TEST_SUITE("tools") {
  TEST_CASE("cli: map: the examples of the help text") {
    SUBCASE("3.0.x partner down is Windows PARTNER_DOWN 5") {
      const Run r = run_fosim({"map", "1", "--from", "isc3", "--to", "windows"});
      CHECK(r.rc == 0);
      CHECK(r.out == "PARTNER_DOWN 5\n");
    }
    SUBCASE("4.x local-state 1 is startup, not partner-down") {
      const Run r = run_fosim({"map", "1", "--from", "isc", "--to", "name"});
      CHECK(r.rc == 0);
      CHECK(r.out == "startup\n");
    }
    SUBCASE("recover-wait is 254 in 4.x and 11 in 3.0.x") {
      CHECK(run_fosim({"map", "recover wait", "--to", "isc"}).out == "254\n");
      CHECK(run_fosim({"map", "RECOVER_WAIT", "--to", "isc3"}).out == "11\n");
      CHECK(run_fosim({"map", "254", "--from", "isc", "--to", "isc3"}).out == "11\n");
    }
    SUBCASE("a Windows identifier is accepted with --from windows") {
      CHECK(run_fosim({"map", "COMMUNICATION_INT", "--from", "windows", "--to", "isc"}).out ==
            "3\n");
    }
    SUBCASE("without --to every numbering is printed") {
      const Run r = run_fosim({"map", "resolution interrupted"});
      CHECK(r.rc == 0);
      CHECK(r.out.find("isc      10") != std::string::npos);
      CHECK(r.out.find("isc3     4") != std::string::npos);
      CHECK(r.out.find("RESOLUTION_INT 8") != std::string::npos);
    }
  }

  TEST_CASE("cli: map: no counterpart is exit 1, never a guess") {
    const Run cd = run_fosim({"map", "conflict-done", "--to", "isc3"});
    CHECK(cd.rc == 1);
    CHECK(cd.out.empty());
    CHECK(cd.err.find("no counterpart") != std::string::npos);
    CHECK(run_fosim({"map", "INIT", "--to", "isc"}).rc == 1);
    CHECK(run_fosim({"map", "unknown-state", "--to", "windows"}).rc == 1);
    CHECK(run_fosim({"map", "12", "--from", "isc"}).rc == 1);
    CHECK(run_fosim({"map", "partnerdown"}).rc == 1);
  }

  TEST_CASE("cli: map: bad input is exit 2 with one line") {
    for (const Run& r :
         {run_fosim({"map", "4"}), run_fosim({"map", "4", "--from", "omapi"}),
          run_fosim({"map", "x", "--from", "isc"}), run_fosim({"map"}),
          run_fosim({"map", "normal", "--to", "draft"}), run_fosim({"map", "1", "--bogus"})}) {
      CHECK(r.rc == 2);
      CHECK(r.err.find("fosim map: ") == 0);
      CHECK(r.err.find('\n') == r.err.size() - 1);
    }
  }

  TEST_CASE("cli: states: one row per state, JSON with every numbering") {
    const Run text = run_fosim({"states"});
    CHECK(text.rc == 0);
    CHECK(text.out.find("partner-down") != std::string::npos);
    CHECK(text.out.find("COMMUNICATION_INT") != std::string::npos);
    const Run js = run_fosim({"states", "--json"});
    REQUIRE(js.rc == 0);
    const auto doc = nlohmann::json::parse(js.out);
    REQUIRE(doc.size() == 15);
    CHECK(doc[4]["name"] == "partner-down");
    CHECK(doc[4]["isc"] == 4);
    CHECK(doc[4]["isc3"] == 1);
    CHECK(doc[4]["windows"]["id"] == "PARTNER_DOWN");
    CHECK(doc[4]["windows"]["value"] == 5);
    CHECK(doc[11]["isc3"].is_null());
  }

  TEST_CASE("cli: dispatcher: help, version, unknown subcommand") {
    CHECK(run_fosim({"--help"}).rc == 0);
    CHECK(run_fosim({"--version"}).out.find("fosim ") == 0);
    const Run r = run_fosim({"frobnicate"});
    CHECK(r.rc == 2);
    CHECK(r.err.find("valid: run, states, map") != std::string::npos);
    CHECK(run_fosim({}).rc == 2);
    CHECK(run_fosim({"states", "--help"}).out.find("usage: fosim states") == 0);
  }
}
