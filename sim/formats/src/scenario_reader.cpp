// The value kinds every section of a scenario file shares, and the references between sections
// (server names, states). See scenario_reader.hpp.
#include "scenario_reader.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "json_text.hpp"

namespace fosim::sim::detail {
namespace {

std::string quoted(const Json& j) {
  return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// `j` as a signed 64-bit number; unsigned values past INT64_MAX become INT64_MAX.
std::int64_t clamped(const Json& j) {
  return j.is_number_unsigned() && j.get<std::uint64_t>() > INT64_MAX ? INT64_MAX
                                                                      : j.get<std::int64_t>();
}

}  // namespace

void Reader::error(const std::string& path, const std::string& message, const std::string& valid) {
  errors.push_back({file_, line_of(text_, path), path, message, valid});
}

void Reader::warning(const std::string& path, const std::string& message,
                     const std::string& valid) {
  warnings.push_back({file_, line_of(text_, path), path, message, valid});
}

void Reader::add(bool is_error, const std::string& path, const std::string& message,
                 const std::string& valid) {
  (is_error ? errors : warnings).push_back({file_, line_of(text_, path), path, message, valid});
}

bool Reader::object(const Json& j, const std::string& path, const Keys& allowed,
                    const Keys& required) {
  if (!j.is_object()) {
    error(path.empty() ? "/" : path, "expected an object", "{ ... } with keys " + list(allowed));
    return false;
  }
  for (const auto& [key, value] : j.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      error(path + "/" + key, "unknown key '" + key + "'", list(allowed));
  }
  for (std::string_view r : required)
    if (!j.contains(std::string(r)))
      error(path + "/" + std::string(r), "missing required key", std::string(r));
  return true;
}

std::optional<std::string> Reader::string(const Json& j, const std::string& path) {
  if (!j.is_string()) {
    error(path, "expected a string", "a quoted string");
    return std::nullopt;
  }
  return j.get<std::string>();
}

std::optional<bool> Reader::boolean(const Json& j, const std::string& path) {
  if (!j.is_boolean()) {
    error(path, "expected true or false", "true, false");
    return std::nullopt;
  }
  return j.get<bool>();
}

std::optional<std::int64_t> Reader::integer(const Json& j, const std::string& path,
                                            std::int64_t min, std::int64_t max,
                                            const std::string& valid) {
  if (!j.is_number_integer()) {
    error(path, "expected a whole number", valid);
    return std::nullopt;
  }
  const std::int64_t v = clamped(j);
  if (v < min || v > max) {
    error(path, "value " + std::to_string(v) + " is out of range", valid);
    return std::nullopt;
  }
  return v;
}

std::optional<Duration> Reader::duration(const Json& j, const std::string& path) {
  std::optional<Duration> d;
  if (j.is_number()) {
    const double v = j.get<double>();
    if (std::isfinite(v) && v >= 0 && v < 1e12)
      d = Duration{static_cast<std::int64_t>(std::llround(v * 1000.0))};
  } else if (j.is_string()) {
    d = parse_duration(j.get<std::string>());
  }
  if (!d) {
    error(path, "not a duration: " + quoted(j),
          "seconds as a number, or \"250ms\", \"90s\", \"30m\", \"2h\", \"1d\", \"1h30m\" (0 to "
          "3650d)");
  } else if (*d > max_duration) {
    error(path, "duration " + quoted(j) + " is longer than fosim plays", "0 to 3650d (ten years)");
    d.reset();
  }
  return d;
}

std::optional<Duration> Reader::signed_duration(const Json& j, const std::string& path,
                                                bool negative_numbers) {
  if (j.is_string() && !j.get<std::string>().empty() && j.get<std::string>()[0] == '-') {
    if (auto d = parse_duration(j.get<std::string>().substr(1))) return -*d;
    error(path, "not a duration", "e.g. \"90s\" or \"-2m\"");
    return std::nullopt;
  }
  if (negative_numbers && j.is_number())
    return Duration{static_cast<std::int64_t>(std::llround(j.get<double>() * 1000.0))};
  return duration(j, path);
}

std::optional<std::int64_t> Reader::config_seconds(const Json& j, const std::string& path) {
  // ISC keeps these in 32 bits on the wire; negatives are left to the validation that follows.
  constexpr std::int64_t max_s = 4294967295;
  if (j.is_number_integer()) {
    const std::int64_t v = clamped(j);
    if (v > max_s || v < -max_s) {
      error(path, "value " + quoted(j) + " is out of range", "whole seconds, at most 4294967295");
      return std::nullopt;
    }
    return v;
  }
  const auto d = duration(j, path);
  if (!d) return std::nullopt;
  if (d->count() % 1000 != 0) {
    error(path, "ISC takes whole seconds here", "a whole number of seconds");
    return std::nullopt;
  }
  return d->count() / 1000;
}

std::optional<core::Seconds> Reader::positive_seconds(const Json& j, const std::string& path,
                                                      const std::string& valid) {
  const auto v = config_seconds(j, path);
  if (!v) return std::nullopt;
  if (*v <= 0) {
    error(path, "must be positive", valid);
    return std::nullopt;
  }
  return core::Seconds{*v};
}

std::optional<std::uint32_t> Reader::ipv4(const Json& j, const std::string& path) {
  const auto s = string(j, path);
  if (!s) return std::nullopt;
  std::uint32_t out = 0;
  int parts = 0;
  std::size_t i = 0;
  while (i <= s->size() && parts < 4) {
    std::size_t k = i;
    while (k < s->size() && (*s)[k] >= '0' && (*s)[k] <= '9') ++k;
    if (k == i || k - i > 3) break;
    const int v = std::stoi(s->substr(i, k - i));
    if (v > 255) break;
    out = (out << 8) | static_cast<std::uint32_t>(v);
    ++parts;
    if (k == s->size()) {
      i = k + 1;
      break;
    }
    if ((*s)[k] != '.') break;
    i = k + 1;
  }
  if (parts != 4 || i != s->size() + 1) {
    error(path, "'" + *s + "' is not an IPv4 address", "dotted quad, e.g. 192.168.102.110");
    return std::nullopt;
  }
  return out;
}

std::optional<std::int64_t> Reader::value(const Json& j, const std::string& path,
                                          const ValueRule& rule, std::string_view key) {
  const std::string valid(rule.valid);
  switch (rule.kind) {
    case Kind::count:
      return integer(j, path, rule.min, rule.max, valid);
    case Kind::flag:
      if (const auto b = boolean(j, path)) return *b ? 1 : 0;
      return std::nullopt;
    case Kind::choice:
      if (const auto s = string(j, path)) {
        for (std::size_t i = 0; i < rule.names.size(); ++i)
          if (rule.names[i] == *s) return static_cast<std::int64_t>(i);
        error(path, "unknown " + std::string(key) + " '" + *s + "'", valid);
      }
      return std::nullopt;
    case Kind::duration:
    case Kind::seconds: {
      std::optional<std::int64_t> v;
      if (rule.kind == Kind::seconds) {
        v = config_seconds(j, path);
      } else if (const auto d = duration(j, path)) {
        v = d->count();
      }
      if (v && *v < rule.min) {
        error(path, std::string(rule.too_small), valid);
        return std::nullopt;
      }
      return v;
    }
    case Kind::fraction:
      return fraction(j, path, rule);
    case Kind::utc_time:
      if (const auto t = string(j, path)) {
        if (const auto ms = parse_utc(*t)) return *ms;
        error(path, "'" + *t + "' is not a UTC date and time", valid);
      }
      return std::nullopt;
    case Kind::day_window:
      if (const auto t = string(j, path)) {
        if (const auto w = parse_day_window(*t)) return pack_day_window(*w);
        error(path, "'" + *t + "' is not a span of the day (HH:MM-HH:MM)", valid);
      }
      return std::nullopt;
    case Kind::macs:
      break;
  }
  return std::nullopt;
}

std::optional<std::int64_t> Reader::fraction(const Json& j, const std::string& path,
                                             const ValueRule& rule) {
  std::optional<double> v;
  if (j.is_number()) {
    v = j.get<double>();
  } else if (j.is_string()) {
    // "0.02" (as --what-if passes it) or "2%"
    std::string text = j.get<std::string>();
    const bool percent = !text.empty() && text.back() == '%';
    if (percent) text.pop_back();
    char* end = nullptr;
    const double d = std::strtod(text.c_str(), &end);
    if (!text.empty() && end == text.c_str() + text.size()) v = percent ? d / 100.0 : d;
  }
  const double max = static_cast<double>(rule.max) / 1e6;
  if (!v || !std::isfinite(*v) || *v < 0 || *v > max) {
    error(path, "not a fraction: " + quoted(j), std::string(rule.valid));
    return std::nullopt;
  }
  return std::llround(*v * 1e6);
}

std::string Reader::list(const Keys& keys) {
  std::string out;
  for (std::string_view k : keys) out += (out.empty() ? "" : ", ") + std::string(k);
  return out;
}

std::optional<std::size_t> server_ref(Reader& r, const Json& v, const std::string& p,
                                      const Scenario& sc) {
  const auto s = r.string(v, p);
  if (!s) return std::nullopt;
  if (*s == "primary" || *s == sc.servers[0].host) return 0;
  if (*s == "secondary" || *s == sc.servers[1].host) return 1;
  r.error(p, "no server '" + *s + "'",
          "primary, secondary, " + sc.servers[0].host + " or " + sc.servers[1].host);
  return std::nullopt;
}

namespace {

/// A state given as {"local_state": N, "numbering": "isc" | "isc3"}, as OMAPI shows it.
std::optional<core::State> numbered_state(Reader& r, const Json& v, const std::string& p) {
  // object() reports a missing local_state; [] on a const json must not be asked for it.
  if (!r.object(v, p, {"local_state", "numbering"}, {"local_state"}) || !v.contains("local_state"))
    return std::nullopt;
  const auto n =
      r.integer(v["local_state"], p + "/local_state", 0, 255, "an OMAPI local-state number");
  std::string numbering = "isc";
  if (v.contains("numbering"))
    numbering = r.string(v["numbering"], p + "/numbering").value_or("isc");
  if (!n) return std::nullopt;
  if (numbering != "isc" && numbering != "isc3") {
    r.error(p + "/numbering", "unknown numbering '" + numbering + "'",
            "isc (ISC 4.x), isc3 (ISC 3.0.x)");
    return std::nullopt;
  }
  const core::Numbering scheme = numbering == "isc3" ? core::Numbering::isc3 : core::Numbering::isc;
  const core::Numbering other = numbering == "isc3" ? core::Numbering::isc : core::Numbering::isc3;
  const auto s = core::from_number(static_cast<unsigned>(*n), scheme);
  if (!s) {
    r.error(p + "/local_state",
            std::to_string(*n) + " is no state in the " + numbering + " numbering",
            "see fosim states");
    return std::nullopt;
  }
  const auto elsewhere = core::from_number(static_cast<unsigned>(*n), other);
  if (elsewhere && *elsewhere != *s)
    r.warning(p + "/local_state",
              "local-state " + std::to_string(*n) + " is " + std::string(core::to_string(*s)) +
                  " in the " + numbering + " numbering but " +
                  std::string(core::to_string(*elsewhere)) + " in the other",
              "check which numbering your source uses");
  return s;
}

}  // namespace

std::optional<core::State> state_value(Reader& r, const Json& v, const std::string& p) {
  if (v.is_object()) return numbered_state(r, v, p);
  const auto text = r.string(v, p);
  if (!text) return std::nullopt;
  const auto s = core::parse_state(*text);
  if (!s || !core::info(*s).isc) {
    r.error(p, "'" + *text + "' is not a state an ISC server can be set to",
            "e.g. partner-down, normal, startup");
    return std::nullopt;
  }
  return s;
}

}  // namespace fosim::sim::detail
