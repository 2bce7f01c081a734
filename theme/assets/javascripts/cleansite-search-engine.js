/* cleansite: the search engine of the static index (generator/search.py writes it).

   One engine for every place a query runs: Material's search box (through
   cleansite-search-worker.js, in a worker or the iframe-worker shim from file://), the
   full search page (cleansite-search-page.js) and the tests (node). It loads only the
   files a query needs, each a script that hands its data to a cs*() function:
     tables.js       post spellings (IDs as cables cite them), spelling variants, stopwords
     t<N>.js         term shard: term -> [document frequency, best postings (document gaps and impacts)]
     l<key>.js       lexicon bucket: the words that begin ("p") or end ("s") with two letters (one more
                     for each level a large bucket was split at: settings.split)
     d<N>.js         document shard: [ID, title, created, origin, classification, TAGS, location]
     x/<K>/<N>.js    the text of document N, block by block (for the excerpt)
     facets.js       the values of origin, classification, TAG and month, and their files
     f/<file>.js     the documents of one facet value (a bitmap or a list)
   Documents are numbered by date, so a date range is a range of numbers. */
(function (root) {
  "use strict";

  var store = { terms: {}, docs: {}, lex: {}, parsed: {}, texts: {}, facets: {}, tables: null, facetList: null };
  root.csTerms = function (shard, data) { store.terms[shard] = data; };
  root.csDocs = function (shard, rows) { store.docs[shard] = rows; };
  root.csLex = function (key, text) { store.lex[key] = text; };
  root.csText = function (number, blocks) { store.texts[number] = blocks; };
  root.csFacet = function (name, data) { store.facets[name] = data; };
  root.csTables = function (data) { store.tables = data; };
  root.csFacets = function (data) { store.facetList = data; };

  // A completion of the word being typed that is rare (in at most 5 documents: its postings are in the lexicon)
  // counts as the word itself would: a reader who types the start of a word to find a cable types one that singles
  // it out. A common completion counts a tenth. (Tuned on one half of the corpus: bench/search_quality.py.)
  var WEIGHT = { id: 1000, exact: 1, variant: 1, rareCompletion: 1, commonCompletion: 0.1, typo: 0.3 };
  var PREFIX_TERMS = 6, TYPO_TERMS = 3, MIN_PREFIX = 3, MIN_TYPO = 5;
  var IMPACT_LEVELS = 26, BM25_K1 = 1.2, BM25_B = 0.75;  // as generator/search.py writes impacts

  function fnv1a(text) {
    var hash = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) {
      hash ^= text.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193) >>> 0;
    }
    return hash >>> 0;
  }

  function tokens(text) {
    return (String(text).toLowerCase().match(/[a-z0-9]+/g) || []);
  }

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
    });
  }

  function Engine(base, settings, load) {
    this.base = base + "search/cleansite/";
    this.settings = settings;
    this.loadScript = load;
    this.loaded = [];
  }

  Engine.prototype.load = async function (path, ready) {
    if (ready()) return;
    this.loaded.push(path);
    try { await this.loadScript(this.base + path); } catch (error) { /* a missing file is an empty one */ }
  };

  Engine.prototype.tables = async function () {
    await this.load("tables.js", function () { return store.tables; });
    return store.tables || { posts: {}, variants: {}, stopwords: [] };
  };

  Engine.prototype.facetList = async function () {
    await this.load("facets.js", function () { return store.facetList; });
    return store.facetList || { origin: [], classification: [], tag: [], month: [] };
  };

  /* ---- the query: IDs, phrases, words ---- */

  // A year, a post in 1-3 words, a serial: "10 CHENGDU 28", "2009 THE HAGUE 000012".
  function findIds(words, posts) {
    var ids = [], rest = [];
    for (var i = 0; i < words.length; i++) {
      var found = idAt(words, i, posts);
      if (found) { ids.push({ term: found.term, words: words.slice(i, found.end) }); i = found.end - 1; } else { rest.push(words[i]); }
    }
    return { ids: ids, rest: rest };
  }

  function idAt(words, i, posts) {
    var glued = /^(\d{2})?([a-z]+)0*(\d+)$/.exec(words[i]);  // 10chengdu28, chengdu000028
    if (glued && posts[glued[2]]) return { term: (glued[1] || "") + posts[glued[2]] + glued[3], end: i + 1 };
    var year = /^(\d{2}|\d{4})$/.test(words[i]) ? words[i].slice(-2) : "";
    var start = year ? i + 1 : i;
    for (var n = 3; n >= 1; n--) {
      if (start + n >= words.length) continue;
      var name = words.slice(start, start + n).join("");
      var serial = /^0*(\d+)$/.exec(words[start + n]);
      if (/^[a-z]+$/.test(name) && posts[name] && serial) return { term: year + posts[name] + serial[1], end: start + n + 1 };
    }
    return null;
  }

  function stopwords(tables) {
    var stop = {};
    (tables.stopwords || []).forEach(function (w) { stop[w] = true; });
    return stop;
  }

  // The query's IDs, its words (stopwords and IDs taken out), the word being typed, its phrases.
  function parse(raw, tables) {
    var phrases = [];
    var rest = String(raw).replace(/"([^"]*)("|$)/g, function (_, phrase) { phrases.push(phrase); return " "; });
    var stop = stopwords(tables);
    var found = findIds(tokens(rest), tables.posts || {});
    var last = tokens(rest).slice(-1)[0];
    var words = found.rest.filter(function (w, i, all) { return w.length > 1 && !stop[w] && all.indexOf(w) === i; });
    return {
      ids: found.ids,
      words: words,
      prefix: !/[\s"]$/.test(raw) && words.indexOf(last) >= 0 ? last : null,
      phrases: phrases.map(function (p) {
        return tokens(p).filter(function (w) { return w.length > 1 && !stop[w]; });
      }).filter(function (p) { return p.length; })
    };
  }

  /* ---- expansions: variants, prefixes, typos ---- */

  function distanceOne(a, b) {
    if (a === b || Math.abs(a.length - b.length) > 1) return false;
    var i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1);
    return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
  }

  // The lexicon bucket of a word: its first ("p") or last ("s") two letters, one more letter for each level
  // the index split that bucket at (``split`` names them; a word too short for the next level stays).
  Engine.prototype.bucket = async function (family, word) {
    var split = this.splitKeys || (this.splitKeys = new Set(this.settings.split || []));
    var ends = function (n) { return family + (family === "p" ? word.slice(0, n) : word.slice(-n)); };
    var depth = 2, key = ends(2);
    while (split.has(key) && word.length > depth) key = ends(++depth);
    await this.load("l" + key + ".js", function () { return key in store.lex; });
    if (!store.parsed[key]) {
      store.parsed[key] = (store.lex[key] || "").split(" ").filter(Boolean).map(function (entry) {
        var parts = entry.split(":");  // word:frequency, or word:frequency:postings for a rare word
        return [parts[0], parseInt(parts[1], 36), parts[2] || ""];
      });
    }
    return store.parsed[key];
  };

  // Postings as the index writes them: the gap from the previous document (base 36), then the impact as a
  // capital letter (A = 1 ... Z = 26: BM25's term-frequency part, from the document's length and the word's use).
  function decodePostings(text) {
    var list = [], at = -1, pattern = /([0-9a-z]+)([A-Z])/g, found;
    while ((found = pattern.exec(text))) {
      at += parseInt(found[1], 36);
      list.push([at, (found[2].charCodeAt(0) - 64) / IMPACT_LEVELS * (BM25_K1 + 1)]);
    }
    return list;
  }

  Engine.prototype.expand = async function (word, query, tables) {
    var group = [{ term: word, weight: WEIGHT.exact, kind: "exact" }];
    var have = {}; have[word] = true;
    (tables.variants[word] || []).forEach(function (v) {
      if (!have[v]) { have[v] = true; group.push({ term: v, weight: WEIGHT.variant, kind: "variant" }); }
    });
    if (!/^[a-z]+$/.test(word)) return group;
    if (query.prefix === word && word.length >= MIN_PREFIX) {
      var longer = (await this.bucket("p", word)).filter(function (e) { return e[0].length > word.length && e[0].indexOf(word) === 0; });
      cheapest(longer, PREFIX_TERMS).forEach(function (e) {
        var weight = e[2] ? WEIGHT.rareCompletion : WEIGHT.commonCompletion;
        if (!have[e[0]]) { have[e[0]] = true; group.push({ term: e[0], weight: weight, kind: "prefix", entry: e }); }
      });
    }
    if (word.length >= MIN_TYPO) {
      var near = (await this.bucket("p", word)).concat(await this.bucket("s", word)).filter(function (e) { return distanceOne(word, e[0]); });
      cheapest(near, TYPO_TERMS).forEach(function (e) {
        if (!have[e[0]]) { have[e[0]] = true; group.push({ term: e[0], weight: WEIGHT.typo, kind: "typo", entry: e }); }
      });
    }
    return group;
  };

  // Every rare word (its postings come with it), and the ``count`` most frequent others (each costs a term shard).
  function cheapest(entries, count) {
    var rare = entries.filter(function (e) { return e[2]; });
    var other = entries.filter(function (e) { return !e[2]; }).sort(function (a, b) { return b[1] - a[1] || (a[0] < b[0] ? -1 : 1); });
    return other.slice(0, count).concat(rare.slice(0, 200));
  }

  /* ---- postings ---- */

  // ``entry``: the word's lexicon entry when a bucket already gave it (a completion, a correction): no other bucket to load.
  Engine.prototype.postings = async function (term, entry) {
    if (!entry && /^[a-z]{3,}$/.test(term)) {  // a word: the lexicon knows it, and holds a rare word's postings
      entry = (await this.bucket("p", term)).filter(function (e) { return e[0] === term; })[0];
      if (!entry) return { df: 0, list: [] };
    }
    if (entry && entry[2]) return { df: entry[1], list: decodePostings(entry[2]) };
    return this.shardPostings(term);
  };

  Engine.prototype.shardPostings = async function (term) {
    var shard = fnv1a(term) % this.settings.term_shards;
    await this.load("t" + shard + ".js", function () { return shard in store.terms; });
    var entry = (store.terms[shard] || {})[term];
    if (!entry) return { df: 0, list: [] };
    return { df: entry[0], list: decodePostings(entry[1]) };
  };

  // A document's length over the mean, from the impact of a word it uses once. For a completion, which word the
  // reader means is uncertain: the shorter the document, the likelier a word of it is the one (BM25's length
  // part alone let long documents holding many completions come first).
  function relativeLength(impact) {
    return Math.max(0.05, ((BM25_K1 + 1) / impact - 1 - BM25_K1 * (1 - BM25_B)) / (BM25_K1 * BM25_B));
  }

  // One requirement of the query (a word with its expansions, a phrase, an ID): document -> score.
  Engine.prototype.match = async function (group) {
    var scores = {}, hits = {}, df = 0, complete = true;
    for (var i = 0; i < group.length; i++) {
      var found = await this.postings(group[i].term, group[i].entry);
      if (!found.df) continue;
      df += found.df;
      complete = complete && found.list.length === found.df;
      var idf = Math.log(1 + this.settings.documents / found.df);
      var completion = group[i].kind === "prefix";
      found.list.forEach(function (p) {
        var score = group[i].weight * idf * (completion ? Math.sqrt(1 / relativeLength(p[1])) : p[1]);
        if (!(p[0] in scores) || score > scores[p[0]]) scores[p[0]] = score;
        (hits[p[0]] = hits[p[0]] || []).push(group[i].term);
      });
    }
    return { scores: scores, hits: hits, df: df, complete: complete, group: group };
  };

  /* ---- filters ---- */

  function decodeFacet(data) {
    var docs = [];
    if (data.charAt(0) === "L") {  // a list: gaps between document numbers, base 36
      var at = -1;
      data.slice(1).split(",").filter(Boolean).forEach(function (gap) { at += parseInt(gap, 36); docs.push(at); });
      return docs;
    }
    var bytes = typeof atob === "function" ? atob(data.slice(1)) : Buffer.from(data.slice(1), "base64").toString("binary");
    for (var i = 0; i < bytes.length; i++) {
      var byte = bytes.charCodeAt(i);
      for (var bit = 0; bit < 8; bit++) if (byte & (1 << bit)) docs.push(i * 8 + bit);
    }
    return docs;
  }

  // The documents the filters allow: null (no filter) or a set of numbers; a date range is a range of numbers.
  Engine.prototype.allowed = async function (filters) {
    var sets = [];
    var list = (filters.origin || filters.classification || filters.tag || filters.from || filters.to) ? await this.facetList() : null;
    for (var kind of ["origin", "classification", "tag"]) {
      if (!filters[kind]) continue;
      var entry = list[kind].filter(function (e) { return e[0] === filters[kind]; })[0];
      if (!entry) return new Set();
      await this.load("f/" + entry[2] + ".js", function () { return entry[2] in store.facets; });
      sets.push(new Set(decodeFacet(store.facets[entry[2]] || "L")));
    }
    var range = (filters.from || filters.to) ? dateRange(list.month, filters.from, filters.to) : null;
    if (!sets.length && !range) return null;
    var base = sets.length ? sets.shift() : null;
    var out = new Set();
    var each = base ? Array.from(base) : rangeNumbers(range);
    each.forEach(function (n) {
      if (range && (n < range[0] || n >= range[1])) return;
      if (sets.every(function (s) { return s.has(n); })) out.add(n);
    });
    return out;
  };

  function dateRange(months, from, to) {
    var first = Infinity, last = -1;
    months.forEach(function (m) {  // [month, first document, after the last]
      if ((!from || m[0] >= from.slice(0, 7)) && (!to || m[0] <= to.slice(0, 7))) { first = Math.min(first, m[1]); last = Math.max(last, m[2]); }
    });
    return first === Infinity ? [0, 0] : [first, last];
  }

  function rangeNumbers(range) {
    var out = [];
    for (var n = range[0]; n < range[1]; n++) out.push(n);
    return out;
  }

  /* ---- the search ---- */

  Engine.prototype.search = async function (raw, options) {
    options = options || {};
    var tables = await this.tables();
    var query = parse(raw, tables);
    var idGroups = [];
    for (var i = 0; i < query.ids.length; i++) {  // an ID no document has was words after all ("Cairo 2009 elections")
      var byId = await this.match([{ term: query.ids[i].term, weight: WEIGHT.id, kind: "id" }]);
      if (byId.df) idGroups.push(byId);
      else query.words = query.words.concat(query.ids[i].words.filter(function (w) { return w.length > 1 && !/^\d+$/.test(w); }));
    }
    var groups = [];
    for (var w = 0; w < query.words.length; w++) groups.push(await this.match(await this.expand(query.words[w], query, tables)));
    var pairs = [].concat.apply([], query.phrases.map(phraseGroups));
    for (var p = 0; p < pairs.length; p++) {
      var pair = await this.match(pairs[p]);
      if (pair.df || pairs[p][0].kind !== "phrase") { groups.push(pair); continue; }
      var two = pairs[p][0].term.split(" ");  // a pair of rare words is not indexed: each word is required
      for (var t = 0; t < 2; t++) groups.push(await this.match([{ term: two[t], weight: WEIGHT.exact, kind: "exact" }]));
    }
    var allowed = await this.allowed(options.filters || {});
    var ranked = rank(groups, idGroups, allowed, this.settings.documents);
    sortBy(ranked.list, options.sort || "relevance");
    var start = options.start || 0, size = options.size || 10;
    var items = [];
    for (var r = start; r < Math.min(ranked.list.length, start + size); r++) items.push(await this.item(ranked.list[r], options.excerpts !== false));
    return { total: ranked.total, approximate: ranked.approximate, partial: ranked.partial, items: items, query: query, start: start };
  };

  // A phrase: each pair of its neighbouring words (stopwords left out, as the index does) is a requirement.
  function phraseGroups(words) {
    if (words.length === 1) return [[{ term: words[0], weight: WEIGHT.exact, kind: "exact" }]];
    var groups = [];
    for (var i = 0; i + 1 < words.length; i++) groups.push([{ term: words[i] + " " + words[i + 1], weight: WEIGHT.exact, kind: "phrase" }]);
    return groups;
  }

  // Documents holding every requirement (else as many as any holds), ID hits first; the count, exact when it can be.
  function rank(groups, idGroups, allowed, documents) {
    var byId = {};
    idGroups.forEach(function (g) {
      Object.keys(g.scores).forEach(function (n) { byId[n] = (byId[n] || 0) + g.scores[n]; });
    });
    var candidates = candidateSet(groups, allowed);
    var list = [];
    candidates.docs.forEach(function (n) {
      var score = 0, hits = [], matched = 0;
      groups.forEach(function (g) {
        if (n in g.scores) { score += g.scores[n]; matched++; hits = hits.concat(g.hits[n]); }
      });
      if (byId[n]) score += byId[n];
      list.push({ doc: n, score: score, matched: matched, hits: hits });
    });
    Object.keys(byId).map(Number).forEach(function (n) {
      if (candidates.docs.has(n) || (allowed && !allowed.has(n))) return;
      list.push({ doc: n, score: byId[n], matched: 0, hits: [] });
    });
    var total = list.length, approximate = false;
    var truncated = groups.filter(function (g) { return !g.complete; });
    if (truncated.length && groups.length) {  // postings keep a term's best documents only: scale what the rarest term shows
      var rarest = groups.slice().sort(function (a, b) { return a.df - b.df; })[0];
      var shown = Object.keys(rarest.scores).length;
      if (shown < rarest.df) { total = Math.round(candidates.docs.size * rarest.df / Math.max(1, shown)) + Object.keys(byId).length; approximate = true; }
    }
    return { list: list, total: total, approximate: approximate, partial: candidates.partial };
  }

  function candidateSet(groups, allowed) {
    if (!groups.length) return { docs: allowed ? new Set(allowed) : new Set(), partial: false };
    var counts = {};
    groups.forEach(function (g) { Object.keys(g.scores).forEach(function (n) { counts[n] = (counts[n] || 0) + 1; }); });
    var best = 0;
    Object.keys(counts).forEach(function (n) { if (!allowed || allowed.has(Number(n))) best = Math.max(best, counts[n]); });
    var docs = new Set();
    Object.keys(counts).forEach(function (n) {
      if (counts[n] === best && best > 0 && (!allowed || allowed.has(Number(n)))) docs.add(Number(n));
    });
    return { docs: docs, partial: best > 0 && best < groups.length };
  }

  function sortBy(list, sort) {
    list.sort(function (a, b) {
      if (sort === "newest") return b.doc - a.doc;
      if (sort === "oldest") return a.doc - b.doc;
      return (b.score - a.score) || (a.doc - b.doc);
    });
  }

  /* ---- a result: its document, and the block that matches best as the excerpt ---- */

  Engine.prototype.item = async function (hit, excerpts) {
    var per = this.settings.docs_per_shard, shard = Math.floor(hit.doc / per);
    await this.load("d" + shard + ".js", function () { return shard in store.docs; });
    var row = (store.docs[shard] || [])[hit.doc % per] || ["", "", "", "", "", "", ""];
    var words = [];
    hit.hits.forEach(function (t) { t.split(" ").forEach(function (w) { if (words.indexOf(w) < 0) words.push(w); }); });
    var item = {
      doc: hit.doc, id: row[0], title: row[1], created: row[2], origin: row[3], classification: row[4], tags: row[5],
      location: row[6] || "cables/" + row[0] + ".html", score: hit.score, terms: words, excerpt: "", anchor: ""
    };
    if (excerpts && row[0] && words.length) {
      var folder = Math.floor(hit.doc / 1000), number = hit.doc;
      await this.load("x/" + folder + "/" + number + ".js", function () { return number in store.texts; });
      var best = bestBlock(store.texts[number] || [], words);
      if (best) { item.excerpt = excerpt(best[1], words); item.anchor = best[0]; }
    }
    return item;
  };

  function wordPattern(words) {
    return new RegExp("\\b(" + words.map(function (w) { return w.replace(/[^a-z0-9]/g, ""); }).join("|") + ")", "gi");
  }

  function bestBlock(blocks, words) {
    var best = null, bestScore = 0;
    blocks.forEach(function (block) {
      var found = {}, count = 0;
      (block[1].match(wordPattern(words)) || []).forEach(function (m) { found[m.toLowerCase()] = true; count++; });
      var score = Object.keys(found).length * 100 + Math.min(count, 99);
      if (score > bestScore) { best = block; bestScore = score; }
    });
    return best;
  }

  function excerpt(text, words) {
    var pattern = wordPattern(words);
    var first = text.search(pattern);
    var start = Math.max(0, first - 80);
    if (start > 0) start = text.indexOf(" ", start) + 1 || start;
    var cut = text.slice(start, start + 260);
    var html = escapeHtml(cut).replace(wordPattern(words), "<mark>$1</mark>");
    return (start > 0 ? "… " : "") + html + (start + 260 < text.length ? " …" : "");
  }

  function reset() {  // forget every file loaded (the tests measure each query as a fresh page would)
    ["terms", "docs", "lex", "parsed", "texts", "facets"].forEach(function (k) { store[k] = {}; });
    store.tables = store.facetList = null;
  }

  var api = { reset: reset, Engine: Engine, parse: parse, fnv1a: fnv1a, distanceOne: distanceOne, escapeHtml: escapeHtml, store: store };
  root.CleansiteSearch = api;
  if (typeof module !== "undefined" && module.exports) module.exports = api;
})(typeof self !== "undefined" ? self : typeof window !== "undefined" ? window : globalThis);
