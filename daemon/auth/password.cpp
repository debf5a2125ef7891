// password.cpp — see password.hpp.
#include "auth/password.hpp"

#include <sodium.h>

#include <array>
#include <mutex>

namespace aware::auth {
namespace {

std::string hex(const unsigned char* data, std::size_t size) {
  std::string out(size * 2 + 1, '\0');
  sodium_bin2hex(out.data(), out.size(), data, size);
  out.pop_back();  // the terminating NUL
  return out;
}

}  // namespace

bool init() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

std::optional<std::string> hash_password(std::string_view password) {
  if (!init()) {
    return std::nullopt;
  }
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return std::nullopt;
  }
  return std::string(out.data());
}

bool verify_password(std::string_view hash, std::string_view password) {
  if (!init() || hash.empty() || hash.size() >= crypto_pwhash_STRBYTES) {
    return false;
  }
  const std::string h(hash);  // NUL-terminated for libsodium
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

std::string new_token() {
  init();
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  return hex(bytes.data(), bytes.size());
}

std::string token_digest(std::string_view token) {
  init();
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size());
  return hex(digest.data(), digest.size());
}

std::optional<std::string> password_problem(std::string_view password) {
  if (password.size() < 12) {
    return std::string("a password needs at least 12 characters");
  }
  if (password.size() > 1024) {
    return std::string("a password may have at most 1024 bytes");
  }
  return std::nullopt;
}

std::string bearer_token(std::string_view header) {
  constexpr std::string_view kScheme = "Bearer ";
  if (header.size() <= kScheme.size() || header.substr(0, kScheme.size()) != kScheme) {
    return {};
  }
  return std::string(header.substr(kScheme.size()));
}

}  // namespace aware::auth
