// json_print.hpp — wire-internal: protobuf messages to the JSON text our feeds send.
#pragma once

#include <string>
#include <string_view>

#include <google/protobuf/message.h>
#include <google/protobuf/util/json_util.h>

namespace aware::wire::detail {

// protobuf's JSON mapping (what MessageToJsonString prints with always_print_primitive_fields:
// a console sees "0" and "" explicitly), written by our own printer over protobuf reflection.
std::string to_json(const google::protobuf::Message& msg);

// A feed message (ConsoleFeed, PacFeed, NoticeFeed: body fields, then `seq` = 4) without its
// seq: to_json writes every scalar, in declaration order, so "seq":"0" comes last and is cut
// off here so that each console session can stamp its own seq in front (seq_prefix).
std::string feed_json(const google::protobuf::Message& feed);

// Parses `json` into `msg` (unknown fields refused). The error text starts with `what`.
bool from_json(std::string_view json, google::protobuf::Message& msg, std::string_view what,
               std::string& error);

}  // namespace aware::wire::detail
