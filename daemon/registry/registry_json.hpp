// registry_json.hpp — registry records to and from JSON, with validation of every field.
//
// Parsing checks each record on its own (ids, coordinates, radius, polygons, dates, string
// sizes, unknown fields) and the document as a whole (duplicate ids within it). It does not
// check references or ids against the store: check.hpp does that, given a lookup.
// Error policy: never throws; a problem comes back as Error naming the field, e.g.
// {invalid, "aols[3].radius_m", "must be > 0 and <= 50000"}. Pure; safe from any thread.
//
// JSON shapes (see docs/registry-api.md):
//   client  {"id","name","home_region","active"}
//   device  {"id","client_id","active"}
//   aop     {"id","client_id","signalement","pleger","case_worker","valid_from","valid_until",
//            "photo_refs":[…],"active"}
//   aol     {"id","client_id","label","address","instructions","lat","lon","radius_m",
//            "zone":<GeoJSON Polygon>,"active"}
//   region  {"id","name","area":<GeoJSON Polygon or MultiPolygon>,"active"}
//   document {"clients":[…],"devices":[…],"aops":[…],"aols":[…],"regions":[…]}
#pragma once

#include <string>
#include <string_view>

#include "registry/types.hpp"

namespace aware::registry {

// One record of `kind` (the body of POST /api/v1/<kinds> or PUT …/<id>). Field paths carry no
// prefix ("radius_m"). With `path_id` (PUT), a missing "id" is taken from it and a different
// one is an error.
Result<Document> parse_record(Kind kind, std::string_view body,
                              std::string_view path_id = {});

// A whole import document; every array is optional. Field paths are "aols[3].radius_m".
Result<Document> parse_document(std::string_view body);

// A GeoJSON FeatureCollection of Polygon/MultiPolygon features with properties.id and
// properties.name, as regions (all active).
Result<Document> parse_regions_geojson(std::string_view body);

// The first record of `kind` in `doc` as a JSON object ("{}" when there is none).
std::string record_json(const Document& doc, Kind kind);
// {"<kinds>":[…]} with every record of `kind`.
std::string list_json(const Document& doc, Kind kind);
// The export document: all five arrays.
std::string document_json(const Document& doc);
// The active regions of `doc` as a GeoJSON FeatureCollection for the consoles' maps: one
// Feature per region with properties {"id","name"} and its area (MultiPolygon). Nothing else
// of the registry (no personal data).
std::string region_outlines_json(const Document& doc);
// {"error":"<field>: <what>"}
std::string error_json(const Error& error);
// {"error":"<text>"} for messages that are not about a field.
std::string error_json(std::string_view text);

// The number of records of `kind` in `doc`.
std::size_t count(const Document& doc, Kind kind);

}  // namespace aware::registry
