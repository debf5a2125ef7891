// dc09_transmit.cpp — see dc09_transmit.hpp.
#include "dc09_transmit.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <iostream>
#include <optional>
#include <stdexcept>

namespace aware::sim {
namespace {

constexpr const char* kUsage =
    "usage: xmark-sim dc09 --server HOST:PORT --account ACCT [--udp] [--seq N]\n"
    "         [--receiver HEX] [--line HEX] [--sia DATA | --cid DATA | --null]\n"
    "         [--x LON] [--y LAT] [--audio REF] [--key HEX] [--no-timestamp]\n"
    "         [--clock-offset-s N] [--corrupt-crc] [--timeout-ms N] [--json]\n";

struct Options {
  std::string host;
  std::string port;
  bool udp = false;
  std::string account;
  int seq = 1;
  std::string receiver;         // R field, "" = none
  std::string line = "0";       // L field
  std::string token = "SIA-DCS";
  std::string data = "Nri1/PA501";  // after "#ACCT|"
  bool null_message = false;
  std::string x, y, audio;
  std::string key_hex;          // "" = plain
  bool timestamp = true;
  long clock_offset_s = 0;
  bool corrupt_crc = false;
  int timeout_ms = 5000;
  bool json = false;
};

std::uint16_t crc16_arc(const std::string& bytes) {
  std::uint16_t crc = 0;
  for (unsigned char b : bytes) {
    crc = static_cast<std::uint16_t>(crc ^ b);
    for (int i = 0; i < 8; ++i) {
      crc = (crc & 1U) != 0 ? static_cast<std::uint16_t>((crc >> 1) ^ 0xA001U)
                            : static_cast<std::uint16_t>(crc >> 1);
    }
  }
  return crc;
}

std::string hex4(unsigned v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04X", v & 0xFFFFU);
  return buf;
}

std::string utc_stamp(long offset_s) {
  const std::time_t t = std::time(nullptr) + offset_s;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "_%H:%M:%S,%m-%d-%Y", &tm);
  return buf;
}

std::optional<std::vector<unsigned char>> from_hex(const std::string& hex) {
  if (hex.size() % 2 != 0) {
    return std::nullopt;
  }
  std::vector<unsigned char> out;
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    unsigned v = 0;
    if (std::sscanf(hex.substr(i, 2).c_str(), "%2x", &v) != 1) {
      return std::nullopt;
    }
    out.push_back(static_cast<unsigned char>(v));
  }
  return out;
}

const EVP_CIPHER* cipher_for(std::size_t key_bytes) {
  switch (key_bytes) {
    case 16: return EVP_aes_128_cbc();
    case 24: return EVP_aes_192_cbc();
    case 32: return EVP_aes_256_cbc();
    default: return nullptr;
  }
}

// AES-CBC, zero IV, no padding (the input is whole blocks) in either direction.
std::optional<std::string> aes(const std::vector<unsigned char>& key, const std::string& in,
                               bool encrypt) {
  const auto* cipher = cipher_for(key.size());
  if (cipher == nullptr || in.size() % 16 != 0) {
    return std::nullopt;
  }
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  unsigned char iv[16] = {};
  std::string out(in.size() + 16, '\0');
  int n1 = 0;
  int n2 = 0;
  bool ok = EVP_CipherInit_ex(ctx, cipher, nullptr, key.data(), iv, encrypt ? 1 : 0) == 1 &&
            EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
            EVP_CipherUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &n1,
                             reinterpret_cast<const unsigned char*>(in.data()),
                             static_cast<int>(in.size())) == 1 &&
            EVP_CipherFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + n1, &n2) == 1;
  EVP_CIPHER_CTX_free(ctx);
  if (!ok) {
    return std::nullopt;
  }
  out.resize(static_cast<std::size_t>(n1 + n2));
  return out;
}

