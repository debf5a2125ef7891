// events.cpp — see events.hpp.
#include "dc09/events.hpp"

namespace aware::dc09 {
namespace {

bool upper(char c) { return c >= 'A' && c <= 'Z'; }
bool lower(char c) { return c >= 'a' && c <= 'z'; }
bool digit(char c) { return c >= '0' && c <= '9'; }

int urgency(Category c) {
  switch (c) {
    case Category::activation: return 4;
    case Category::technical: return 3;
    case Category::test: return 2;
    case Category::heartbeat: return 1;
    case Category::unknown: return 0;
  }
  return 0;
}

// Drops "#acct|" from the front of the data, if there. False when a '#' has no '|' after it.
bool skip_account(std::string_view& data) {
  if (data.empty() || data.front() != '#') {
    return true;
  }
  const auto bar = data.find('|');
  if (bar == std::string_view::npos) {
    return false;
  }
  data.remove_prefix(bar + 1);
  return true;
}

void add_event(Interpretation& out, Event event) {
  if (out.events.size() < kMaxEvents) {
    out.events.push_back(std::move(event));
  }
}

// One SIA block: modifiers (two lower-case letters and their value), event codes (two
// upper-case letters and their address digits), ^text^; anything else ends the block.
void read_sia_block(std::string_view b, Interpretation& out) {
  std::size_t i = 0;
  while (i + 1 < b.size()) {
    if (lower(b[i]) && lower(b[i + 1])) {
      i += 2;
      while (i < b.size() && !upper(b[i]) && !lower(b[i]) && b[i] != '^') {
        ++i;
      }
    } else if (upper(b[i]) && upper(b[i + 1])) {
      Event e;
      e.code = std::string(b.substr(i, 2));
      i += 2;
      const std::size_t start = i;
      while (i < b.size() && digit(b[i])) {
        ++i;
      }
      e.address = std::string(b.substr(start, i - start));
      e.category = sia_category(e.code, e.known);
      add_event(out, std::move(e));
    } else if (b[i] == '^') {
      const auto end = b.find('^', i + 1);
      i = end == std::string_view::npos ? b.size() : end + 1;
    } else {
      return;  // free text (e.g. an "A..." text block)
    }
  }
}

void read_sia(std::string_view data, Interpretation& out) {
  if (!skip_account(data)) {
    out.data_readable = false;
    return;
  }
  if (data.empty()) {
    return;
  }
  if (data.front() != 'N' && data.front() != 'O') {
    out.data_readable = false;
  } else {
    data.remove_prefix(1);
  }
  while (!data.empty()) {
    const auto end = data.find_first_of("/|");
    read_sia_block(data.substr(0, end), out);
    if (end == std::string_view::npos) {
      break;
    }
    data.remove_prefix(end + 1);
  }
}

void read_cid(std::string_view data, Interpretation& out) {
  if (!skip_account(data)) {
    out.data_readable = false;
    return;
  }
  while (!data.empty()) {
    const auto end = data.find('/');
    std::string packed;
    for (const char c : data.substr(0, end)) {
      if (c != ' ' && packed.size() <= 9) {
        packed.push_back(c);
      }
    }
    bool ok = packed.size() == 9;
    for (const char c : packed) {
      ok = ok && digit(c);
    }
    const char q = ok ? packed[0] : '0';
    if (!ok || (q != '1' && q != '3' && q != '6')) {
      out.data_readable = false;
      return;
    }
    Event e;
    e.code = packed.substr(1, 3);
    e.address = packed.substr(6, 3);
    e.restore = q == '3';
    e.category = cid_category(e.code, q, e.known);
    add_event(out, std::move(e));
    if (end == std::string_view::npos) {
      break;
    }
    data.remove_prefix(end + 1);
  }
}

}  // namespace

std::string_view to_string(Category c) {
  switch (c) {
    case Category::activation: return "activation";
    case Category::test: return "test";
    case Category::technical: return "technical";
    case Category::heartbeat: return "heartbeat";
    case Category::unknown: return "unknown";
  }
  return "unknown";
}

Category sia_category(std::string_view code, bool& known) {
  known = true;
  if (code == "PA" || code == "HA") {
    return Category::activation;
  }
  if (code == "RX" || code == "RP") {
    return Category::test;
  }
  if (code == "YT" || code == "YR" || code == "YC" || code == "YK" || code == "PR" ||
      code == "HR") {
    return Category::technical;
  }
  known = false;
  if (code.size() == 2 && code[1] == 'A' && code != "TA") {
    return Category::activation;
  }
  return Category::unknown;
}

Category cid_category(std::string_view event, char qualifier, bool& known) {
  known = true;
  const bool restore = qualifier == '3';
  if (event == "120" || event == "121" || event == "122") {
    return restore ? Category::technical : Category::activation;
  }
  if (event == "601" || event == "602") {
    return Category::test;
  }
  if (event == "302" || event == "309" || event == "350") {
    return Category::technical;
  }
  known = false;
  if (qualifier == '1' && event.size() == 3 && event[0] == '1') {
    return Category::activation;
  }
  return Category::unknown;
}

std::optional<bool> comm_failure(const Interpretation& m) {
  std::optional<bool> out;
  for (const auto& e : m.events) {
    if (e.code == "YC" || (e.code == "350" && !e.restore)) {
      out = true;
    } else if (e.code == "YK" || (e.code == "350" && e.restore)) {
      out = false;
    }
  }
  return out;
}

Interpretation interpret(std::string_view token, const Content& content) {
  Interpretation out;
  if (token == "NULL") {
    out.category = Category::heartbeat;
  } else if (token == "SIA-DCS") {
    read_sia(content.data, out);
  } else if (token == "ADM-CID") {
    read_cid(content.data, out);
  } else {
    out.data_readable = false;
  }
  for (const auto& e : out.events) {
    if (urgency(e.category) > urgency(out.category)) {
      out.category = e.category;
    }
  }
  const auto* x = find_extended(content, 'X');
  const auto* y = find_extended(content, 'Y');
  out.location = read_location(x != nullptr ? std::string_view(x->value) : std::string_view{},
                               y != nullptr ? std::string_view(y->value) : std::string_view{});
  if (const auto* v = find_extended(content, 'V')) {
    out.audio_ref = v->value;
  }
  if (const auto* h = find_extended(content, 'H')) {
    out.event_time_text = h->value;
    out.event_time = parse_timestamp(h->value);
  }
  if (const auto* i = find_extended(content, 'I')) {
    out.text = i->value;
  }
  return out;
}

}  // namespace aware::dc09
