// copy-assets.mjs — after tsc: copies static/ (HTML, CSS) and Leaflet's dist files into dist/,
// the folder awared serves as [meldkamer] web_root. Node 18+, no dependencies.
import { cpSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const out = join(here, 'dist');
mkdirSync(out, { recursive: true });
cpSync(join(here, 'static'), out, { recursive: true });
const leaflet = join(here, 'node_modules', 'leaflet', 'dist');
mkdirSync(join(out, 'lib'), { recursive: true });
cpSync(join(leaflet, 'leaflet.js'), join(out, 'lib', 'leaflet.js'));
cpSync(join(leaflet, 'leaflet.css'), join(out, 'lib', 'leaflet.css'));
cpSync(join(leaflet, 'images'), join(out, 'lib', 'images'), { recursive: true });
