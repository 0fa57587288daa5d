// Failover messages' names and reject reasons, in ISC's words from the catalogue.
#include "fosim/sim/message.hpp"

#include "fosim/sim/isc_wording.hpp"

namespace fosim::sim {

std::string_view to_string(MessageType t) { return isc_message_name(t); }

std::string_view to_string(Reject r) { return isc_reject_text(r); }

}  // namespace fosim::sim
