// `fosim check` as a script sees it: exit codes and FILE:LINE messages.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "cli_run.hpp"

namespace fs = std::filesystem;
using fosim::test::run_fosim;

namespace {
const std::string conf = std::string(FOSIM_SOURCE_DIR) + "/scenarios/dhcpd/";
}  // namespace

TEST_SUITE("tools") {
  TEST_CASE("cli: check: the field report's pair is clean, a broken copy is not") {
    const auto ok = run_fosim({"check", conf + "field-report-primary.conf", conf + "field-report-secondary.conf"});
    CHECK(ok.rc == 0);
    CHECK(ok.out == "ok: 2 failover peer declarations, no problem found\n");

    // The secondary given the primary's split: ISC refuses it (reference §7.3 #9), on line 10.
    std::ifstream in(conf + "field-report-secondary.conf");
    std::stringstream s;
    s << in.rdbuf();
    std::string text = s.str();
    const std::string at = "  load balance max seconds 3;\n";
    text.replace(text.find(at), at.size(), at + "  split 128;\n");
    const fs::path dir = fs::temp_directory_path() / ("fosim-check-test-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    const fs::path broken = dir / "secondary.conf";
    std::ofstream(broken) << text;
    const auto bad = run_fosim({"check", conf + "field-report-primary.conf", broken.string()});
    CHECK(bad.rc == 1);
    CHECK(bad.out.find(broken.string() + ":13: error: failover peer dhcp-failover: a secondary may not define") !=
          std::string::npos);
    CHECK(bad.out.find("1 error, 0 warnings") != std::string::npos);
    fs::remove_all(dir);
  }

  TEST_CASE("cli: check: unreadable input and misuse are exit 2") {
    CHECK(run_fosim({"check", conf + "field-report-primary.conf", "/nonexistent.conf"}).rc == 2);
    CHECK(run_fosim({"check", conf + "field-report-primary.conf"}).rc == 2);
  }
}
