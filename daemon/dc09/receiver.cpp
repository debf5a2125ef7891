// receiver.cpp — see receiver.hpp.
#include "dc09/receiver.hpp"

namespace aware::dc09 {
namespace {

// The clear text after the first '[': the frame's own for a plain message, the decrypted text
// after the pad for an encrypted one. Errors: no_key, bad_key, bad_ciphertext, bad_padding.
tl::expected<std::string, Error> clear_text(const Frame& frame, const AccountConfig& account) {
  if (!frame.encrypted) {
    return frame.body;
  }
  if (!account.key) {
    return tl::unexpected(Error::no_key);
  }
  return open_encrypted(*account.key, frame.body);
}

// When the content does not parse, the data part alone (up to the first ']'), so that an alarm
// in it is still recognised.
Content salvage(std::string_view clear) {
  Content out;
  out.data = std::string(clear.substr(0, clear.find(']')));
  return out;
}

}  // namespace

const AccountConfig& Receiver::account_for(std::string_view account) const {
  const AccountConfig* found = accounts_ ? accounts_(account) : nullptr;
  return found != nullptr ? *found : fallback_;
}

Received Receiver::on_frame(std::string_view body, core::TimeMs now) {
  Received out;
  auto frame = parse_frame(body);
  if (!frame) {
    const bool corrupted = !crc_matches_any(body);
    out.error = corrupted ? Error::crc_mismatch : frame.error();
    out.decision = {Reply::none, corrupted ? Reason::bad_integrity : Reason::malformed, false};
    return out;
  }
  const AccountConfig& account = account_for(frame->account);
  if (auto ok = check_integrity(*frame, account.quirks); !ok) {
    out.error = ok.error();
    out.decision = {Reply::none, Reason::bad_integrity, false};
    out.frame = std::move(*frame);
    return out;
  }
  const auto clear = clear_text(*frame, account);
  if (!clear) {
    out.error = clear.error();
    out.decision = {Reply::none, Reason::undecryptable, false};
    out.frame = std::move(*frame);
    return out;
  }
  const auto content = parse_content(*clear);
  if (content) {
    out.meaning = interpret(frame->token, *content);
  } else {
    out.error = content.error();
    out.meaning = interpret(frame->token, salvage(*clear));
  }
  out.decision = decide(Inbound{*frame, content, out.meaning}, account, now);
  if (out.decision.deliver && content && frame->token != "NULL") {
    out.digest = content_digest(frame->token, *content);
    if (dedup_.check_and_record(frame->account, frame->sequence, *out.digest, now)) {
      out.decision = {Reply::ack, Reason::duplicate, false};
      out.digest.reset();
    }
  }
  out.reply = build_reply(out.decision.reply, *frame, account, now, random_);
  if (content) {
    out.content = *content;
  }
  out.frame = std::move(*frame);
  return out;
}

void Receiver::delivery_failed(const Received& received) {
  if (received.frame && received.digest) {
    dedup_.forget(received.frame->account, received.frame->sequence, *received.digest);
  }
}

}  // namespace aware::dc09
