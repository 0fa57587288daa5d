// The run report's HTML page: its sections, with the page's data, style sheet and script
// inlined (nothing is fetched). The data is report_data.cpp, the style and script
// report_page.cpp.
#include "fosim/tools/report.hpp"

#include "fosim/tools/escape.hpp"

namespace fosim::tools {

// The page's style and script (report_page.cpp).
extern const char* const report_css;
extern const char* const report_script;

std::string report_html(const nlohmann::ordered_json& data, const std::string& diagram_svg,
                        const std::string& diagram_note) {
  const std::string title = "fosim report: " + data.value("name", std::string("run"));
  std::string html;
  html.reserve(diagram_svg.size() + 200000);
  html += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" +
          escape_html(title) + "</title>\n<style>\n";
  html += report_css;
  html +=
      "</style>\n</head>\n<body>\n<header id=\"top\"></header>\n"
      "<section id=\"swimlanes\"><h2>Failover states</h2>"
      "<p class=\"hint\">Scroll over a chart to zoom the time axis, drag to pan, double-click to "
      "see the whole run. Hover for exact times and values.</p>"
      "<div class=\"chart\" id=\"lanes-chart\"></div></section>\n"
      "<section id=\"leases\"><h2>Lease activity</h2><div class=\"chart\" "
      "id=\"grants-chart\"></div>"
      "<div id=\"lease-times\"></div></section>\n"
      "<section id=\"pools\"><h2>Pools</h2><div class=\"chart\" "
      "id=\"pools-chart\"></div></section>\n"
      "<section id=\"findings\"><h2>Monitor findings</h2><div "
      "id=\"findings-list\"></div></section>\n"
      "<section id=\"diagram\"><h2>State diagram of this run</h2>\n";
  if (!diagram_svg.empty()) {
    const std::size_t start = diagram_svg.find("<svg");
    html += "<div class=\"diagram\">" +
            (start == std::string::npos ? diagram_svg : diagram_svg.substr(start)) + "</div>\n";
  } else {
    html += "<p class=\"warning\" id=\"diagram-missing\">" + escape_html(diagram_note) + "</p>\n";
  }
  html +=
      "</section>\n<section id=\"timeline\"><h2>Timeline</h2><div id=\"events\"></div></section>\n";
  html += "<script type=\"application/json\" id=\"run-data\">" +
          script_safe(data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)) +
          "</script>\n<script>\n";
  html += report_script;
  html += "</script>\n</body>\n</html>\n";
  return html;
}

}  // namespace fosim::tools
