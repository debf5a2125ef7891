// dedup.cpp — see dedup.hpp.
#include "dc09/dedup.hpp"

#include <openssl/evp.h>

namespace aware::dc09 {
namespace {

// Appends a length-prefixed field, so that field boundaries are part of what is hashed.
void append_field(std::string& out, std::string_view field) {
  const auto n = static_cast<std::uint32_t>(field.size());
  for (int shift = 0; shift < 32; shift += 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xFFU));
  }
  out.append(field);
}

}  // namespace

Digest content_digest(std::string_view token, const Content& content) {
  std::string canonical;
  append_field(canonical, token);
  append_field(canonical, content.data);
  for (const auto& field : content.extended) {
    append_field(canonical, std::string_view(&field.tag, 1));
    append_field(canonical, field.value);
  }
  Digest out{};
  unsigned int size = 0;
  EVP_Digest(canonical.data(), canonical.size(), out.data(), &size, EVP_sha256(), nullptr);
  return out;
}

void Dedup::expire(core::TimeMs now) {
  while (!entries_.empty() && now - entries_.front().at > window_ms_) {
    entries_.pop_front();
  }
}

bool Dedup::check_and_record(std::string_view account, int sequence, const Digest& digest,
                             core::TimeMs now) {
  expire(now);
  for (const auto& e : entries_) {
    const core::TimeMs age = now - e.at;
    if (e.sequence == sequence && e.account == account && e.digest == digest &&
        age <= window_ms_ && age >= -window_ms_) {
      return true;
    }
  }
  if (max_entries_ == 0) {
    return false;
  }
  while (entries_.size() >= max_entries_) {
    entries_.pop_front();
  }
  entries_.push_back(Entry{std::string(account), sequence, digest, now});
  return false;
}

void Dedup::forget(std::string_view account, int sequence, const Digest& digest) {
  std::erase_if(entries_, [&](const Entry& e) {
    return e.sequence == sequence && e.account == account && e.digest == digest;
  });
}

}  // namespace aware::dc09
