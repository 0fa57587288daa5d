// The `fosim` executable: hands the command line to the dispatcher and returns its exit code.
#include <unistd.h>

#include <iostream>

#include "fosim/tools/cli.hpp"
#include "fosim/tools/fd_stream.hpp"

int main(int argc, char** argv) {
  fosim::tools::Args args(argv + 1, argv + argc);
  // Standard output through a buffer that keeps why a write failed (a full disk, /dev/full);
  // line by line on a terminal, so a long run's timeline shows as it goes.
  fosim::tools::FdBuf out_buf(STDOUT_FILENO, ::isatty(STDOUT_FILENO) != 0);
  std::ostream out(&out_buf);
  return fosim::tools::run_cli(args, {out, std::cerr, &std::cin});
}
