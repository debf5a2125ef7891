// json_lines.cpp — JSON line formatting and protobuf JSON (de)serialisation (see json_lines.hpp).
#include "json_lines.hpp"

#include <cstdio>

#include <google/protobuf/util/json_util.h>

namespace aware::console {

std::string json_quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (const char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20U) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

std::string incident_json(const aware::v1::Incident& incident) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  options.always_print_primitive_fields = true;
  options.preserve_proto_field_names = false;
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(incident, &out, options).ok()) {
    return "{}";  // only for invalid UTF-8 in a string field, which the parser already rejects
  }
  return out;
}

std::string incident_line(std::string_view kind, const aware::v1::Incident& incident) {
  return "{\"event\":" + json_quote(kind) + ",\"incident\":" + incident_json(incident) + "}";
}

std::string synced_line(std::size_t count) {
  return "{\"event\":\"synced\",\"count\":" + std::to_string(count) + "}";
}

std::string error_line(const aware::v1::ConsoleError& error) {
  return "{\"event\":\"error\",\"request\":" + json_quote(error.request()) +
         ",\"text\":" + json_quote(error.text()) + "}";
}

std::string disconnected_line(std::string_view reason) {
  return "{\"event\":\"disconnected\",\"reason\":" + json_quote(reason) + "}";
}

std::string resync_line(std::string_view reason) {
  return "{\"event\":\"resync\",\"reason\":" + json_quote(reason) + "}";
}

std::optional<aware::v1::ConsoleFeed> parse_feed(std::string_view text, std::string& error) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = true;
  aware::v1::ConsoleFeed feed;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece{text.data(), text.size()}, &feed, options);
  if (!status.ok()) {
    error = std::string{status.message()};
    return std::nullopt;
  }
  return feed;
}

std::string request_json(const aware::v1::ConsoleRequest& request) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = false;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(request, &out, options);
  return out;
}

aware::v1::ConsoleRequest make_accept(std::string_view incident_id, std::string_view centralist) {
  aware::v1::ConsoleRequest request;
  auto* accept = request.mutable_accept();
  accept->set_incident_id(std::string{incident_id});
  accept->set_centralist(std::string{centralist});
  return request;
}

}  // namespace aware::console
