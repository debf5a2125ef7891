// state_file.hpp — the per-device sequence state of `xmark-sim activate`, so that successive
// runs for one device continue its (boot_epoch, seq) like a real device's flash would.
// File: <state-dir>/<sanitized-device-id>.state holding the text "boot_epoch seq\n".
// Error policy: load/save return false plus a message; they never throw.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>

namespace aware::sim {

struct device_state {
  std::uint32_t boot_epoch = 1;   // epoch of the last acked message
  std::uint64_t seq = 0;          // seq of the last acked message (0: none yet)
};

// The device id reduced to [A-Za-z0-9._-] (anything else becomes '_'), safe as a file name.
std::string sanitize_device_id(const std::string& device_id);

// <state_dir>/<sanitized id>.state
std::filesystem::path state_path(const std::filesystem::path& state_dir,
                                 const std::string& device_id);

// Reads `path` into `state`. A missing file leaves the defaults (epoch 1, seq 0) and succeeds;
// an unreadable or malformed file fails with `error` set.
bool load_state(const std::filesystem::path& path, device_state& state, std::string& error);

// Writes `state` to `path` atomically (temp file + rename), creating the directory.
bool save_state(const std::filesystem::path& path, const device_state& state, std::string& error);

}  // namespace aware::sim
