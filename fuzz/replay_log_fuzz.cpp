// Fuzzes fosim replay's reading of logs: every line through parse_log_line() and classify(),
// the understood ones through Replay in order, and the rebuilt outage through the scenario
// writer and reader, which must accept it (a what-if run plays that scenario).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "fosim/formats/dhcpd_log.hpp"
#include "fosim/formats/scenario_json.hpp"
#include "fosim/replay/replay.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  fosim::sim::Replay replay({}, nullptr);
  std::int64_t last = 0;
  std::size_t start = 0, n = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    ++n;
    const auto header = fosim::sim::parse_log_line(line, 2026);
    if (!header || header->bad_time) continue;
    const auto event = fosim::sim::classify(header->message);
    if (!event || std::holds_alternative<fosim::sim::UnreadableLine>(*event)) continue;
    const std::int64_t t = header->time_ms.value_or(last);
    last = t;
    std::string error;
    if (!replay.add(header->host.empty() ? "bare" : header->host, t, *event, header->message,
                    "fuzz.log", n, error))
      break;
  }
  replay.finish();
  std::vector<std::string> notes;
  if (const auto sc = replay.scenario(notes)) {
    const std::string written = fosim::sim::write_scenario(*sc);
    const auto back = fosim::sim::parse_scenario(written, "rebuilt.json");
    if (!back.scenario) std::abort();  // the rebuilt outage must be a scenario fosim can play
  }
  return 0;
}
