#include "fosim/core/state.hpp"

#include <string>

namespace fosim::core {
namespace {

// Folds a user's spelling to one form: lower case, '-' between words, no padding.
std::string fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_separator = false;
  for (char c : text) {
    const bool separator = c == ' ' || c == '_' || c == '-' || c == '\t';
    if (separator) {
      pending_separator = !out.empty();
      continue;
    }
    if (pending_separator) out.push_back('-');
    pending_separator = false;
    out.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
  return out;
}

struct Alias {
  std::string_view folded;
  State state;
};

// Spellings that are neither an ISC name nor a Windows identifier but that users paste:
// ISC's C enumerator `shut_down`, the singular "communication interrupted", a bare "unknown".
constexpr std::array<Alias, 3> aliases{{
    {"shut-down", State::shutdown},
    {"communication-interrupted", State::communications_interrupted},
    {"unknown", State::unknown_state},
}};

}  // namespace

std::optional<State> parse_state(std::string_view text) {
  const std::string key = fold(text);
  if (key.empty()) return std::nullopt;
  for (const StateInfo& row : state_table) {
    if (key == row.name) return row.state;
    if (!row.windows_id.empty() && key == fold(row.windows_id)) return row.state;
  }
  for (const Alias& alias : aliases)
    if (key == alias.folded) return alias.state;
  return std::nullopt;
}

}  // namespace fosim::core
