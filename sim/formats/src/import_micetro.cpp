// Reading the parameters of Micetro's AddDHCPFailoverRelationship: the names, the servers, and
// the fields of micetro_fields, each checked against its setting's range (docs/import.md).
#include <array>

#include "import_fields.hpp"

namespace fosim::sim::detail {
namespace {

/// What was read of each of micetro_fields (a percentage, or a number).
struct MicetroValues {
  std::array<std::optional<double>, micetro_fields.size()> percent;
  std::array<std::optional<std::int64_t>, micetro_fields.size()> number;
};

MicetroValues read_values(Fields& f) {
  MicetroValues v;
  for (std::size_t k = 0; k < micetro_fields.size(); ++k) {
    const ImportField& field = micetro_fields[k];
    if (field.reading == Reading::percent)
      v.percent[k] = f.percent(field.field);
    else
      v.number[k] = f.setting(field);
    // The mclt has no default: ISC refuses a primary without one.
    if (field.key == "mclt" && f.get(field.field) == nullptr)
      f.error(field.field, "missing Mclt: ISC needs an mclt on the primary", "seconds, e.g. 3600");
  }
  return v;
}

/// The names a note lists as AddDHCPFailoverRelationship's parameters.
std::string parameters() {
  std::string out = "Name, PrimaryServer, SecondaryServer";
  for (const ImportField& field : micetro_fields) out += ", " + std::string(field.field);
  return out;
}

void apply_values(const MicetroValues& v, Fields& f, ImportedRelationship& r) {
  for (std::size_t k = 0; k < micetro_fields.size(); ++k) {
    const ImportField& field = micetro_fields[k];
    if (field.reading == Reading::percent) {
      set_setting(r, field.key, v.percent[k] ? split_for(*v.percent[k], f, field.field) : 128);
      if (!v.percent[k])
        f.note("", std::string(field.field) +
                       " not given: split 128, the primary answers half of the clients");
      continue;
    }
    if (!v.number[k]) continue;
    set_setting(r, field.key, *v.number[k]);
    if (field.also.empty()) continue;
    set_setting(r, field.also, *v.number[k]);
    f.note(field.field, std::string(field.field) + " " + std::to_string(*v.number[k]) +
                            " is used as both servers' " +
                            std::string(core::peer_setting(field.key).keyword) + " and " +
                            std::string(core::peer_setting(field.also).keyword));
  }
}

}  // namespace

void read_micetro(const Json& j, const std::string& base, std::string_view text,
                  const std::string& file, ImportedRelationship& r) {
  Fields f(j, base, text, file, r);
  const auto name = f.string("Name", true);
  const auto primary = f.string("PrimaryServer", true);
  const auto secondary = f.string("SecondaryServer", true);
  const MicetroValues values = read_values(f);
  for (const std::string& k : f.unused())
    f.note(k, "ignored: " + k + " is not a parameter of AddDHCPFailoverRelationship", parameters());
  if (!r.errors.empty()) return;
  r.name = *name;
  r.servers[0].host = host_of(*primary);
  r.servers[1].host = host_of(*secondary);
  apply_values(values, f, r);
}

}  // namespace fosim::sim::detail
