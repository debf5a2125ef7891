// crypto.cpp — see crypto.hpp.
#include "dc09/crypto.hpp"

#include <array>
#include <memory>

#include <openssl/evp.h>

#include "core/digits.hpp"

namespace aware::dc09 {
namespace {

constexpr std::size_t kBlock = 16;

const EVP_CIPHER* cipher_for(const Key& key) {
  switch (key.bytes.size()) {
    case 16: return EVP_aes_128_cbc();
    case 24: return EVP_aes_192_cbc();
    case 32: return EVP_aes_256_cbc();
    default: return nullptr;
  }
}

// Hex text → bytes; false when a character is not hex or the count is odd.
bool from_hex(std::string_view hex, std::vector<std::uint8_t>& out) {
  if (hex.size() % 2 != 0) {
    return false;
  }
  out.clear();
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = core::hex_digit(hex[i]);
    const int lo = core::hex_digit(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      return false;
    }
    out.push_back(static_cast<std::uint8_t>(hi * 16 + lo));
  }
  return true;
}

struct CtxFree {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};

// One AES-CBC pass with a zero IV and no padding over whole blocks. False on an OpenSSL failure.
bool run_cbc(const Key& key, bool encrypt, std::span<const std::uint8_t> in,
             std::vector<std::uint8_t>& out) {
  const EVP_CIPHER* cipher = cipher_for(key);
  std::unique_ptr<EVP_CIPHER_CTX, CtxFree> ctx{EVP_CIPHER_CTX_new()};
  if (cipher == nullptr || !ctx) {
    return false;
  }
  const std::array<unsigned char, kBlock> iv{};
  if (EVP_CipherInit_ex(ctx.get(), cipher, nullptr, key.bytes.data(), iv.data(),
                        encrypt ? 1 : 0) != 1 ||
      EVP_CIPHER_CTX_set_padding(ctx.get(), 0) != 1) {
    return false;
  }
  out.assign(in.size() + kBlock, 0);
  int written = 0;
  int final_bytes = 0;
  if (EVP_CipherUpdate(ctx.get(), out.data(), &written, in.data(), static_cast<int>(in.size())) !=
          1 ||
      EVP_CipherFinal_ex(ctx.get(), out.data() + written, &final_bytes) != 1) {
    return false;
  }
  out.resize(static_cast<std::size_t>(written + final_bytes));
  return true;
}

}  // namespace

tl::expected<Key, Error> make_key(std::string_view text, KeyFormat format) {
  Key key;
  if (format == KeyFormat::ascii) {
    key.bytes.assign(text.begin(), text.end());
  } else if (!from_hex(text, key.bytes)) {
    return tl::unexpected(Error::bad_key);
  }
  if (cipher_for(key) == nullptr) {
    return tl::unexpected(Error::bad_key);
  }
  return key;
}

tl::expected<std::string, Error> decrypt_hex(const Key& key, std::string_view hex) {
  if (cipher_for(key) == nullptr) {
    return tl::unexpected(Error::bad_key);
  }
  std::vector<std::uint8_t> cipher_text;
  if (hex.empty() || !from_hex(hex, cipher_text) || cipher_text.size() % kBlock != 0) {
    return tl::unexpected(Error::bad_ciphertext);
  }
  std::vector<std::uint8_t> clear;
  if (!run_cbc(key, false, cipher_text, clear)) {
    return tl::unexpected(Error::bad_ciphertext);
  }
  return std::string(clear.begin(), clear.end());
}

tl::expected<std::string, Error> open_encrypted(const Key& key, std::string_view hex) {
  auto clear = decrypt_hex(key, hex);
  if (!clear) {
    return tl::unexpected(clear.error());
  }
  const auto bar = clear->find('|');
  if (bar == std::string::npos) {
    return tl::unexpected(Error::bad_padding);
  }
  return clear->substr(bar + 1);
}

std::string seal_to_hex(const Key& key, std::string_view content, const RandomBytes& random) {
  static constexpr std::string_view kPadChars =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  const std::size_t used = (content.size() + 1) % kBlock;
  const std::size_t pad = used == 0 ? kBlock : kBlock - used;
  std::vector<std::uint8_t> noise(pad);
  random(noise);
  std::vector<std::uint8_t> clear;
  clear.reserve(pad + 1 + content.size());
  for (const auto n : noise) {
    clear.push_back(static_cast<std::uint8_t>(kPadChars[n % kPadChars.size()]));
  }
  clear.push_back('|');
  clear.insert(clear.end(), content.begin(), content.end());
  std::vector<std::uint8_t> sealed;
  if (!run_cbc(key, true, clear, sealed)) {
    return {};
  }
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(sealed.size() * 2);
  for (const auto b : sealed) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0x0F]);
  }
  return out;
}

}  // namespace aware::dc09
