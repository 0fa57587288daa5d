// What every subcommand does when its output cannot be written: standard output that fails is
// an error (exit 2, named on stderr), never a success with the answer lost.
#include <doctest/doctest.h>

#include <ostream>
#include <sstream>
#include <streambuf>
#include <string>

#include "fosim/tools/cli.hpp"

namespace {

const std::string library = std::string(FOSIM_SOURCE_DIR) + "/scenarios/";

/// A stream buffer that refuses every byte, as a full disk does.
class RefusingBuf final : public std::streambuf {
 protected:
  int_type overflow(int_type) override { return traits_type::eof(); }
  int sync() override { return -1; }
};

struct Failed {
  int rc;
  std::string err;
};

/// Runs `fosim ARGS...` with a standard output that fails at the first byte.
Failed run_refused(const fosim::tools::Args& args) {
  RefusingBuf refusing;
  std::ostream out(&refusing);
  std::ostringstream err;
  const int rc = fosim::tools::run_cli(args, {out, err});
  return {rc, err.str()};
}

constexpr std::string_view said = "fosim: cannot write to standard output: ";

}  // namespace

TEST_SUITE("tools") {
  TEST_CASE("cli: output: a failed standard output is exit 2 for every subcommand") {
    // --help is the one output every subcommand has; the table is walked so that a new
    // subcommand is covered without a line here.
    std::size_t checked = 0;
    for (const fosim::tools::Subcommand& s : fosim::tools::subcommand_table()) {
      CAPTURE(s.name);
      const Failed r = run_refused({std::string(s.name), "--help"});
      CHECK(r.rc == 2);
      CHECK(r.err.find(said) != std::string::npos);
      ++checked;
    }
    CHECK(checked == fosim::tools::subcommand_table().size());
    CHECK(checked == 15);
  }

  TEST_CASE("cli: output: a stream already failed before the command is exit 2 too") {
    std::ostringstream out, err;
    out.setstate(std::ios::badbit);
    const int rc = fosim::tools::run_cli({"states"}, {out, err});
    CHECK(rc == 2);
    CHECK(err.str().find(said) != std::string::npos);
  }

  TEST_CASE("cli: output: a run whose timeline is lost is exit 2, not its verdict") {
    // The field report holds all its expectations (exit 0 on a working stdout).
    const Failed r = run_refused({"run", library + "field-report.json"});
    CHECK(r.rc == 2);
    CHECK(r.err.find(said) != std::string::npos);
  }

  TEST_CASE("cli: output: fosim --help and --version check standard output as well") {
    CHECK(run_refused({"--help"}).rc == 2);
    CHECK(run_refused({"--version"}).rc == 2);
  }
}
