// Reading a failover relationship as Micetro or Windows describes it: the description object
// to read, which format it is, and the checks of the servers it gives (the formats themselves
// are read in import_micetro.cpp and import_windows.cpp). See failover_import.hpp.
#include "fosim/formats/failover_import.hpp"

#include <algorithm>
#include <cctype>

#include "format_list.hpp"
#include "fosim/core/peer_config.hpp"
#include "import_fields.hpp"
#include "json_text.hpp"

namespace fosim::sim {
namespace {

using detail::Json;
using detail::lower;

/// Whether `host` can name a server: a host name or an address, no spaces or controls.
bool host_name(const std::string& host) {
  return !host.empty() && std::any_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
  }) && std::none_of(host.begin(), host.end(), [](char c) {
    return static_cast<unsigned char>(c) <= ' ';
  });
}

/// The description object to read: the top level, a JSON-RPC style "params" member, or the
/// element of an array named `name`.
const Json* pick(const Json& j, const std::string& name, std::string& base, std::string& problem) {
  if (j.is_object() && j.contains("params") && j["params"].is_object()) {
    base = "/params";
    return &j["params"];
  }
  if (j.is_object()) return &j;
  if (!j.is_array()) {
    problem = "expected an object (or an array of relationships)";
    return nullptr;
  }
  std::vector<std::string> names;
  const Json* found = nullptr;
  if (j.empty()) {
    problem = "an empty list: no relationship";
    return nullptr;
  }
  for (std::size_t i = 0; i < j.size(); ++i) {
    if (!j[i].is_object()) {
      problem = "element " + std::to_string(i) + " of the list is not an object (a relationship)";
      return nullptr;
    }
    for (const auto& [key, value] : j[i].items())
      if (lower(key) == "name" && value.is_string()) {
        names.push_back(value.get<std::string>());
        if (name.empty() ? j.size() == 1 : value.get<std::string>() == name) {
          found = &j[i];
          base = "/" + std::to_string(i);
        }
      }
  }
  if (found == nullptr) {
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    problem = name.empty()
                  ? "the file holds " + std::to_string(j.size()) + " relationships; say which"
                  : "no relationship named '" + name + "'";
    problem += list.empty() ? "" : " (it has: " + list + ")";
  }
  return found;
}

/// Checks the imported declarations the way a scenario's are checked, naming the input field
/// that gave the setting at fault.
void validate(ImportedRelationship& r, const std::string& file, std::string_view text,
              const std::string& base) {
  for (std::size_t i = 0; i < 2; ++i) {
    core::PeerConfig& c = r.servers[i].config;
    c.name = r.name;
    c.role = i == 0 ? core::Role::primary : core::Role::secondary;
    if (!c.address) c.address = r.servers[i].host;
  }
  for (std::size_t i = 0; i < 2; ++i) {
    core::PeerConfig& c = r.servers[i].config;
    if (!c.peer_address) c.peer_address = r.servers[1 - i].config.address;
  }
  for (std::size_t i = 0; i < 2; ++i)
    for (const core::Problem& p : core::validate(r.servers[i].config)) {
      if (p.severity != core::Severity::error) continue;
      const detail::ImportField* f = r.format == ImportFormat::micetro
                                         ? detail::field_for(detail::micetro_fields, p.field)
                                         : detail::field_for(detail::windows_fields, p.field);
      const std::string path = f == nullptr ? base : base + "/" + std::string(f->field);
      r.errors.push_back({file, detail::line_of(text, path), path,
                          r.servers[i].host + ": " + p.message +
                              (p.isc_message.empty() ? "" : " (ISC: \"" + p.isc_message + "\")"),
                          p.valid});
    }
}

}  // namespace

std::string_view to_string(ImportFormat f) {
  return f == ImportFormat::micetro ? "micetro" : "windows";
}

std::optional<ImportFormat> parse_import_format(std::string_view text) {
  if (text == "micetro") return ImportFormat::micetro;
  if (text == "windows") return ImportFormat::windows;
  return std::nullopt;
}

ImportedRelationship import_relationship(std::string_view text, const std::string& file,
                                         std::optional<ImportFormat> format,
                                         const std::string& name) {
  ImportedRelationship r;
  Json j;
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  const bool json_like =
      first != std::string_view::npos && (text[first] == '{' || text[first] == '[');
  const std::optional<Json> listed = json_like ? std::nullopt : detail::read_format_list(text);
  if (listed) {
    j = listed->size() == 1 ? (*listed)[0] : *listed;
  } else {
    try {
      j = Json::parse(text);
    } catch (const Json::exception& e) {
      const std::size_t byte = e.id == 101 ? static_cast<const Json::parse_error&>(e).byte : 0;
      std::string what = e.what();
      if (auto p = what.find("] "); p != std::string::npos) what = what.substr(p + 2);
      r.errors.push_back({file, byte ? detail::line_at(text, byte - 1) : 0, "", "JSON " + what,
                          "well-formed JSON, or Format-List text (Key : Value lines)"});
      return r;
    }
  }
  std::string base, problem;
  const Json* obj = pick(j, name, base, problem);
  if (obj == nullptr) {
    r.errors.push_back(
        {file, 1, "", problem,
         j.is_array() ? "--name NAME, or the scenario's \"relationship\"" : "a JSON object"});
    return r;
  }
  if (!format) {
    bool micetro = false, windows = false;
    for (const auto& [key, value] : obj->items()) {
      micetro = micetro || lower(key) == "primaryserver";
      windows = windows || lower(key) == "partnerserver";
    }
    if (micetro == windows) {
      r.errors.push_back({file, 1, base,
                          micetro
                              ? "both PrimaryServer and PartnerServer: is it Micetro or Windows?"
                              : "neither PrimaryServer (Micetro) nor PartnerServer (Windows)",
                          "say --format micetro or --format windows"});
      return r;
    }
    format = micetro ? ImportFormat::micetro : ImportFormat::windows;
  }
  r.format = *format;
  if (r.format == ImportFormat::micetro)
    detail::read_micetro(*obj, base, text, file, r);
  else
    detail::read_windows(*obj, base, text, file, r);
  if (r.errors.empty() && !name.empty() && r.name != name)
    r.errors.push_back({file, detail::line_of(text, base + "/Name"), base + "/Name",
                        "the relationship is called '" + r.name + "', not '" + name + "'", r.name});
  for (std::size_t i = 0; i < 2 && r.errors.empty(); ++i)
    if (!host_name(r.servers[i].host))
      r.errors.push_back({file, 1, base, "'" + r.servers[i].host + "' is not a server name",
                          "a host name or an IPv4 address"});
  if (r.errors.empty() && lower(r.servers[0].host) == lower(r.servers[1].host))
    r.errors.push_back({file, 1, base, "both servers are called '" + r.servers[0].host + "'",
                        "two different servers"});
  if (r.errors.empty()) validate(r, file, text, base);
  return r;
}

}  // namespace fosim::sim
