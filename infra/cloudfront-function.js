// edgepix viewer-request CloudFront Function (runtime cloudfront-js-2.0).
// Rewrites the query to edgepix's canonical form (README, "Canonical URLs")
// so equal requests are one cache entry, and turns f=auto into a concrete
// format from Accept, because CloudFront ignores Vary (AVIF adds anim=webp,
// as at the origin: an animated source becomes animated WebP). Unknown names
// are dropped; s and exp (signed URLs) pass through unchanged; a query the
// origin would reject goes through as given so the origin answers the 400.
// Tested under Node with tests/vectors/canonical.json (infra/test/).

// Keep equal to the function's EDGEPIX_MAX_OUTPUT_SIDE and
// EDGEPIX_AUTO_AVIF_MAX_PIXELS (infra/validate.py checks the template).
var MAX_SIDE = 8192;
var AVIF_MAX_PIXELS = 1000000;
// Optional: round a lone width up to one of these, e.g. [320, 640, 1280, 1920]
// (larger: the last one). [] leaves widths alone.
var WIDTHS = [];
// Every name the origin reads; the cache policy allowlists exactly these.
var KNOWN = ['anim', 'bg', 'dpr', 'exp', 'f', 'fit', 'h', 'pos', 'q', 'rect', 's', 'w'];
var FORMATS = { jpeg: 'jpeg', jpg: 'jpeg', png: 'png', webp: 'webp', avif: 'avif', gif: 'gif' };
var DEFAULT_Q = { jpeg: 80, webp: 80, avif: 50, png: 100, gif: 100 };
var FITS = { cover: 1, contain: 1, fill: 1, inside: 1, outside: 1 };
// pos: the compass names and the points they stand for (thousandths).
var PLACES = {
  center: '500,500', top: '500,0', bottom: '500,1000', left: '0,500', right: '1000,500',
  'top-left': '0,0', 'top-right': '1000,0', 'bottom-left': '0,1000', 'bottom-right': '1000,1000'
};

function handler(event) {
  var req = event.request;
  var qs = req.querystring;
  var accept = req.headers.accept ? req.headers.accept.value : '';
  // The origin's order: spellings (W, w) sorted byte-wise, the later one
  // winning; of a repeated name, the last value.
  var given = Object.keys(qs).map(function (k) {
    var d = decode(k), e = qs[k];
    return [d === null ? k : d, e.multiValue ? e.multiValue[e.multiValue.length - 1].value : e.value];
  }).sort(function (a, b) {
    return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
  }).map(function (e) {
    return [lower(e[0]), e[1]];
  }).filter(function (e) {
    return KNOWN.indexOf(e[0]) >= 0;
  });
  var out = canonical(given, accept);
  req.querystring = {};
  KNOWN.forEach(function (k) {
    if (out[k] !== undefined) req.querystring[k] = { value: String(out[k]) };
  });
  return req;
}

// The canonical parameters; if the origin would answer 400, the parameters
// as given instead (a rejected value rather than a later valid spelling).
function canonical(given, accept) {
  var p = {}, as = {}, bad = {}, failed = false;
  for (var i = 0; i < given.length; i++) {
    var k = given[i][0], v = given[i][1];
    if (!bad[k]) as[k] = v;
    if (k !== 's' && k !== 'exp') v = value(k, decode(v));
    if (v === null) bad[k] = failed = true;
    else p[k] = v;
  }
  if (failed) return as;
  var dpr = p.dpr || 100, auto = p.f === 'auto';
  var scale = function (n) {
    return n && Math.min(Math.floor((n * dpr + 50) / 100), MAX_SIDE);
  };
  p.w = scale(p.w);
  p.h = scale(p.h);
  p.dpr = undefined;
  if (p.w && !p.h && WIDTHS.length) p.w = snap(p.w);
  if (auto) p.f = negotiate(accept, p.w, p.h);
  // anim: true is the default; webp only changes AVIF, and f=auto adds it.
  if (p.anim === 'true') p.anim = undefined;
  if (auto && p.f === 'avif' && p.anim === undefined) p.anim = 'webp';
  if (p.anim === 'webp' && p.f !== 'avif') p.anim = undefined;
  if (p.f && p.q === DEFAULT_Q[p.f]) p.q = undefined;
  // pos only where it can change the output: cover; contain, a point.
  var fit = p.w && p.h ? p.fit || 'cover' : '';
  var smart = p.pos === 'attention' || p.pos === 'entropy';
  if (p.pos === 'center' || !(fit === 'cover' || (fit === 'contain' && !smart))) p.pos = undefined;
  if (p.fit === 'cover' || !(p.w && p.h)) p.fit = undefined;
  return p;
}

// One parameter's value as the origin reads it, or null if it rejects it.
function value(k, v) {
  if (v === null) return null;
  if (k === 'w' || k === 'h') return range(num(v), MAX_SIDE);
  if (k === 'q') return lower(v) === 'auto' ? 'auto' : range(num(v), 100);
  if (k === 'f') {
    v = lower(v);
    return v === 'auto' ? v : own(FORMATS, v) || null;
  }
  if (k === 'fit') return own(FITS, lower(v)) ? lower(v) : null;
  if (k === 'anim') {
    v = lower(v);
    return v === 'true' || v === 'false' || v === 'webp' ? v : null;
  }
  if (k === 'pos') return position(v);
  if (k === 'rect') return rect(v);
  return k === 'bg' ? colour(v) : hundredths(v);
}

