// test_json_print.cpp — wire's own protobuf → JSON printer (wire/json_print.hpp) against the
// reference, protobuf's MessageToJsonString with always_print_primitive_fields: for every
// message type the consoles and devices exchange, filled at random through reflection (every
// field kind, nesting, empty and filled lists, oneofs, enum numbers without a name, NaN and
// infinities, escapes and multi-byte UTF-8), both outputs parse to the same JSON value. Also:
// bytes that are not UTF-8 become U+FFFD, so a frame is always valid text.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include <google/protobuf/util/json_util.h>
#include <nlohmann/json.hpp>

#include "device.pb.h"
#include "feeds.pb.h"
#include "meldkamer.pb.h"
#include "wire/json_print.hpp"

namespace v1 = aware::v1;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

namespace {

const std::vector<std::string> kTexts{
    "", "M-000042", "Jansen, \"Anna\"", "back\\slash", "tab\there\nnew line\x01\x1f",
    "café", "€ 20", "😀 emoji", "<script>&amp;</script>", "\u2028line\u2029sep", "/slash/",
    std::string(300, 'x')};

const std::vector<double> kReals{0.0,     -0.0,    1.0,      52.3702157, 4.8951679, -179.999999,
                                 1e-7,    1e300,   5e-324,   0.1,        1.0 / 3.0, 123456789.125,
                                 std::numeric_limits<double>::quiet_NaN(),
                                 std::numeric_limits<double>::infinity(),
                                 -std::numeric_limits<double>::infinity()};

class Filler {
 public:
  explicit Filler(unsigned seed) : rng_{seed} {}

  void fill(Message& msg, int depth) {
    const auto& desc = *msg.GetDescriptor();
    const auto& r = *msg.GetReflection();
    for (int i = 0; i < desc.field_count(); ++i) {
      const auto& field = *desc.field(i);
      if (field.is_repeated()) {
        const int n = pick(4);
        for (int k = 0; k < n; ++k) {
          add(msg, r, field, depth);
        }
      } else if (field.containing_oneof() == nullptr || pick(3) == 0) {
        if (field.cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE || (depth < 4 && pick(4) != 0)) {
          set(msg, r, field, depth);
        }
      }
    }
  }

 private:
  int pick(int n) { return std::uniform_int_distribution<int>{0, n - 1}(rng_); }
  template <typename T>
  T any_of(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(pick(static_cast<int>(v.size())))];
  }
  std::int64_t wide() {
    const std::vector<std::int64_t> v{0, 1, -1, 42, 1'700'000'000'000,
                                      std::numeric_limits<std::int64_t>::max(),
                                      std::numeric_limits<std::int64_t>::min()};
    return any_of(v);
  }
  int enum_number(const FieldDescriptor& field) {
    const auto* e = field.enum_type();
    return pick(5) == 0 ? 77 : e->value(pick(e->value_count()))->number();  // 77: no name
  }

  void set(Message& msg, const google::protobuf::Reflection& r, const FieldDescriptor& f,
           int depth) {
    switch (f.cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32: r.SetInt32(&msg, &f, static_cast<std::int32_t>(wide())); break;
      case FieldDescriptor::CPPTYPE_UINT32: r.SetUInt32(&msg, &f, static_cast<std::uint32_t>(wide())); break;
      case FieldDescriptor::CPPTYPE_INT64: r.SetInt64(&msg, &f, wide()); break;
      case FieldDescriptor::CPPTYPE_UINT64: r.SetUInt64(&msg, &f, static_cast<std::uint64_t>(wide())); break;
      case FieldDescriptor::CPPTYPE_DOUBLE: r.SetDouble(&msg, &f, any_of(kReals)); break;
      case FieldDescriptor::CPPTYPE_FLOAT: r.SetFloat(&msg, &f, static_cast<float>(any_of(kReals))); break;
      case FieldDescriptor::CPPTYPE_BOOL: r.SetBool(&msg, &f, pick(2) == 1); break;
      case FieldDescriptor::CPPTYPE_ENUM: r.SetEnumValue(&msg, &f, enum_number(f)); break;
      case FieldDescriptor::CPPTYPE_STRING: r.SetString(&msg, &f, any_of(kTexts)); break;
      case FieldDescriptor::CPPTYPE_MESSAGE: fill(*r.MutableMessage(&msg, &f), depth + 1); break;
    }
  }

