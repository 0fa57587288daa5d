// The named values a catalogue template is filled with, and the two halves of the catalogue
// that meet in them: the table (isc_wording.cpp) and the events (wording_events.cpp).
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "fosim/sim/isc_wording.hpp"

namespace fosim::sim {

/// A template's values by name (a handful at most).
class Fields {
 public:
  /// Sets the value of `name`.
  void set(std::string_view name, std::string value) {
    for (std::size_t i = 0; i < size_; ++i)
      if (items_[i].first == name) {
        items_[i].second = std::move(value);
        return;
      }
    if (size_ < items_.size()) items_[size_++] = {name, std::move(value)};
  }
  /// Returns the value of `name`, or empty.
  std::string_view get(std::string_view name) const {
    for (std::size_t i = 0; i < size_; ++i)
      if (items_[i].first == name) return items_[i].second;
    return {};
  }
  /// Whether `name` has been set.
  bool has(std::string_view name) const {
    for (std::size_t i = 0; i < size_; ++i)
      if (items_[i].first == name) return true;
    return false;
  }

 private:
  std::array<std::pair<std::string_view, std::string>, 10> items_{};
  std::size_t size_ = 0;
};

/// Returns `tpl` with each {name} replaced by its value.
std::string fill(std::string_view tpl, const Fields& f);
/// Matches `line` against `tpl`, setting the values of its fields; false when it does not fit.
bool unfill(std::string_view tpl, std::string_view line, Fields& f);

/// Sets the values `body` fills its entry with, and returns the entry.
Wording fields_of(const RunEventBody& body, Fields& f);
/// Builds the event an ISC entry's values describe; nothing when a value does not read.
std::optional<RunEventBody> body_of(Wording w, const Fields& f);

/// fosim's optional pieces of its annotations.
std::string_view piece_no_lease_file();
std::string_view piece_shutdown_first();
std::string_view piece_no_omapi_client();
std::string_view piece_message_rejected();
std::string_view piece_message_startup();

}  // namespace fosim::sim