// "pad|clear" filling whole blocks (pad 1..16 letters/digits), encrypted, upper-case hex.
std::string seal(const std::vector<unsigned char>& key, const std::string& clear) {
  static constexpr char kAlnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::size_t pad = 16 - ((clear.size() + 1) % 16);
  if (pad == 0) {
    pad = 16;
  }
  std::string text;
  unsigned char rnd[16];
  RAND_bytes(rnd, sizeof rnd);
  for (std::size_t i = 0; i < pad; ++i) {
    text += kAlnum[rnd[i] % (sizeof kAlnum - 1)];
  }
  text += '|';
  text += clear;
  const auto cipher = aes(key, text, true);
  std::string hex;
  for (unsigned char c : *cipher) {
    char b[3];
    std::snprintf(b, sizeof b, "%02X", c);
    hex += b;
  }
  return hex;
}

std::string build_message(const Options& o, const std::optional<std::vector<unsigned char>>& key) {
  char seq[8];
  std::snprintf(seq, sizeof seq, "%04d", o.seq);
  std::string head = "\"" + std::string(key ? "*" : "") + o.token + "\"" + seq;
  if (!o.receiver.empty()) {
    head += "R" + o.receiver;
  }
  head += "L" + o.line + "#" + o.account + "[";
  std::string clear = o.null_message ? "]" : "#" + o.account + "|" + o.data + "]";
  if (!o.x.empty()) {
    clear += "[X" + o.x + "]";
  }
  if (!o.y.empty()) {
    clear += "[Y" + o.y + "]";
  }
  if (!o.audio.empty()) {
    clear += "[V" + o.audio + "]";
  }
  if (o.timestamp) {
    clear += utc_stamp(o.clock_offset_s);
  }
  return head + (key ? seal(*key, clear) : clear);
}

int connect_to(const Options& o) {
  addrinfo hints{};
  hints.ai_socktype = o.udp ? SOCK_DGRAM : SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(o.host.c_str(), o.port.c_str(), &hints, &res) != 0 || res == nullptr) {
    return -1;
  }
  int fd = socket(res->ai_family, res->ai_socktype, 0);
  if (fd >= 0 && connect(fd, res->ai_addr, res->ai_addrlen) != 0) {
    close(fd);
    fd = -1;
  }
  freeaddrinfo(res);
  return fd;
}

// Reads one answer frame (LF .. CR); "" when none arrives within the timeout.
std::string read_answer(int fd, bool udp, int timeout_ms) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  std::string got;
  char buf[2048];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      return "";
    }
    pollfd p{fd, POLLIN, 0};
    if (poll(&p, 1, static_cast<int>(left)) <= 0) {
      return "";
    }
    const auto n = recv(fd, buf, sizeof buf, 0);
    if (n <= 0) {
      return "";
    }
    got.append(buf, static_cast<std::size_t>(n));
    const auto lf = got.find('\n');
    const auto cr = lf == std::string::npos ? lf : got.find('\r', lf);
    if (cr != std::string::npos) {
      return got.substr(lf + 1, cr - lf - 1);
    }
    if (udp) {
      return "";
    }
  }
}

std::string json_escape(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c >= 0x7F) {
      char b[8];
      std::snprintf(b, sizeof b, "\\u%04x", c);
      out += b;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

int usage(const std::string& what) {
  std::cerr << "xmark-sim dc09: " << what << "\n" << kUsage;
  return 2;
}

}  // namespace

std::string dc09_frame(const std::string& message) {
  return "\n" + hex4(crc16_arc(message)) + hex4(static_cast<unsigned>(message.size())) +
         message + "\r";
}