  void add(Message& msg, const google::protobuf::Reflection& r, const FieldDescriptor& f,
           int depth) {
    switch (f.cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32: r.AddInt32(&msg, &f, static_cast<std::int32_t>(wide())); break;
      case FieldDescriptor::CPPTYPE_UINT32: r.AddUInt32(&msg, &f, static_cast<std::uint32_t>(wide())); break;
      case FieldDescriptor::CPPTYPE_INT64: r.AddInt64(&msg, &f, wide()); break;
      case FieldDescriptor::CPPTYPE_UINT64: r.AddUInt64(&msg, &f, static_cast<std::uint64_t>(wide())); break;
      case FieldDescriptor::CPPTYPE_DOUBLE: r.AddDouble(&msg, &f, any_of(kReals)); break;
      case FieldDescriptor::CPPTYPE_FLOAT: r.AddFloat(&msg, &f, static_cast<float>(any_of(kReals))); break;
      case FieldDescriptor::CPPTYPE_BOOL: r.AddBool(&msg, &f, pick(2) == 1); break;
      case FieldDescriptor::CPPTYPE_ENUM: r.AddEnumValue(&msg, &f, enum_number(f)); break;
      case FieldDescriptor::CPPTYPE_STRING: r.AddString(&msg, &f, any_of(kTexts)); break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        if (depth < 4) {
          fill(*r.AddMessage(&msg, &f), depth + 1);
        }
        break;
    }
  }

  std::mt19937 rng_;
};

std::string reference(const Message& msg) {
  google::protobuf::util::JsonPrintOptions options;
  options.always_print_primitive_fields = true;
  std::string out;
  REQUIRE(google::protobuf::util::MessageToJsonString(msg, &out, options).ok());
  return out;
}

template <typename M>
void same_as_reference(unsigned seeds) {
  for (unsigned seed = 1; seed <= seeds; ++seed) {
    M msg;
    Filler{seed}.fill(msg, 0);
    const auto ours = aware::wire::detail::to_json(msg);
    const auto theirs = reference(msg);
    INFO("seed " << seed << "\nours:   " << ours << "\ntheirs: " << theirs);
    REQUIRE(nlohmann::json::parse(ours) == nlohmann::json::parse(theirs));
  }
}

}  // namespace

TEST_CASE("json print: console feed and requests print as protobuf's JSON mapping does",
          "[wire][json]") {
  same_as_reference<v1::ConsoleFeed>(300);
  same_as_reference<v1::ConsoleRequest>(100);
}

TEST_CASE("json print: PAC and case-worker feeds print as protobuf's JSON mapping does",
          "[wire][json]") {
  same_as_reference<v1::PacFeed>(200);
  same_as_reference<v1::PacRequest>(50);
  same_as_reference<v1::NoticeFeed>(200);
}

TEST_CASE("json print: device messages with bytes fields print as protobuf's mapping does",
          "[wire][json]") {
  same_as_reference<v1::DeviceMessage>(200);
  same_as_reference<v1::ServerMessage>(100);
}

TEST_CASE("json print: empty messages print every scalar and every list", "[wire][json]") {
  v1::Incident empty;
  const auto j = nlohmann::json::parse(aware::wire::detail::to_json(empty));
  CHECK(j.at("id") == "");
  CHECK(j.at("receivedMs") == "0");  // 64-bit integers are quoted
  CHECK(j.at("batteryPct") == 0);
  CHECK(j.at("priority") == "PRIORITY_UNSPECIFIED");
  CHECK(j.at("track") == nlohmann::json::array());
  CHECK_FALSE(j.contains("aop"));  // an unset message is left out
  CHECK(j == nlohmann::json::parse(reference(empty)));
}

TEST_CASE("json print: bytes that are not UTF-8 become U+FFFD and the text stays valid",
          "[wire][json]") {
  v1::IncidentNote note;
  note.set_author(std::string("ab\xff\xc3(\xe2\x82", 7) + "z\xf0\x9f\x98\x80");
  const auto text = aware::wire::detail::to_json(note);
  const auto j = nlohmann::json::parse(text);  // throws on invalid UTF-8
  // 0xff; 0xc3 before "(" ; 0xe2 0x82 before "z" (a cut three-byte sequence: two replacements)
  CHECK(j.at("author") ==
        "ab\xef\xbf\xbd\xef\xbf\xbd(\xef\xbf\xbd\xef\xbf\xbdz\xf0\x9f\x98\x80");
}
