#!/usr/bin/env node
// Builds the documentation site (static HTML) from the repository's Markdown: README.md (the index),
// BRANCHING.md, .specify/ (constitution, spec, plan, SOPs), infra/README.md, .github/*.md and docs/.
// Links between the documents are rewritten from .md to .html; other files they link to (codex.yaml,
// schemas, ...) are copied beside them. Every relative link and #anchor of the result must resolve,
// or the build fails.
//
// Usage: node tests/tools/build-site.mjs --out DIR      build into DIR (emptied first), then check it
//        node tests/tools/build-site.mjs --check DIR    only check an existing site (e.g. gh-pages)
// Exit 0 ok, 1 broken links, 2 usage error.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const root = process.env.SITE_ROOT ? path.resolve(process.env.SITE_ROOT) : path.resolve(here, "..", "..");

function usage(msg) {
  console.error(`error: ${msg}\nusage: build-site.mjs --out DIR | --check DIR`);
  process.exit(2);
}

const [flag, dirArg] = process.argv.slice(2);
if (!["--out", "--check"].includes(flag) || !dirArg) usage("expected --out DIR or --check DIR");
const outDir = path.resolve(dirArg);

function walk(dir, pred, acc = []) {
  if (!existsSync(dir)) return acc;
  for (const name of readdirSync(dir).sort()) {
    if (name === "node_modules" || name === "target" || name === ".git") continue;
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) walk(p, pred, acc);
    else if (pred(p)) acc.push(p);
  }
  return acc;
}

