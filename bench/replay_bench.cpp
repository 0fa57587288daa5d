// How fast fosim replay reads a log: header, message and model check per line. The log is a
// day of a busy pair (classic syslog; a DHCPREQUEST and its DHCPACK per client exchange, and
// one line of another program between them), built in memory before timing.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>
#include <vector>

#include "fosim/formats/dhcpd_log.hpp"
#include "fosim/replay/replay.hpp"

namespace {

std::vector<std::string> busy_log(std::size_t exchanges, std::uint32_t clients) {
  std::vector<std::string> lines;
  lines.reserve(exchanges * 3);
  std::uint64_t x = 88172645463325252ull;
  char buf[256];
  for (std::size_t i = 0; i < exchanges; ++i) {
    x ^= x << 13, x ^= x >> 7, x ^= x << 17;
    const auto c = static_cast<std::uint32_t>(x % clients);
    const std::size_t t = i / 20;  // 20 exchanges a second
    const char* host = (c & 1) != 0 ? "dhcp-b" : "dhcp-a";
    std::snprintf(buf, sizeof buf,
                  "Nov %2zu %02zu:%02zu:%02zu %s dhcpd[7]: DHCPREQUEST for 10.%u.%u.%u (10.0.0.1) "
                  "from 52:54:00:%02x:%02x:%02x via eth0",
                  1 + t / 86400 % 28, t / 3600 % 24, t / 60 % 60, t % 60, host, c >> 16 & 255,
                  c >> 8 & 255, c & 255, c >> 16 & 255, c >> 8 & 255, c & 255);
    lines.emplace_back(buf);
    std::snprintf(buf, sizeof buf,
                  "Nov %2zu %02zu:%02zu:%02zu %s dhcpd[7]: DHCPACK on 10.%u.%u.%u to "
                  "52:54:00:%02x:%02x:%02x via eth0",
                  1 + t / 86400 % 28, t / 3600 % 24, t / 60 % 60, t % 60, host, c >> 16 & 255,
                  c >> 8 & 255, c & 255, c >> 16 & 255, c >> 8 & 255, c & 255);
    lines.emplace_back(buf);
    lines.emplace_back("Nov  1 00:00:00 other kernel: [12345.678] eth0: some unrelated line");
  }
  return lines;
}

void BM_replay_lines(benchmark::State& state) {
  const auto lines = busy_log(static_cast<std::size_t>(state.range(0)), 100000);
  std::size_t bytes = 0;
  for (const std::string& l : lines) bytes += l.size() + 1;
  for (auto _ : state) {
    fosim::sim::Replay replay({}, nullptr);
    std::string error;
    std::size_t n = 0;
    for (const std::string& l : lines) {
      ++n;
      const auto header = fosim::sim::parse_log_line(l, 2026);
      if (!header) continue;
      const auto event = fosim::sim::classify(header->message);
      if (!event) continue;
      replay.add(header->host, header->time_ms.value_or(0), *event, header->message, "bench.log", n,
                 error);
    }
    replay.finish();
    benchmark::DoNotOptimize(replay.lines());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(lines.size()));
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_replay_lines)->Arg(1000000)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
