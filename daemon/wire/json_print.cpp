// json_print.cpp — see json_print.hpp.
#include "wire/json_print.hpp"

namespace aware::wire::detail {

std::string to_json(const google::protobuf::Message& msg) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string out;
  (void)google::protobuf::util::MessageToJsonString(msg, &out, options);
  return out;
}

std::string feed_json(const google::protobuf::Message& feed) {
  auto out = to_json(feed);
  constexpr std::string_view unstamped = ",\"seq\":\"0\"}";
  if (out.size() > unstamped.size() && out.ends_with(unstamped)) {
    out.resize(out.size() - unstamped.size());
    out.push_back('}');
  }
  return out;
}

bool from_json(std::string_view json, google::protobuf::Message& msg, std::string_view what,
               std::string& error) {
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &msg, options);
  if (!status.ok()) {
    error = std::string(what) + std::string(status.message());
    return false;
  }
  return true;
}

}  // namespace aware::wire::detail
