// registry.hpp — the registration records (clients, devices, AOPs, AOLs) as plain values.
// The store loads them from SQLite; match builds its immutable index from them.
#pragma once

#include <string>
#include <vector>

namespace aware::core {

struct ClientRecord {
  std::string id;
  std::string name;                 // the client's name, shown to centralists only
  std::string home_region;          // meldkamer region used when no position is known
};

struct DeviceRecord {
  std::string id;                   // X-Mark device identity as sent in Hello
  std::string client_id;            // the client who carries it
  bool active = true;               // false once returned
};

// Afspraak op Persoon.
struct AopRecord {
  std::string id;
  std::string client_id;
  std::string signalement;          // description of the client
  std::string pleger;               // description of the perpetrator
  std::string case_worker;          // responsible hulpverlener
  std::string valid_from;           // ISO date, inclusive
  std::string valid_until;          // ISO date, inclusive
};

// Afspraak op Locatie: a point with a radius.
struct AolRecord {
  std::string id;
  std::string client_id;
  std::string label;                // home, work, school...
  std::string address;
  std::string instructions;         // what the police should know there
  double lat = 0;
  double lon = 0;
  double radius_m = 0;
};

struct Registry {
  std::vector<ClientRecord> clients;
  std::vector<DeviceRecord> devices;
  std::vector<AopRecord> aops;
  std::vector<AolRecord> aols;
};

}  // namespace aware::core
