/* cleansite: a search worker for large collections that speaks the protocol of
   Material's search worker (SETUP 0, READY 1, QUERY 2, RESULT 3), so the search box
   looks and works the same. Instead of one index of the whole site, it loads only the
   term shards a query needs and the document shards of its best results, with
   importScripts, which works in a worker and in the iframe-worker shim (file://). */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var meta = null;
var base = "";
var termShards = {};
var docShards = {};

self.csTerms = function (shard, terms) { termShards[shard] = terms; };
self.csDocs = function (shard, docs) { docShards[shard] = docs; };

function fnv1a(text) {
  var hash = 0x811c9dc5;
  for (var i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

function tokens(query) {
  var seen = {};
  return (query.toLowerCase().match(/[a-z0-9]+/g) || []).filter(function (t) {
    if (t.length < 2 || seen[t]) return false;
    seen[t] = true;
    return true;
  });
}

function baseUrl() {
  var here = typeof document !== "undefined" && document.querySelector("script[src]")
    ? document.querySelector("script[src]").src : self.location.href;
  return here.split("assets/javascripts/workers/")[0];
}

async function load(url) {
  await importScripts(url);
}

function decode(postings) {
  return postings.split(",").map(function (pair) {
    var parts = pair.split(":");
    return [parseInt(parts[0], 36), parseInt(parts[1] || "1", 36)];
  });
}

function escape(text) {
  return String(text).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
  });
}

async function search(query) {
  var terms = tokens(query);
  var scores = {}, matched = {};
  for (var i = 0; i < terms.length; i++) {
    var shard = fnv1a(terms[i]) % meta.term_shards;
    if (!(shard in termShards)) await load(base + "search/cleansite/t" + shard + ".js");
    var entry = termShards[shard][terms[i]];
    if (!entry) continue;
    var idf = Math.log(1 + meta.documents / entry[0]);
    decode(entry[1]).forEach(function (posting) {
      scores[posting[0]] = (scores[posting[0]] || 0) + (1 + Math.log(posting[1])) * idf;
      matched[posting[0]] = (matched[posting[0]] || 0) + 1;
    });
  }
  var ranked = Object.keys(scores).map(Number).sort(function (a, b) {
    return (matched[b] - matched[a]) || (scores[b] - scores[a]) || (a - b);
  }).slice(0, meta.results);
  var items = [];
  for (var r = 0; r < ranked.length; r++) {
    var docShard = Math.floor(ranked[r] / meta.docs_per_shard);
    if (!(docShard in docShards)) await load(base + "search/cleansite/d" + docShard + ".js");
    var doc = docShards[docShard][ranked[r] % meta.docs_per_shard];
    var found = {};
    terms.forEach(function (t) { found[t] = true; });
    items.push([{  // a document: [ID, title, metadata]; a site page: ["", title, "", location]
      location: doc[3] || "cables/" + doc[0] + ".html",
      title: escape(doc[0] ? doc[0] + " — " + doc[1] : doc[1]),
      text: escape(doc[2]),
      score: scores[ranked[r]],
      terms: found
    }]);
  }
  return { items: items };
}

addEventListener("message", async function (event) {
  var message = event.data;
  if (message.type === SETUP) {
    meta = message.data.config.cleansite;
    base = baseUrl();
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    try {
      postMessage({ type: RESULT, data: await search(message.data) });
    } catch (error) {
      console.warn("cleansite search failed:", error);
      postMessage({ type: RESULT, data: { items: [] } });
    }
  }
});
