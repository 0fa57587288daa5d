// The `fosim` executable: hands the command line to the dispatcher and returns its exit code.
#include <iostream>

#include "fosim/tools/cli.hpp"

int main(int argc, char** argv) {
  fosim::tools::Args args(argv + 1, argv + argc);
  return fosim::tools::run_cli(args, {std::cout, std::cerr});
}
