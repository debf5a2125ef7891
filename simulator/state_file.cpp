// state_file.cpp — load and save of the activate command's sequence state (see state_file.hpp).
#include "state_file.hpp"

#include <charconv>
#include <fstream>
#include <sstream>
#include <system_error>

namespace aware::sim {

std::string sanitize_device_id(const std::string& device_id) {
  std::string out;
  out.reserve(device_id.size());
  for (const char c : device_id) {
    const bool safe = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == '-';
    out.push_back(safe ? c : '_');
  }
  if (out.empty() || out == "." || out == "..") {
    out.insert(0, "_");
  }
  return out;
}

std::filesystem::path state_path(const std::filesystem::path& state_dir,
                                 const std::string& device_id) {
  return state_dir / (sanitize_device_id(device_id) + ".state");
}

bool load_state(const std::filesystem::path& path, device_state& state, std::string& error) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    if (ec) {
      error = "cannot access " + path.string() + ": " + ec.message();
      return false;
    }
    return true;
  }
  std::ifstream in(path);
  if (!in) {
    error = "cannot read " + path.string();
    return false;
  }
  std::string epoch_text;
  std::string seq_text;
  std::uint64_t epoch = 0;
  std::uint64_t seq = 0;
  const auto parse = [](const std::string& text, std::uint64_t& out) {
    const auto* end = text.data() + text.size();
    const auto result = std::from_chars(text.data(), end, out);  // no sign, no wrap-around
    return !text.empty() && result.ec == std::errc() && result.ptr == end;
  };
  if (!(in >> epoch_text >> seq_text) || !parse(epoch_text, epoch) || !parse(seq_text, seq) ||
      epoch > UINT32_MAX) {
    error = "malformed state file " + path.string() + " (expected \"boot_epoch seq\")";
    return false;
  }
  state.boot_epoch = static_cast<std::uint32_t>(epoch);
  state.seq = seq;
  return true;
}

bool save_state(const std::filesystem::path& path, const device_state& state, std::string& error) {
  std::error_code ec;
  if (path.has_parent_path()) {
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) {
      error = "cannot create " + path.parent_path().string() + ": " + ec.message();
      return false;
    }
  }
  auto temp = path;
  temp += ".tmp";
  {
    std::ofstream out(temp, std::ios::trunc);
    out << state.boot_epoch << ' ' << state.seq << '\n';
    out.flush();
    if (!out) {
      error = "cannot write " + temp.string();
      return false;
    }
  }
  std::filesystem::rename(temp, path, ec);
  if (ec) {
    error = "cannot rename " + temp.string() + ": " + ec.message();
    return false;
  }
  return true;
}

}  // namespace aware::sim
