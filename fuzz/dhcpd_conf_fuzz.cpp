// Fuzzes parse_dhcpd_conf() with its includes, and check_pair() on what it read.
//
// The input is a dhcpd.conf, optionally followed by more files, each introduced by a line
// `#file NAME` (a comment to the parser). An `include "NAME";` reads the file of that name from
// the input, and any other name fails as a missing file would, so includes, nested includes and
// include loops are all reachable without a file system. The file named `secondary` (or, when
// there is none, the main file itself) is the other server for check_pair().
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "fosim/core/dhcpd_conf.hpp"

namespace {

constexpr std::string_view marker = "#file ";

/// The text of the file `name` in `input`, or nothing when there is no such file.
std::optional<std::string_view> file_in(std::string_view input, std::string_view name) {
  std::size_t at = 0;
  while ((at = input.find(marker, at)) != std::string_view::npos) {
    const bool line_start = at == 0 || input[at - 1] == '\n';
    const std::size_t name_start = at + marker.size();
    const std::size_t eol = input.find('\n', name_start);
    at = name_start;
    if (!line_start || eol == std::string_view::npos ||
        input.substr(name_start, eol - name_start) != name)
      continue;
    const std::size_t end = input.find(std::string("\n") + std::string(marker), eol);
    return input.substr(
        eol + 1, end == std::string_view::npos ? std::string_view::npos : end + 1 - (eol + 1));
  }
  return std::nullopt;
}

/// The main file: everything before the first `#file` line.
std::string_view main_file(std::string_view input) {
  if (input.substr(0, marker.size()) == marker) return {};
  const std::size_t end = input.find(std::string("\n") + std::string(marker));
  return end == std::string_view::npos ? input : input.substr(0, end + 1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const fosim::core::IncludeReader reader =
      [input](const std::string& path, std::string& error) -> std::optional<std::string> {
    const std::optional<std::string_view> text = file_in(input, path);
    if (!text) {
      error = "No such file or directory";
      return std::nullopt;
    }
    return std::string(*text);
  };
  const fosim::core::DhcpdConf a =
      fosim::core::parse_dhcpd_conf(main_file(input), "dhcpd.conf", reader);
  const std::optional<std::string_view> other = file_in(input, "secondary");
  const fosim::core::DhcpdConf b =
      other ? fosim::core::parse_dhcpd_conf(*other, "secondary", reader) : a;
  (void)fosim::core::check_pair(a, b);
  return 0;
}
