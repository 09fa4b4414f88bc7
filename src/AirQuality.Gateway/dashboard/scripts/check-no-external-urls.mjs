// Fails the build when the bundled page names an outside host. Allowed: XML namespace URIs
// (identifiers, never fetched) and the loopback addresses of a local gateway.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../wwwroot');
const allowed = [
  /^https?:\/\/www\.w3\.org\//, // svg / xhtml / xlink / xmlns namespaces
];
const bad = [];
const walk = (dir) => {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.(html|js|css|json|svg|map)$/.test(name)) {
      const text = readFileSync(p, 'utf8');
      for (const m of text.matchAll(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'`)<>]*/gi)) {
        const url = m[0];
        if (!/^https?:/i.test(url)) continue; // protocol-relative matches inside regexes etc. are checked below
        if (!allowed.some((re) => re.test(url))) bad.push(`${p}: ${url}`);
      }
      for (const m of text.matchAll(/["'(]\/\/[a-z0-9-]+\.[a-z0-9.-]+\//gi)) bad.push(`${p}: protocol-relative ${m[0]}`);
    }
  }
};
walk(root);
if (bad.length) {
  console.error(`External URLs in the built dashboard (${bad.length}):\n  ${bad.slice(0, 20).join('\n  ')}`);
  process.exit(1);
}
console.log(`no external URLs in ${root}`);
