// Runs the `fosim` command line in-process and captures what a user would see.
#pragma once

#include <initializer_list>
#include <sstream>
#include <string>

#include "fosim/tools/cli.hpp"

namespace fosim::test {

/// The exit code and both streams of one command.
struct CliRun {
  int rc;
  std::string out;
  std::string err;
};

/// Runs `fosim ARGS...` and returns what it printed and its exit code.
inline CliRun run_fosim(std::initializer_list<std::string> args) {
  std::ostringstream out, err;
  const int rc = fosim::tools::run_cli(fosim::tools::Args(args), {out, err});
  return {rc, out.str(), err.str()};
}

/// Runs `fosim ARGS...` with `input` on its standard input.
inline CliRun run_fosim_with_input(std::initializer_list<std::string> args,
                                   const std::string& input) {
  std::ostringstream out, err;
  std::istringstream in(input);
  const int rc = fosim::tools::run_cli(fosim::tools::Args(args), {out, err, &in});
  return {rc, out.str(), err.str()};
}

}  // namespace fosim::test