// GitHub's heading anchors: lower case, punctuation dropped, spaces to '-', repeats numbered
function slugger() {
  const seen = new Map();
  return (text) => {
    const base = text.toLowerCase().trim().replace(/<[^>]*>/g, "").replace(/&[a-z]+;|&#[0-9]+;/g, "").replace(/[^\p{L}\p{N}\s_-]/gu, "").replace(/\s/g, "-");
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return n === 0 ? base : `${base}-${n}`;
  };
}

const escapeHtml = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function build() {
  const require = createRequire(path.join(here, "node", "package.json"));
  let Marked;
  try {
    ({ Marked } = require("marked"));
  } catch {
    console.error("error: marked is not installed: run tests/tools/install-node-tools.sh");
    process.exit(2);
  }
  const sources = [
    ...["README.md", "BRANCHING.md", "LICENSE.md"].map((f) => path.join(root, f)).filter(existsSync),
    ...walk(path.join(root, ".specify"), (p) => p.endsWith(".md")),
    ...walk(path.join(root, "docs"), (p) => p.endsWith(".md")),
    ...walk(path.join(root, "infra"), (p) => p.endsWith(".md")),
    ...readdirSync(path.join(root, ".github"), { withFileTypes: true })
      .filter((d) => d.isFile() && d.name.endsWith(".md")).map((d) => path.join(root, ".github", d.name)),
  ];
  if (!sources.some((p) => path.basename(p) === "README.md" && path.dirname(p) === root)) {
    console.error("error: README.md not found at the repository root: it is the site's index");
    process.exit(2);
  }
  // dot-folders (.specify, .github) lose the dot: hosts and artifact tools skip hidden paths
  const siteRel = (abs) => path.relative(root, abs).split(path.sep).map((s) => s.replace(/^\.(?=.)/, "")).join("/");
  const pageOf = (src) => {
    const rel = siteRel(src);
    return rel === "README.md" ? "index.html" : rel.replace(/\.md$/, ".html");
  };
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const assets = new Set();
  const nav = sources.map((s) => ({ page: pageOf(s), title: path.relative(root, s) }));

  for (const src of sources) {
    const page = pageOf(src);
    const srcDir = path.dirname(src);
    const slug = slugger();
    const marked = new Marked({
      gfm: true,
      walkTokens(token) {
        if ((token.type === "link" || token.type === "image") && token.href && !/^[a-z][a-z0-9+.-]*:|^#|^\/\//i.test(token.href)) {
          const [target, anchor] = token.href.split("#", 2);
          const abs = path.resolve(srcDir, decodeURIComponent(target));
          let href;
          if (abs.endsWith(".md") && sources.includes(abs)) {
            href = path.relative(path.dirname(path.join(outDir, page)), path.join(outDir, pageOf(abs)));
          } else if (existsSync(abs) && statSync(abs).isFile() && abs.startsWith(root + path.sep)) {
            assets.add(abs);
            href = path.relative(path.dirname(path.join(outDir, page)), path.join(outDir, siteRel(abs)));
          } else {
            href = target; // left as written: the check below reports it
          }
          token.href = href + (anchor !== undefined ? `#${anchor}` : "");
        }
      },
      renderer: {
        heading({ tokens, depth }) {
          const html = this.parser.parseInline(tokens);
          return `<h${depth} id="${slug(html)}">${html}</h${depth}>\n`;
        },
      },
    });
    const body = marked.parse(readFileSync(src, "utf8"));
    const up = path.relative(path.dirname(path.join(outDir, page)), outDir) || ".";
    const links = nav.map((n) => `<li><a href="${up}/${n.page}">${escapeHtml(n.title)}</a></li>`).join("");
    const title = escapeHtml(path.relative(root, src));
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · PR-CYBR-N0D3</title>
<style>body{font:16px/1.5 system-ui,sans-serif;margin:0;display:flex}nav{min-width:16rem;padding:1rem;background:#f4f4f4}
main{max-width:52rem;padding:1rem 2rem}pre{background:#f6f8fa;padding:.75rem;overflow:auto}code{font-size:90%}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25rem .5rem}nav ul{padding-left:1rem}</style>
</head><body><nav><strong>PR-CYBR-N0D3</strong><ul>${links}</ul></nav><main>
${body}</main></body></html>
`;
    mkdirSync(path.dirname(path.join(outDir, page)), { recursive: true });
    writeFileSync(path.join(outDir, page), html);
  }
  for (const a of assets) {
    const dest = path.join(outDir, siteRel(a));
    mkdirSync(path.dirname(dest), { recursive: true });
    cpSync(a, dest);
  }
  writeFileSync(path.join(outDir, ".nojekyll"), "");
  console.error(`site: ${sources.length} page(s), ${assets.size} linked file(s) -> ${outDir}`);
}

// every relative href/src of every page resolves to a file of the site, and every #anchor to an id
function check(dir) {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) usage(`${dir}: not a directory`);
  const pages = walk(dir, (p) => p.endsWith(".html"));
  if (!pages.some((p) => p === path.join(dir, "index.html"))) {
    console.log(`${path.join(dir, "index.html")}: missing: the site has no index page`);
    return 1;
  }
  const ids = new Map();
  const idsOf = (file) => {
    if (!ids.has(file)) ids.set(file, new Set([...readFileSync(file, "utf8").matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])));
    return ids.get(file);
  };
  let broken = 0;
  for (const page of pages) {
    const html = readFileSync(page, "utf8");
    for (const m of html.matchAll(/\s(?:href|src)="([^"]*)"/g)) {
      const href = m[1].replace(/&amp;/g, "&");
      if (/^[a-z][a-z0-9+.-]*:|^\/\//i.test(href)) continue;
      const [target, anchor] = href.split("#", 2);
      let file = target === "" ? page : path.resolve(path.dirname(page), decodeURIComponent(target));
      if (existsSync(file) && statSync(file).isDirectory()) file = path.join(file, "index.html");
      const rel = path.relative(dir, page);
      if (!existsSync(file)) {
        console.log(`${rel}: broken link '${href}': no ${path.relative(dir, file)}`);
        broken++;
      } else if (target.endsWith(".md")) {
        console.log(`${rel}: link '${href}' still points at Markdown`);
        broken++;
      } else if (anchor && file.endsWith(".html") && !idsOf(file).has(anchor)) {
        console.log(`${rel}: broken anchor '${href}': no id '${anchor}' in ${path.relative(dir, file)}`);
        broken++;
      }
    }
  }
  console.error(`site check: ${pages.length} page(s), ${broken} broken link(s)`);
  return broken === 0 ? 0 : 1;
}

if (flag === "--out") build();
process.exit(check(outDir));
