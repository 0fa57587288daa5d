// Escaping text for the markup the tools write: HTML pages and Graphviz HTML labels, JUnit XML,
// and JSON placed inside an HTML <script> element.
//
// The HTML and the XML escapes differ on purpose. The HTML pages and the dot labels escape
// only &, <, > and ", the characters that can end an element, an attribute or an entity. The
// JUnit file also escapes ' (as &apos;), keeps a newline and a tab as character references
// (an XML attribute value would turn them into spaces) and writes every other control
// character as a space, because XML 1.0 does not allow them at all.
#pragma once

#include <string>
#include <string_view>

namespace fosim::tools {

/// Returns `text` with &, <, > and " escaped for HTML (and Graphviz HTML labels).
std::string escape_html(std::string_view text);

/// Returns `text` escaped for an XML 1.0 attribute value or element: &, <, >, " and ' as
/// entities, newline and tab as character references, other control characters as spaces.
std::string escape_xml(std::string_view text);

/// Returns `json` with every '<' written as \u003c, so "</script>" and "<!--" cannot appear
/// in it and it can be placed inside an HTML <script> element as it is.
std::string script_safe(std::string_view json);

}  // namespace fosim::tools
