// Builds build/static/peopleplan.css from our Sass and the npm packages. Run by `make`.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const out = resolve(root, "build/static/peopleplan.css");
const result = sass.compile(resolve(root, "src/peopleplan/core/static_src/peopleplan.scss"), {
  loadPaths: [root, resolve(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  logger: sass.Logger.silent,
});
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, result.css);
console.log(`built ${out} (${result.css.length} bytes)`);
