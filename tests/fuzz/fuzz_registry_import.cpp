// fuzz_registry_import.cpp — libFuzzer harness for registration data from the PAC: the first
// input byte picks the parser (a single record of each kind, a whole import document, or a
// GeoJSON region import), the rest is the request body. What a parser accepts is written back
// as JSON (as the API answers it) and must parse again.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "registry/registry_json.hpp"

namespace reg = aware::registry;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) {
    return 0;
  }
  const std::string_view body{reinterpret_cast<const char*>(data + 1), size - 1};
  reg::Result<reg::Document> doc;
  switch (data[0] % 7U) {
    case 0: doc = reg::parse_document(body); break;
    case 1: doc = reg::parse_regions_geojson(body); break;
    case 2: doc = reg::parse_record(reg::Kind::client, body); break;
    case 3: doc = reg::parse_record(reg::Kind::device, body); break;
    case 4: doc = reg::parse_record(reg::Kind::aop, body); break;
    case 5: doc = reg::parse_record(reg::Kind::aol, body, "AOL-PATH"); break;
    default: doc = reg::parse_record(reg::Kind::region, body); break;
  }
  if (!doc) {
    (void)reg::error_json(doc.error());
    return 0;
  }
  const auto exported = reg::document_json(*doc);
  (void)reg::region_outlines_json(*doc);
  if (!reg::parse_document(exported)) {
    __builtin_trap();  // what was accepted must survive its own export
  }
  return 0;
}