int run_dc09(const std::vector<std::string>& args) {
  Options o;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const bool has = i + 1 < args.size();
    auto value = [&] { return args[++i]; };
    try {
      if (a == "--server" && has) {
        const auto v = value();
        const auto colon = v.rfind(':');
        if (colon == std::string::npos) {
          return usage("--server must be HOST:PORT");
        }
        o.host = v.substr(0, colon);
        o.port = v.substr(colon + 1);
      } else if (a == "--udp") {
        o.udp = true;
      } else if (a == "--account" && has) {
        o.account = value();
      } else if (a == "--seq" && has) {
        o.seq = std::stoi(value());
        if (o.seq < 0 || o.seq > 9999) {
          return usage("--seq must be 0..9999");
        }
      } else if (a == "--receiver" && has) {
        o.receiver = value();
      } else if (a == "--line" && has) {
        o.line = value();
      } else if (a == "--sia" && has) {
        o.token = "SIA-DCS";
        o.data = value();
      } else if (a == "--cid" && has) {
        o.token = "ADM-CID";
        o.data = value();
      } else if (a == "--null") {
        o.token = "NULL";
        o.null_message = true;
      } else if (a == "--x" && has) {
        o.x = value();
      } else if (a == "--y" && has) {
        o.y = value();
      } else if (a == "--audio" && has) {
        o.audio = value();
      } else if (a == "--key" && has) {
        o.key_hex = value();
      } else if (a == "--no-timestamp") {
        o.timestamp = false;
      } else if (a == "--clock-offset-s" && has) {
        o.clock_offset_s = std::stol(value());
      } else if (a == "--corrupt-crc") {
        o.corrupt_crc = true;
      } else if (a == "--timeout-ms" && has) {
        o.timeout_ms = std::stoi(value());
      } else if (a == "--json") {
        o.json = true;
      } else {
        return usage("unknown or incomplete argument '" + a + "'");
      }
    } catch (const std::exception&) {
      return usage("'" + a + "' needs a number");
    }
  }
  if (o.host.empty() || o.account.empty()) {
    return usage("--server and --account are required");
  }
  std::optional<std::vector<unsigned char>> key;
  if (!o.key_hex.empty()) {
    key = from_hex(o.key_hex);
    if (!key || cipher_for(key->size()) == nullptr) {
      return usage("--key must be 32, 48 or 64 hex digits");
    }
  }
  const std::string message = build_message(o, key);
  std::string frame = dc09_frame(message);
  if (o.corrupt_crc) {
    frame[1] = frame[1] == '0' ? '1' : '0';
  }
  const int fd = connect_to(o);
  if (fd < 0) {
    std::cerr << "xmark-sim dc09: cannot reach " << o.host << ":" << o.port << "\n";
    return 4;
  }
  const bool sent = send(fd, frame.data(), frame.size(), MSG_NOSIGNAL) ==
                    static_cast<ssize_t>(frame.size());
  const std::string answer = sent ? read_answer(fd, o.udp, o.timeout_ms) : "";
  close(fd);
  std::string kind = "none";
  bool encrypted = false;
  if (answer.size() > 9) {
    const auto q1 = answer.find('"');
    const auto q2 = answer.find('"', q1 + 1);
    if (q1 != std::string::npos && q2 != std::string::npos) {
      kind = answer.substr(q1 + 1, q2 - q1 - 1);
      if (!kind.empty() && kind[0] == '*') {
        encrypted = true;
        kind.erase(0, 1);
      }
    }
  }
  // An encrypted ACK must open with our key (its clear text is "pad|]_<time>").
  bool opened = false;
  if (encrypted && key) {
    const auto bracket = answer.find('[');
    const auto cipher = bracket == std::string::npos ? std::nullopt : from_hex(answer.substr(bracket + 1));
    if (cipher) {
      const auto clear = aes(*key, std::string(cipher->begin(), cipher->end()), false);
      opened = clear && clear->find("|]_") != std::string::npos;
    }
  }
  if (o.json) {
    std::cout << "{\"reply\":\"" << json_escape(kind) << "\",\"encrypted\":"
              << (encrypted ? "true" : "false") << ",\"opened\":" << (opened ? "true" : "false")
              << ",\"raw\":\"" << json_escape(answer) << "\",\"sent\":\""
              << json_escape(message) << "\"}" << std::endl;
  } else {
    std::cout << (answer.empty() ? "no answer" : kind + ": " + answer) << std::endl;
  }
  if (kind == "ACK") {
    return 0;
  }
  return answer.empty() ? 1 : 3;
}

}  // namespace aware::sim
