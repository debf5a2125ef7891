// demo_seed.cpp — fictitious demo registrations. No real person or address is meant.
#include "store/demo_seed.hpp"

namespace aware::store {

std::string_view demo_seed_sql() {
  // Regions are rough, non-overlapping demo polygons (GeoJSON [lon, lat], rings closed), not
  // the real borders of the police units.
  return R"sql(
INSERT INTO regions (id, name, area) VALUES
  ('midden-nederland', 'Midden-Nederland',
   '[[[[4.75,51.85],[5.65,51.85],[5.65,52.28],[5.20,52.30],[4.75,52.28],[4.75,51.85]]]]'),
  ('amsterdam', 'Amsterdam',
   '[[[[4.70,52.31],[4.90,52.305],[5.10,52.31],[5.10,52.45],[4.70,52.45],[4.70,52.31]]]]'),
  ('rotterdam', 'Rotterdam',
   '[[[[4.20,51.80],[4.70,51.80],[4.70,52.00],[4.45,52.02],[4.20,52.00],[4.20,51.80]]]]');
INSERT INTO clients (id, name, home_region) VALUES
  ('C-001', 'Anna de Vries (demo)', 'midden-nederland'),
  ('C-002', 'Fatima El Amrani (demo)', 'midden-nederland'),
  ('C-003', 'Sanne Jansen (demo)', 'amsterdam');
INSERT INTO devices (id, client_id) VALUES
  ('XM-DEMO-001', 'C-001'), ('XM-DEMO-002', 'C-001'),
  ('XM-DEMO-003', 'C-002'), ('XM-DEMO-004', 'C-003');
INSERT INTO aops (id, client_id, signalement, pleger, case_worker, valid_from, valid_until) VALUES
  ('AOP-001', 'C-001', 'Vrouw, 34 jaar, 1.70 m, lang donker haar',
   'Ex-partner, man, 38 jaar, kaal, rijdt grijze Volkswagen Golf', 'J. Bakker, Veilig Thuis Utrecht',
   date('now', '-30 days'), date('now', '+150 days')),
  ('AOP-002', 'C-002', 'Vrouw, 27 jaar, 1.62 m, hoofddoek', 'Ex-partner, man, 31 jaar, tatoeage hals',
   'M. Visser, Blijf Groep', date('now', '-90 days'), date('now', '+90 days')),
  ('AOP-003', 'C-003', 'Vrouw, 45 jaar, 1.75 m, blond kort haar', 'Ex-echtgenoot, man, 50 jaar',
   'R. de Boer, Veilig Thuis Amsterdam', date('now', '-200 days'), date('now', '-20 days'));
INSERT INTO aols (id, client_id, label, address, instructions, lat, lon, radius_m) VALUES
  ('AOL-001', 'C-001', 'woning', 'Oudegracht 1, Utrecht (demo)',
   'Pleger heeft contactverbod; woning heeft achteruitgang via tuin', 52.0907, 5.1214, 150),
  ('AOL-002', 'C-001', 'school kinderen', 'Schoolstraat 5, Utrecht (demo)',
   'Kinderen (7 en 9) op school tot 15:00', 52.0980, 5.1100, 200),
  ('AOL-003', 'C-002', 'woning', 'Kanaalweg 20, Utrecht (demo)', 'Opvanglocatie, adres geheim',
   52.0850, 5.0950, 100),
  ('AOL-004', 'C-003', 'werk', 'Damrak 10, Amsterdam (demo)', 'Receptie is op de hoogte',
   52.3760, 4.8970, 150);
)sql";
}

}  // namespace aware::store
