// Scratch files for the command-line tests: a directory per test file and process, and a
// file's bytes read back.
#pragma once

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace fosim::test {

/// Returns `name` in the temporary directory fosim-`test`-test-PID, which it creates.
inline std::filesystem::path scratch_path(const std::string& test, const std::string& name) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() /
                                    ("fosim-" + test + "-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  return dir / name;
}

/// Returns the bytes of file `p` (empty when it cannot be read).
inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace fosim::test
