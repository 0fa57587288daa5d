// `fosim hash` as a user runs it.
#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "cli_run.hpp"

using Run = fosim::test::CliRun;
using fosim::test::run_fosim;

TEST_SUITE("tools") {
  TEST_CASE("cli: hash: buckets and answering server") {
    const Run r = run_fosim({"hash", "aa:bb:cc:dd:ee:ff", "00:00:00:00:00:03", "--json"});
    REQUIRE(r.rc == 0);
    const auto doc = nlohmann::json::parse(r.out);
    REQUIRE(doc.size() == 2);
    CHECK(doc[0]["bucket"] == 57);
    CHECK(doc[0]["server"] == "primary");
    CHECK(doc[1]["bucket"] == 128);
    CHECK(doc[1]["server"] == "secondary");  // split 128: buckets 0..127 only
    const Run r129 = run_fosim({"hash", "00:00:00:00:00:03", "--split", "129", "--json"});
    CHECK(nlohmann::json::parse(r129.out)[0]["server"] == "primary");
  }

  TEST_CASE("cli: hash: client identifiers hash the whole option-61 value") {
    const Run r = run_fosim({"hash", "--client-id", "01:00:11:22:33:44:55", "--json"});
    REQUIRE(r.rc == 0);
    CHECK(nlohmann::json::parse(r.out)[0]["bucket"] == 223);
    CHECK(nlohmann::json::parse(r.out)[0]["key_kind"] == "client-id");
  }

  TEST_CASE("cli: hash: secs above load balance max seconds, or max 0, means both answer") {
    CHECK(run_fosim({"hash", "aa:bb:cc:dd:ee:ff", "--secs", "4", "--lb-max-secs", "3"})
              .out.find("both") != std::string::npos);
    CHECK(run_fosim({"hash", "aa:bb:cc:dd:ee:ff", "--lb-max-secs", "0"})
              .out.find("load balancing off") != std::string::npos);
    const Run text = run_fosim({"hash", "52:54:00:02:bf:f8"});
    CHECK(text.rc == 0);
    CHECK(text.out.find("52:54:00:02:bf:f8") != std::string::npos);
  }

  TEST_CASE("cli: hash: bad input is exit 2 with one line naming the problem") {
    struct Bad {
      std::initializer_list<std::string> args;
      std::string_view says;
    };
    const Bad cases[] = {
        {{"hash"}, "at least one"},
        {{"hash", "zz:zz"}, "not a MAC"},
        {{"hash", "aa:bb", "--split", "257"}, "0 to 256"},
        {{"hash", "aa:bb", "--split", "-1"}, "0 to 256"},
        {{"hash", "aa:bb", "--split", "1", "--hba", "ff"}, "not both"},
        {{"hash", "aa:bb", "--hba", "ff:ff"}, "32 hex bytes"},
        {{"hash", "aa:bb", "--secs", "x"}, "secs"},
    };
    int checked = 0;
    for (const Bad& b : cases) {
      const Run r = run_fosim(b.args);
      CAPTURE(r.err);
      CHECK(r.rc == 2);
      CHECK(r.err.find(b.says) != std::string::npos);
      CHECK(r.err.find('\n') == r.err.size() - 1);
      ++checked;
    }
    CHECK(checked == 7);
  }
}
