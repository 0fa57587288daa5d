#include "fosim/sim/message.hpp"

namespace fosim::sim {

std::string_view to_string(MessageType t) {
  switch (t) {
    case MessageType::poolreq:
      return "pool-request";
    case MessageType::poolresp:
      return "pool-response";
    case MessageType::bndupd:
      return "bind-update";
    case MessageType::bndack:
      return "bind-ack";
    case MessageType::connect:
      return "connect";
    case MessageType::connectack:
      return "connect-ack";
    case MessageType::updreqall:
      return "update-request-all";
    case MessageType::upddone:
      return "update-done";
    case MessageType::updreq:
      return "update-request";
    case MessageType::state:
      return "state";
    case MessageType::contact:
      return "contact";
    case MessageType::disconnect:
      return "disconnect";
  }
  return "?";
}

std::string_view to_string(Reject r) {
  switch (r) {
    case Reject::none:
      return "";
    case Reject::illegal_ip_addr:
      return "Illegal IP address (not part of any address pool).";
    case Reject::fatal_conflict:
      return "Fatal conflict exists: address in use by other client.";
    case Reject::missing_bind_info:
      return "Missing binding information.";
    case Reject::time_mismatch:
      return "Connection rejected, time mismatch too great.";
    case Reject::invalid_mclt:
      return "Connection rejected, invalid MCLT.";
    case Reject::dup_connection:
      return "Connection rejected, duplicate connection.";
    case Reject::invalid_partner:
      return "Connection rejected, invalid failover partner.";
    case Reject::less_critical_bind_info:
      return "Less critical binding information.";
    case Reject::hba_conflict:
      return "Hash bucket assignment conflict.";
  }
  return "Unknown Error.";
}

}  // namespace fosim::sim
