// Escaping for HTML, XML and JSON inside <script>: known answers for every character each
// escape changes, and the ones it leaves alone.
#include "fosim/tools/escape.hpp"

#include <doctest/doctest.h>

#include <string>

using fosim::tools::escape_html;
using fosim::tools::escape_xml;
using fosim::tools::script_safe;

TEST_SUITE("tools") {
  TEST_CASE("escape: html escapes &, <, > and \" only") {
    CHECK(escape_html("") == "");
    CHECK(escape_html("partner-down") == "partner-down");
    CHECK(escape_html("a&b<c>d\"e") == "a&amp;b&lt;c&gt;d&quot;e");
    CHECK(escape_html("it's\ta\nb") == "it's\ta\nb");
    CHECK(escape_html("&amp;") == "&amp;amp;");
  }

  TEST_CASE("escape: xml also escapes ', keeps newline and tab, blanks other controls") {
    CHECK(escape_xml("") == "");
    CHECK(escape_xml("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&apos;f");
    CHECK(escape_xml("a\nb\tc") == "a&#10;b&#9;c");
    CHECK(escape_xml(std::string("a\x01", 2) + "b\x1f" + "c\r") == "a b c ");
    CHECK(escape_xml(std::string("\0", 1)) == " ");
    CHECK(escape_xml("caf\xc3\xa9 \x7f") == "caf\xc3\xa9 \x7f");  // UTF-8 and DEL pass through
  }

  TEST_CASE("escape: JSON for <script> writes every < as \\u003c") {
    CHECK(script_safe("{\"a\":\"</script><!--\"}") == "{\"a\":\"\\u003c/script>\\u003c!--\"}");
    CHECK(script_safe("{\"a\":\"&>\"}") == "{\"a\":\"&>\"}");
  }
}