// pos: a compass name where one fits the point, else X,Y (<= 3 decimals).
function position(v) {
  var l = lower(v), xy = own(PLACES, l), s = v.split(',');
  if (l === 'attention' || l === 'entropy') return l;
  if (!xy && s.length === 2 && milli(s[0]) !== null && milli(s[1]) !== null) {
    xy = milli(s[0]) + ',' + milli(s[1]);
  }
  if (!xy) return null;
  for (var k in PLACES) if (own(PLACES, k) === xy) return k;
  return xy.split(',').map(function (t) {
    t = parseInt(t, 10);
    return t === 0 || t === 1000 ? String(t / 1000) : ('0.' + ('00' + t).slice(-3)).replace(/0+$/, '');
  }).join(',');
}

// A fraction 0 to 1 (0, 1, 1 to 9 decimals) in thousandths, rounded half up.
function milli(v) {
  var m = /^([01])(?:\.([0-9]{1,9}))?$/.exec(v);
  if (!m) return null;
  var f = m[2] || '0';
  if (m[1] === '1') return /^0+$/.test(f) ? 1000 : null;
  f = (f + '0000').slice(0, 4);
  return parseInt(f.slice(0, 3), 10) + (f[3] >= '5' ? 1 : 0);
}

// rect: x,y,w,h as four integers, w and h at least 1 (bounds: the origin).
function rect(v) {
  var n = v.split(',').map(num);
  return n.length === 4 && n[0] >= 0 && n[1] >= 0 && n[2] >= 1 && n[3] >= 1 ? n.join(',') : null;
}

// A table's own entry: `constructor` or `__proto__` are not formats.
function own(table, k) {
  return Object.prototype.hasOwnProperty.call(table, k) ? table[k] : null;
}

function range(n, max) {
  return n >= 1 && n <= max ? n : null;
}

function decode(v) {
  try {
    return decodeURIComponent(v);
  } catch (e) {
    return null;
  }
}

// ASCII-only, like the origin's to_ascii_lowercase.
function lower(s) {
  return s.replace(/[A-Z]+/g, function (m) {
    return m.toLowerCase();
  });
}

// Strict decimal: 1 to 9 digits, no sign; -1 otherwise.
function num(v) {
  return /^[0-9]{1,9}$/.test(v) ? parseInt(v, 10) : -1;
}

// dpr 1 to 4 with at most two decimals, in hundredths.
function hundredths(v) {
  var m = /^([0-9])(?:\.([0-9]{1,2}))?$/.exec(v);
  var d = m ? parseInt(m[1], 10) * 100 + parseInt(((m[2] || '') + '00').slice(0, 2), 10) : 0;
  return d >= 100 && d <= 400 ? d : null;
}

// bg: rgb, rrggbb or rrggbbaa, optional '#'; lower-case, opaque alpha dropped.
function colour(v) {
  var x = lower(v.charAt(0) === '#' ? v.slice(1) : v);
  if (!/^[0-9a-f]*$/.test(x)) return null;
  if (x.length === 3) return x[0] + x[0] + x[1] + x[1] + x[2] + x[2];
  if (x.length === 8 && x.slice(6) === 'ff') return x.slice(0, 6);
  return x.length === 6 || x.length === 8 ? x : null;
}

function snap(w) {
  for (var i = 0; i < WIDTHS.length; i++) if (WIDTHS[i] >= w) return WIDTHS[i];
  return WIDTHS[WIDTHS.length - 1];
}

// f=auto as the origin decides: AVIF, then WebP, only when listed by name
// (q-values honoured); AVIF only for boxes up to AVIF_MAX_PIXELS (one side
// alone counts as a square, no size: never); else the source's format.
function negotiate(accept, w, h) {
  var box = w || h ? (w || h) * (h || w) : 0;
  var a = box && box <= AVIF_MAX_PIXELS ? weight(accept, 'image/avif') : 0;
  var b = weight(accept, 'image/webp');
  return a === 0 && b === 0 ? undefined : a >= b ? 'avif' : 'webp';
}

// The q-value (0 to 1000) Accept gives an exact media type, 0 if unlisted.
function weight(accept, type) {
  var entries = accept.split(',');
  for (var i = 0; i < entries.length; i++) {
    var parts = entries[i].split(';');
    if (lower(parts[0].trim()) !== type) continue;
    for (var j = 1; j < parts.length; j++) {
      var t = parts[j].trim();
      if (t.slice(0, 2) === 'q=' || t.slice(0, 2) === 'Q=') return qvalue(t.slice(2));
    }
    return 1000;
  }
  return 0;
}

// RFC 9110 qvalue in thousandths; junk counts as 0.
function qvalue(t) {
  var i = t.indexOf('.');
  if (i < 0) return t === '1' ? 1000 : 0;
  var a = t.slice(0, i), b = t.slice(i + 1);
  if (a === '0' && /^[0-9]{0,3}$/.test(b)) return parseInt((b + '000').slice(0, 3), 10);
  return a === '1' && /^0*$/.test(b) ? 1000 : 0;
}
