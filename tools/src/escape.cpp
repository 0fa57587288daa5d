// Escaping text for HTML, XML and JSON inside an HTML <script> element.
#include "fosim/tools/escape.hpp"

namespace fosim::tools {

namespace {

/// Appends the entity of one of the four characters HTML and XML both escape; false for any
/// other character.
bool append_entity(std::string& out, char c) {
  switch (c) {
    case '&':
      out += "&amp;";
      return true;
    case '<':
      out += "&lt;";
      return true;
    case '>':
      out += "&gt;";
      return true;
    case '"':
      out += "&quot;";
      return true;
    default:
      return false;
  }
}

}  // namespace

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text)
    if (!append_entity(out, c)) out += c;
  return out;
}

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (append_entity(out, c)) continue;
    switch (c) {
      case '\'':
        out += "&apos;";
        break;
      // Kept as character references (an attribute would turn them into spaces); other
      // control characters are not allowed in XML 1.0.
      case '\n':
        out += "&#10;";
        break;
      case '\t':
        out += "&#9;";
        break;
      default:
        out += static_cast<unsigned char>(c) < 0x20 ? ' ' : c;
    }
  }
  return out;
}

std::string script_safe(std::string_view json) {
  std::string out;
  out.reserve(json.size());
  for (const char c : json) {
    if (c == '<')
      out += "\\u003c";
    else
      out += c;
  }
  return out;
}

}  // namespace fosim::tools
