// The pieces the Micetro and Windows importers share: case-blind lookup of a description's
// keys, the readers of its values, and where an imported setting goes. See import_fields.hpp.
#include "import_fields.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "json_text.hpp"

namespace fosim::sim::detail {
namespace {

std::string dumped(const Json& v) {
  return v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// "[d.]hh:mm:ss[.fraction]" or a fosim duration, in seconds.
std::optional<double> clock_text(const std::string& s) {
  if (s.find(':') == std::string::npos) {
    if (auto d = parse_duration(s)) return static_cast<double>(d->count()) / 1000.0;
    return std::nullopt;
  }
  // [d.]hh:mm:ss[.fraction]
  double days = 0;
  std::string rest = s;
  const std::size_t colon = s.find(':');
  const std::size_t dot = s.find('.');
  if (dot != std::string::npos && dot < colon) {
    const std::string d = s.substr(0, dot);
    if (d.empty() || d.size() > 6 || !std::all_of(d.begin(), d.end(), ::isdigit))
      return std::nullopt;
    days = std::stod(d);
    rest = s.substr(dot + 1);
  }
  int h = 0, m = 0;
  double sec = 0;
  char c1 = 0, c2 = 0;
  int used = 0;
  if (std::sscanf(rest.c_str(), "%2d%c%2d%c%lf%n", &h, &c1, &m, &c2, &sec, &used) != 5 ||
      c1 != ':' || c2 != ':' || static_cast<std::size_t>(used) != rest.size() || h < 0 || h > 23 ||
      m < 0 || m > 59 || sec < 0 || sec >= 60)
    return std::nullopt;
  return days * 86400 + h * 3600 + m * 60 + sec;
}

}  // namespace

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string number(double v) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", v);
  return text;
}

std::string host_of(const std::string& server) {
  std::string h = server;
  while (!h.empty() && h.back() == '.') h.pop_back();
  return h;
}

Fields::Fields(const Json& j, std::string base, std::string_view text, std::string file,
               ImportedRelationship& out)
    : base_(std::move(base)), text_(text), file_(std::move(file)), out_(out) {
  for (const auto& [key, value] : j.items()) {
    const auto it = keys_.find(lower(key));
    if (it != keys_.end()) {
      out_.errors.push_back(
          {file_, line_of(text_, base_ + "/" + key), base_ + "/" + key,
           "'" + it->second.first + "' and '" + key + "' are the same key in other case",
           "give it once"});
      continue;
    }
    keys_.emplace(lower(key), std::make_pair(key, &value));
  }
}

const Json* Fields::get(std::string_view key) {
  used_.push_back(lower(key));
  const auto it = keys_.find(lower(key));
  return it == keys_.end() || it->second.second->is_null() ? nullptr : it->second.second;
}

std::string Fields::path(std::string_view key) const {
  const auto it = keys_.find(lower(key));
  return base_ + "/" + (it == keys_.end() ? std::string(key) : it->second.first);
}

void Fields::error(std::string_view key, const std::string& message, const std::string& valid) {
  out_.errors.push_back({file_, line_of(text_, path(key)), path(key), message, valid});
}

void Fields::note(std::string_view key, const std::string& message, const std::string& valid) {
  out_.notes.push_back({file_, key.empty() ? 0 : line_of(text_, path(key)),
                        key.empty() ? "" : path(key), message, valid});
}

std::vector<std::string> Fields::unused() const {
  std::vector<std::string> out;
  for (const auto& [k, v] : keys_)
    if (std::find(used_.begin(), used_.end(), k) == used_.end()) out.push_back(v.first);
  return out;
}

std::optional<std::string> Fields::string(std::string_view key, bool required) {
  const Json* v = get(key);
  if (v == nullptr) {
    if (required) error(key, "missing " + std::string(key), "a non-empty string");
    return std::nullopt;
  }
  if (!v->is_string() || v->get<std::string>().empty()) {
    error(key, "expected a non-empty string, found " + dumped(*v), "a quoted name");
    return std::nullopt;
  }
  return v->get<std::string>();
}

std::optional<std::int64_t> Fields::integer(std::string_view key, std::int64_t min,
                                            std::int64_t max) {
  const Json* v = get(key);
  if (v == nullptr) return std::nullopt;
  std::optional<std::int64_t> n;
  if (v->is_number_integer()) {
    n = v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX)
            ? INT64_MAX
            : v->get<std::int64_t>();
  } else if (v->is_string()) {
    const std::string s = v->get<std::string>();
    if (!s.empty() && s.size() <= 12 &&
        std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      n = std::stoll(s);
  }
  const std::string range = std::to_string(min) + " to " + std::to_string(max);
  if (!n) {
    error(key, "expected a whole number, found " + dumped(*v), range);
  } else if (*n < min || *n > max) {
    error(key,
          std::string(key) + " " + (v->is_string() ? v->get<std::string>() : dumped(*v)) +
              " is out of range",
          range);
    n.reset();
  }
  return n;
}

std::optional<double> Fields::percent(std::string_view key) {
  const Json* v = get(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number() || !std::isfinite(v->get<double>()) || v->get<double>() < 0 ||
      v->get<double>() > 100) {
    error(key, "expected a percentage, found " + dumped(*v), "0 to 100");
    return std::nullopt;
  }
  return v->get<double>();
}

std::optional<bool> Fields::boolean(std::string_view key) {
  const Json* v = get(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_string() &&
      (lower(v->get<std::string>()) == "true" || lower(v->get<std::string>()) == "false"))
    return lower(v->get<std::string>()) == "true";
  error(key, "expected true or false, found " + dumped(*v), "true, false");
  return std::nullopt;
}

std::optional<std::int64_t> Fields::timespan(std::string_view key, std::int64_t max) {
  const Json* v = get(key);
  if (v == nullptr) return std::nullopt;
  std::optional<double> seconds;
  if (v->is_number()) {
    seconds = v->get<double>();
  } else if (v->is_object()) {
    if (v->contains("TotalSeconds") && (*v)["TotalSeconds"].is_number())
      seconds = (*v)["TotalSeconds"].get<double>();
    else if (v->contains("Ticks") && (*v)["Ticks"].is_number())
      seconds = (*v)["Ticks"].get<double>() / 1e7;
  } else if (v->is_string()) {
    seconds = clock_text(v->get<std::string>());
  }
  if (!seconds || !std::isfinite(*seconds) || *seconds < 0 || *seconds > static_cast<double>(max)) {
    error(key, "not a time span: " + dumped(*v),
          "seconds, \"hh:mm:ss\", \"d.hh:mm:ss\", or a TimeSpan object with TotalSeconds");
    return std::nullopt;
  }
  if (*seconds != std::floor(*seconds))
    note(key, std::string(key) + " rounded to whole seconds: ISC counts in seconds");
  return static_cast<std::int64_t>(std::llround(*seconds));
}

std::optional<std::int64_t> Fields::setting(const ImportField& f) {
  const core::PeerSetting& s = setting_of(f);
  if (f.reading == Reading::timespan) return timespan(f.field, s.max);
  return integer(f.field, s.min, f.max != 0 ? f.max : s.max);
}

std::int64_t split_for(double pct, Fields& f, std::string_view key) {
  const auto split = static_cast<std::int64_t>(std::llround(pct * 256.0 / 100.0));
  if (std::abs(static_cast<double>(split) * 100.0 / 256.0 - pct) > 1e-9) {
    char share[32];
    std::snprintf(share, sizeof share, "%.2f", static_cast<double>(split) * 100.0 / 256.0);
    f.note(key, std::string(key) + " " + number(pct) + " % becomes split " + std::to_string(split) +
                    ": the primary answers " + std::to_string(split) + " of 256 hash buckets (" +
                    share + " %)");
  }
  return split;
}

void set_setting(ImportedRelationship& r, std::string_view key, std::int64_t v) {
  const core::PeerSetting& s = core::peer_setting(key);
  r.servers[0].config.*(s.number) = v;
  if (s.holder == core::Holder::each) r.servers[1].config.*(s.number) = v;
}

}  // namespace fosim::sim::detail
