// Convert Natural Earth country shapes (the npm registry's `world-atlas` package, public domain data,
// ISC-licensed packaging) into directory/data/world.json: one SVG path per country, already projected,
// which directory/worldmap.py draws on the server. Run once; the output is kept in the repository.
//
//   mkdir /tmp/wa && cd /tmp/wa && npm install world-atlas@2.0.2 topojson-client@3.1.0
//   node /path/to/repo/tools/world_map.mjs /tmp/wa/node_modules > directory/data/world.json
//
// Shapes: countries-110m (1:110 million). Countries too small to appear at that scale (Malta,
// Luxembourg, Singapore, ...) are taken from countries-50m and drawn as a dot at their centre.
// Projection: Natural Earth I (Šavrič et al.), the same formula as d3-geo's geoNaturalEarth1.
// Antarctica is left out: no practice or organisation is there, and it takes a fifth of the height.

import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const modules = process.argv[2];
const { feature } = createRequire(join(modules, "noop.js"))("topojson-client");
const load = (name) => JSON.parse(readFileSync(join(modules, "world-atlas", name), "utf8"));
const WIDTH = 960;

function project([lon, lat]) {
  // Past 180° east the formula simply continues: those points fall outside the viewBox.
  const lambda = (lon * Math.PI) / 180, phi = (lat * Math.PI) / 180;
  const phi2 = phi * phi, phi4 = phi2 * phi2;
  const x = lambda * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)));
  const y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)));
  return [x, y];
}

const XMAX = project([180, 0])[0];
const TOP = project([0, 84])[1], BOTTOM = project([0, -57])[1];
const SCALE = WIDTH / (2 * XMAX);
const HEIGHT = Math.round((TOP - BOTTOM) * SCALE);
const toScreen = (point) => {
  const [x, y] = project(point);
  return [Math.round((x + XMAX) * SCALE), Math.round((TOP - y) * SCALE)];
};

function ringPath(ring) {
  // A ring that crosses the antimeridian (Russia's far east, Fiji) is drawn whole past the right edge,
  // where the viewBox clips it, instead of as a stroke across the whole map.
  if (ring.some((p) => p[0] > 170) && ring.some((p) => p[0] < -170)) {
    ring = ring.map(([lon, lat]) => [lon < 0 ? lon + 360 : lon, lat]);
  }
  let out = "", last = null;
  for (const point of ring) {
    const [x, y] = toScreen(point);
    if (last === null) { out += `M${x} ${y}`; }
    else if (x !== last[0] || y !== last[1]) { out += `l${x - last[0]} ${y - last[1]}`; }
    else { continue; }
    last = [x, y];
  }
  return out.length > 12 ? out + "z" : "";  // a ring smaller than a pixel or two is dropped
}

function polygons(geometry) {
  if (!geometry) return [];
  return geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates;
}

function centre(geometry) {
  // The centre of the largest ring's bounding box: good enough to place a dot.
  let best = null, bestArea = -1;
  for (const polygon of polygons(geometry)) {
    const ring = polygon[0];
    const xs = ring.map((p) => p[0]), ys = ring.map((p) => p[1]);
    const area = (Math.max(...xs) - Math.min(...xs)) * (Math.max(...ys) - Math.min(...ys));
    if (area > bestArea) { bestArea = area; best = [(Math.max(...xs) + Math.min(...xs)) / 2, (Math.max(...ys) + Math.min(...ys)) / 2]; }
  }
  return best && toScreen(best);
}

const small = load("countries-110m.json");
const detailed = load("countries-50m.json");
const shapes = {}, unnamed = [];
for (const f of feature(small, small.objects.countries).features) {
  if (f.id === "010") continue;  // Antarctica
  const d = polygons(f.geometry).map((polygon) => polygon.map(ringPath).join("")).join("");
  if (!d) continue;
  if (f.id) shapes[f.id] = d; else unnamed.push(d);
}
const dots = {};
for (const f of feature(detailed, detailed.objects.countries).features) {
  if (f.id && f.id !== "010" && !shapes[f.id]) {
    const c = centre(f.geometry);
    if (c) dots[f.id] = c;
  }
}
process.stdout.write(JSON.stringify({
  source: "Natural Earth 4.1.0 (public domain) via the npm package world-atlas@2.0.2 (countries-110m, " +
          "and countries-50m for the dots of small countries); Natural Earth I projection; converted by tools/world_map.mjs",
  width: WIDTH, height: HEIGHT, keys: "ISO 3166-1 numeric", shapes, dots, unnamed,
}) + "\n");
