// demo_seed.hpp — the demo registrations `awared --seed-demo` adds to an empty database: three
// meldkamer regions (midden-nederland, amsterdam, rotterdam; rough demo polygons), a few
// fictitious clients around Utrecht and Amsterdam, their X-Mark devices (XM-DEMO-001..004;
// XM-DEMO-005 is deliberately unregistered), AOPs (one expired) and AOLs. Store-internal.
#pragma once

#include <string_view>

namespace aware::store {

// SQL that inserts the demo rows; AOP periods are relative to the current date.
std::string_view demo_seed_sql();

}  // namespace aware::store
