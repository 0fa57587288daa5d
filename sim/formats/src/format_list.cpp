// PowerShell's Format-List text, read as ConvertTo-Json's objects. See format_list.hpp.
#include "format_list.hpp"

#include <cctype>
#include <string>
#include <vector>

namespace fosim::sim::detail {
namespace {

using Json = nlohmann::json;

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())) != 0) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())) != 0) s.remove_suffix(1);
  return s;
}

bool whole_number(std::string_view s) {
  if (s.empty() || s.size() > 18) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

/// A value as ConvertTo-Json writes it.
Json value_of(std::string_view raw) {
  const std::string_view v = trim(raw);
  if (v.empty()) return nullptr;
  if (v == "True") return true;
  if (v == "False") return false;
  if (whole_number(v)) return std::stoll(std::string(v));
  if (v.size() >= 2 && v.front() == '{' && v.back() == '}') {
    Json list = Json::array();
    std::string_view rest = v.substr(1, v.size() - 2);
    while (!trim(rest).empty()) {
      const std::size_t comma = rest.find(',');
      list.push_back(std::string(trim(rest.substr(0, comma))));
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    return list;
  }
  return std::string(v);
}

/// The key of a `Key : Value` line, or nothing. A key is one word of letters and digits.
std::optional<std::string_view> key_of(std::string_view line, std::string_view& value) {
  const std::string_view t = trim(line);
  const std::size_t colon = t.find(" :");
  if (colon == std::string_view::npos || colon == 0) return std::nullopt;
  const std::string_view key = trim(t.substr(0, colon));
  for (char c : key)
    if (std::isalnum(static_cast<unsigned char>(c)) == 0 && c != '_') return std::nullopt;
  value = t.substr(colon + 2);
  return key;
}

}  // namespace

std::optional<Json> read_format_list(std::string_view text) {
  Json records = Json::array();
  Json record = Json::object();
  std::string last_key, last_raw;
  auto close_value = [&] {
    if (!last_key.empty()) record[last_key] = value_of(last_raw);
    last_key.clear();
    last_raw.clear();
  };
  auto close_record = [&] {
    close_value();
    if (!record.empty()) records.push_back(record);
    record = Json::object();
  };
  bool any = false;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(start, end - start);
    start = end + 1;
    const std::string_view t = trim(line);
    std::string_view value;
    if (t.empty()) {
      close_record();
    } else if (t.rfind("PS ", 0) == 0 && t.find('>') != std::string_view::npos) {
      close_record();  // a prompt: the next command's output begins
    } else if (const auto key = key_of(line, value)) {
      close_value();
      if (record.contains(std::string(*key))) close_record();  // a record without a blank line
      last_key = std::string(*key);
      last_raw = std::string(value);
      any = true;
    } else if (!last_key.empty()) {
      last_raw += std::string(t);  // PowerShell wrapped the value
    }
    if (end == text.size()) break;
  }
  close_record();
  if (!any) return std::nullopt;
  return records;
}

}  // namespace fosim::sim::detail
