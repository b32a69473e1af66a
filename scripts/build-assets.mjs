// Builds the portal's front-end assets into static/build/ (git-ignored):
// the GOV.UK Frontend styles compiled with our settings, its JavaScript.
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(root, "static", "build");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

mkdirSync(out, { recursive: true });

const result = sass.compile(join(root, "static", "scss", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["mixed-decls", "import"],
});
writeFileSync(join(out, "app.css"), result.css);

cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
// No GOV.UK images or fonts: the portal is not on gov.uk (no crown, no Transport font).
console.log("Built static/build/ (app.css, govuk-frontend.min.js)");
