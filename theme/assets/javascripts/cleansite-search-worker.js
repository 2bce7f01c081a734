/* cleansite: Material's search box on the cleansite index. This worker speaks the protocol
   of Material's search worker (SETUP 0, READY 1, QUERY 2, RESULT 3), so the search box looks
   and works the same; the engine (cleansite-search-engine.js) loads only the files a query
   needs, with importScripts, which works in a worker and in the iframe-worker shim (file://).
   The first result leads to the search page with every result, the true count, filters and
   sorting; each other one shows the paragraph that matched best as its excerpt and opens it, its
   words highlighted. */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var engine = null;
var base = "";
var latest = 0;

function baseUrl() {
  var here = typeof document !== "undefined" && document.querySelector("script[src]")
    ? document.querySelector("script[src]").src : self.location.href;
  return here.split("assets/javascripts/workers/")[0];
}

async function load(url) {
  await importScripts(url);
}

function summary(query, answer) {
  var count = (answer.approximate ? "about " : "") + answer.total.toLocaleString("en");
  return [{
    location: "search.html?query=" + encodeURIComponent(query),
    title: (answer.total === 1 ? "1 result" : "All " + count + " results") + ": filters, sorting, more",
    text: answer.partial ? "No document holds every word: these hold most of them." : "",
    score: 0,
    terms: {}
  }];
}

// A result as Material draws one: the page (its title), then the paragraph that matched best (linked to its
// anchor) with the excerpt. Material shows the text of a section, not of a page that has sections.
function resultItem(item) {
  var terms = {};
  item.terms.forEach(function (t) { terms[t] = true; });
  var escape = self.CleansiteSearch.escapeHtml;
  var meta = [item.created.slice(0, 10), item.origin, item.classification].filter(Boolean).join(" · ");
  var text = (meta ? "<small>" + escape(meta) + "</small><br>" : "") + item.excerpt;
  var page = { location: item.location, title: escape(item.id ? item.id + " — " + item.title : item.title), text: text, score: item.score, terms: terms };
  if (!item.anchor) return [page];
  var paragraph = /^p(\d+)/.exec(item.anchor);
  return [
    { location: page.location, title: page.title, text: "", score: item.score, terms: terms },
    { location: item.location + "#" + item.anchor, title: paragraph ? "¶" + paragraph[1] : escape(item.anchor), text: text, score: item.score, terms: terms }
  ];
}

async function search(query) {
  if (!query.trim()) return { items: [] };
  var answer = await engine.search(query, { size: 10 });
  if (!answer.total) return { items: [] };
  return { items: [summary(query, answer)].concat(answer.items.map(resultItem)) };
}

addEventListener("message", async function (event) {
  var message = event.data;
  if (message.type === SETUP) {
    base = baseUrl();
    await load(base + "assets/javascripts/cleansite-search-engine.js");
    engine = new self.CleansiteSearch.Engine(base, message.data.config.cleansite, load);
    postMessage({ type: READY });
  } else if (message.type === QUERY) {
    var mine = ++latest;
    try {
      var data = await search(message.data);
      if (mine === latest) postMessage({ type: RESULT, data: data });
    } catch (error) {
      console.warn("cleansite search failed:", error);
      postMessage({ type: RESULT, data: { items: [] } });
    }
  }
});
