// dc09_transmit.hpp — xmark-sim's SIA DC-09 transmitter mode (`xmark-sim dc09 ...`): builds one
// DC-09 message (SIA-DCS, ADM-CID or NULL; plain or AES-CBC encrypted with a hex key), sends it
// over TCP or UDP, waits for the receiver's answer (ACK, NAK, DUH or none) and reports it.
// Written independently of awared's dc09 library (the simulator never links daemon code), so a
// system test checks two implementations of the standard against each other.
#pragma once

#include <string>
#include <vector>

namespace aware::sim {

// Runs `xmark-sim dc09 ARGS` (args without the leading "dc09"); returns the exit code:
// 0 ACK, 1 no answer within --timeout-ms, 2 usage, 3 NAK or DUH, 4 local error.
int run_dc09(const std::vector<std::string>& args);

// The frame for `message` (from the opening quote up to before CR): LF, CRC-16/ARC, 4-hex
// length, message, CR. Exposed for the unit test.
std::string dc09_frame(const std::string& message);

}  // namespace aware::sim
