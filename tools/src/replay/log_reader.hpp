// Internal to fosim replay: a log read line by line as admins have it - plain, gzip-compressed
// (`syslog.2.gz`, by its magic bytes, whatever its name), UTF-16 with a byte-order mark (what
// PowerShell's `>` writes) or UTF-8 with one, from a file or from standard input (`-`). Lines
// come out as UTF-8 without their line ending's carriage return left to the caller.
#pragma once

#include <cstdint>
#include <fstream>
#include <istream>
#include <memory>
#include <optional>
#include <string>

namespace fosim::tools::detail {

class LogReader {
 public:
  LogReader();
  ~LogReader();
  LogReader(const LogReader&) = delete;
  LogReader& operator=(const LogReader&) = delete;
  LogReader(LogReader&&) noexcept;
  LogReader& operator=(LogReader&&) noexcept;

  /// Opens `file` (`-`: `stdin`, which may be null: then `-` is refused). Returns why not.
  std::optional<std::string> open(const std::string& file, std::istream* stdin_stream);
  /// Takes the next line (without its "\n"); false at the end or on an error.
  bool getline(std::string& line);
  /// Why reading stopped early: a read error or a damaged compressed file; empty when none.
  const std::string& error() const;

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace fosim::tools::detail
