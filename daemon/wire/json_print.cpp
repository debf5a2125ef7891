// json_print.cpp — see json_print.hpp.
#include "wire/json_print.hpp"

#include <cfloat>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <type_traits>

namespace aware::wire::detail {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// protobuf's own float and double text (SimpleFtoa / SimpleDtoa): the shortest of 6 (float)
// or 15 (double) significant digits that reads back as the same value, else 9 or 17.
template <typename T>
void put_real(std::string& out, T value) {
  if (std::isnan(value)) {
    out += "\"NaN\"";
    return;
  }
  if (std::isinf(value)) {
    out += value > 0 ? "\"Infinity\"" : "\"-Infinity\"";
    return;
  }
  constexpr int kShort = std::is_same_v<T, float> ? FLT_DIG : DBL_DIG;
  constexpr int kLong = std::is_same_v<T, float> ? FLT_DIG + 3 : DBL_DIG + 2;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.*g", kShort, static_cast<double>(value));
  const T back = std::is_same_v<T, float> ? static_cast<T>(std::strtof(buf, nullptr))
                                           : static_cast<T>(std::strtod(buf, nullptr));
  if (back != value) {
    std::snprintf(buf, sizeof buf, "%.*g", kLong, static_cast<double>(value));
  }
  out += buf;
}

template <typename T>
void put_integer(std::string& out, T value, bool quoted) {
  char buf[24];
  const auto end = std::to_chars(buf, buf + sizeof buf, value).ptr;
  if (quoted) {
    out += '"';
  }
  out.append(buf, end);
  if (quoted) {
    out += '"';
  }
}

// Length of the valid UTF-8 sequence at text[at], or 0 when it is not one.
std::size_t utf8_length(std::string_view text, std::size_t at) {
  const auto c = static_cast<unsigned char>(text[at]);
  const std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
  if (n == 0 || at + n > text.size()) {
    return 0;
  }
  std::uint32_t cp = n == 1 ? c : c & (0x7fU >> n);
  for (std::size_t i = 1; i < n; ++i) {
    const auto cc = static_cast<unsigned char>(text[at + i]);
    if ((cc & 0xc0) != 0x80) {
      return 0;
    }
    cp = (cp << 6) | (cc & 0x3f);
  }
  static constexpr std::uint32_t kLeast[] = {0, 0, 0x80, 0x800, 0x10000};
  const bool valid = cp >= kLeast[n] && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
  return valid ? n : 0;
}

// A JSON string: quotes, backslashes and control characters escaped; bytes that are not UTF-8
// become U+FFFD, so a frame is always valid text.
void put_string(std::string& out, std::string_view text) {
  out += '"';
  for (std::size_t at = 0; at < text.size();) {
    const char c = text[at];
    const auto n = utf8_length(text, at);
    if (n == 0) {
      out += "\\ufffd";
      ++at;
      continue;
    }
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
      out += buf;
    } else {
      out.append(text.substr(at, n));
    }
    at += n;
  }
  out += '"';
}

void put_base64(std::string& out, std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  out += '"';
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    std::uint32_t v = static_cast<unsigned char>(bytes[i]) << 16;
    const std::size_t left = bytes.size() - i;
    if (left > 1) {
      v |= static_cast<unsigned char>(bytes[i + 1]) << 8;
    }
    if (left > 2) {
      v |= static_cast<unsigned char>(bytes[i + 2]);
    }
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += left > 1 ? kAlphabet[(v >> 6) & 63] : '=';
    out += left > 2 ? kAlphabet[v & 63] : '=';
  }
  out += '"';
}

void put_message(std::string& out, const Message& msg);

// One value of `field` (element `index` of a repeated field, or -1 for a singular one).
void put_value(std::string& out, const Message& msg, const FieldDescriptor& field, int index) {
  const Reflection& r = *msg.GetReflection();
  const bool rep = index >= 0;
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      put_integer(out, rep ? r.GetRepeatedInt32(msg, &field, index) : r.GetInt32(msg, &field), false);
      break;
    case FieldDescriptor::CPPTYPE_UINT32:
      put_integer(out, rep ? r.GetRepeatedUInt32(msg, &field, index) : r.GetUInt32(msg, &field), false);
      break;
    case FieldDescriptor::CPPTYPE_INT64:  // the JSON mapping quotes 64-bit integers
      put_integer(out, rep ? r.GetRepeatedInt64(msg, &field, index) : r.GetInt64(msg, &field), true);
      break;
    case FieldDescriptor::CPPTYPE_UINT64:
      put_integer(out, rep ? r.GetRepeatedUInt64(msg, &field, index) : r.GetUInt64(msg, &field), true);
      break;
    case FieldDescriptor::CPPTYPE_DOUBLE:
      put_real(out, rep ? r.GetRepeatedDouble(msg, &field, index) : r.GetDouble(msg, &field));
      break;
    case FieldDescriptor::CPPTYPE_FLOAT:
      put_real(out, rep ? r.GetRepeatedFloat(msg, &field, index) : r.GetFloat(msg, &field));
      break;
    case FieldDescriptor::CPPTYPE_BOOL:
      out += (rep ? r.GetRepeatedBool(msg, &field, index) : r.GetBool(msg, &field)) ? "true" : "false";
      break;
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int number = rep ? r.GetRepeatedEnumValue(msg, &field, index) : r.GetEnumValue(msg, &field);
      const auto* value = field.enum_type()->FindValueByNumber(number);
      if (value != nullptr) {
        put_string(out, value->name());
      } else {
        put_integer(out, number, false);  // a number this build does not know by name
      }
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string scratch;
      const auto& text = rep ? r.GetRepeatedStringReference(msg, &field, index, &scratch)
                             : r.GetStringReference(msg, &field, &scratch);
      if (field.type() == FieldDescriptor::TYPE_BYTES) {
        put_base64(out, text);
      } else {
        put_string(out, text);
      }
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      put_message(out, rep ? r.GetRepeatedMessage(msg, &field, index) : r.GetMessage(msg, &field));
      break;
  }
}

// Fields in declaration order. Like MessageToJsonString with always_print_primitive_fields:
// every singular scalar and every repeated field is printed (an empty list as []); a message
// field, or a member of a oneof, only when set.
void put_message(std::string& out, const Message& msg) {
  const auto& desc = *msg.GetDescriptor();
  const Reflection& r = *msg.GetReflection();
  out += '{';
  bool first = true;
  for (int i = 0; i < desc.field_count(); ++i) {
    const FieldDescriptor& field = *desc.field(i);
    const bool optional_kind = field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE ||
                               field.containing_oneof() != nullptr;
    if (!field.is_repeated() && optional_kind && !r.HasField(msg, &field)) {
      continue;
    }
    if (!first) {
      out += ',';
    }
    first = false;
    out += '"';
    out += field.json_name();
    out += "\":";
    if (!field.is_repeated()) {
      put_value(out, msg, field, -1);
      continue;
    }
    out += '[';
    const int n = r.FieldSize(msg, &field);
    for (int k = 0; k < n; ++k) {
      if (k > 0) {
        out += ',';
      }
      put_value(out, msg, field, k);
    }
    out += ']';
  }
  out += '}';
}

}  // namespace

std::string to_json(const google::protobuf::Message& msg) {
  // Our own printer over protobuf reflection: the same JSON mapping as protobuf's
  // MessageToJsonString, which goes through a generic object tree and cost about 40 % of
  // awared's CPU under load (docs/performance.md, "End to end").
  std::string out;
  out.reserve(512);
  put_message(out, msg);
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
