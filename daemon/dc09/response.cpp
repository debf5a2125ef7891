// response.cpp — see response.hpp.
#include "dc09/response.hpp"

namespace aware::dc09 {
namespace {

// "<seq>R<rcvr>L<pref>#<acct>" as the message wrote them.
std::string echo(const Frame& f) {
  std::string out = sequence_text(f.sequence);
  if (f.receiver) {
    out.append("R").append(*f.receiver);
  }
  if (f.prefix) {
    out.append("L").append(*f.prefix);
  }
  out.push_back(f.account_marker);
  out.append(f.account);
  return out;
}

bool within_window(core::TimeMs stamp, core::TimeMs now, const AccountConfig& account) {
  const core::TimeMs lead = stamp - now;  // positive: the message is ahead of us
  return lead <= account.window_future_s * 1000LL && -lead <= account.window_past_s * 1000LL;
}

}  // namespace

std::string_view to_string(Reason r) {
  switch (r) {
    case Reason::accepted: return "accepted";
    case Reason::duplicate: return "duplicate";
    case Reason::alarm_partly_read: return "alarm_partly_read";
    case Reason::bad_integrity: return "bad_integrity";
    case Reason::malformed: return "malformed";
    case Reason::undecryptable: return "undecryptable";
    case Reason::timestamp_missing: return "timestamp_missing";
    case Reason::timestamp_window: return "timestamp_window";
    case Reason::unprocessable: return "unprocessable";
  }
  return "unknown";
}

std::string_view to_string(Reply r) {
  switch (r) {
    case Reply::none: return "none";
    case Reply::ack: return "ACK";
    case Reply::nak: return "NAK";
    case Reply::duh: return "DUH";
  }
  return "none";
}

Decision decide(const Inbound& in, const AccountConfig& account, core::TimeMs now) {
  if (in.frame.encrypted && !in.content && in.content.error() == Error::bad_timestamp) {
    return {Reply::nak, Reason::timestamp_missing, false};
  }
  if (in.frame.encrypted && in.content) {
    if (!in.content->timestamp) {
      return {Reply::nak, Reason::timestamp_missing, false};
    }
    if (!within_window(*in.content->timestamp, now, account)) {
      return {Reply::nak, Reason::timestamp_window, false};
    }
  }
  if (in.meaning.is_alarm()) {
    const bool whole = in.content.has_value() && in.meaning.data_readable;
    return {Reply::ack, whole ? Reason::accepted : Reason::alarm_partly_read, true};
  }
  if (!in.content || !in.meaning.data_readable) {
    return {Reply::duh, Reason::unprocessable, false};
  }
  return {Reply::ack, Reason::accepted, true};
}

std::string ack_message(const Frame& frame) { return "\"ACK\"" + echo(frame) + "[]"; }

std::string encrypted_ack_message(const Frame& frame, const Key& key, core::TimeMs now,
                                  const RandomBytes& random) {
  return "\"*ACK\"" + echo(frame) + "[" + seal_to_hex(key, "]_" + format_timestamp(now), random);
}

std::string nak_message(core::TimeMs now) {
  return "\"NAK\"0000R0L0A0[]_" + format_timestamp(now);
}

std::string duh_message(const Frame& frame) { return "\"DUH\"" + echo(frame) + "[]"; }

std::string build_reply(Reply reply, const Frame& frame, const AccountConfig& account,
                        core::TimeMs now, const RandomBytes& random) {
  switch (reply) {
    case Reply::none:
      return {};
    case Reply::ack:
      if (frame.encrypted && account.key) {
        return encode_frame(encrypted_ack_message(frame, *account.key, now, random),
                            account.quirks);
      }
      return encode_frame(ack_message(frame), account.quirks);
    case Reply::nak:
      return encode_frame(nak_message(now), account.quirks);
    case Reply::duh:
      return encode_frame(duh_message(frame), account.quirks);
  }
  return {};
}

}  // namespace aware::dc09
