/* Run a built site's search engine in node on one query (tests and bench/search_quality.py):
   reads {"site", "query", "options"} (or {"site", "queries": [{"query", "options"}...]}) on stdin, prints the engine's answer and the files it loaded. */
"use strict";
const fs = require("fs");
const path = require("path");
const vm = require("vm");

const request = JSON.parse(fs.readFileSync(0, "utf8"));
const site = request.site;
vm.runInThisContext(fs.readFileSync(path.join(site, "assets/javascripts/cleansite-search-engine.js"), "utf8"));
const settings = JSON.parse(fs.readFileSync(path.join(site, "search/search_index.json"), "utf8")).config.cleansite;
const load = async (url) => vm.runInThisContext(fs.readFileSync(path.join(site, url), "utf8"));
async function main() {
  const queries = request.queries || [{ query: request.query, options: request.options }];
  const answers = [];
  for (const one of queries) {
    globalThis.CleansiteSearch.reset();
    const engine = new globalThis.CleansiteSearch.Engine("", settings, load);
    const answer = await engine.search(one.query, one.options || {});
    answer.loaded = engine.loaded;  // per query: what a fresh page would load
    answers.push(answer);
  }
  process.stdout.write(JSON.stringify(request.queries ? answers : answers[0]));
}
main();
