// Tests of infra/cloudfront-function.js under plain Node, loaded the way the
// cloudfront-js-2.0 runtime runs it: the file's source alone in a fresh
// context (no require, process, Buffer or timers), strict mode, `handler`
// called with a CloudFront Functions viewer-request event.
//
//   node infra/test/cloudfront-function.test.mjs [OUT.json]
//
// With OUT.json, the generated cases (query, accept, what the function
// forwards) are written there for the Rust side to check
// (`cargo test -p edgepix-server edge_function -- --ignored`).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const source = fs.readFileSync(path.join(root, 'infra/cloudfront-function.js'), 'utf8');
const vectors = JSON.parse(fs.readFileSync(path.join(root, 'tests/vectors/canonical.json'), 'utf8'));
const CHROME = 'image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8';
const SAFARI = 'image/webp,image/png,image/svg+xml,image/*;q=0.8,video/*;q=0.8,*/*;q=0.5';

/** The function's `handler`, from its source (optionally edited) in a bare context. */
function load(code = source) {
  const context = vm.createContext(Object.create(null));
  vm.runInContext(`'use strict';\n${code}\nglobalThis.handler = handler;`, context, {
    timeout: 1000,
  });
  return context.handler;
}

/** A viewer-request event as CloudFront builds it: repeated names get `multiValue`. */
function event(query, accept) {
  const querystring = {};
  for (const pair of query.split('&').filter(Boolean)) {
    const at = pair.indexOf('=');
    const [name, value] = at < 0 ? [pair, ''] : [pair.slice(0, at), pair.slice(at + 1)];
    const field = querystring[name];
    if (!field) querystring[name] = { value };
    else (field.multiValue ??= [{ value: field.value }]).push({ value });
  }
  const headers = { host: { value: 'd111111abcdef8.cloudfront.net' } };
  if (accept !== undefined && accept !== null) headers.accept = { value: accept };
  return {
    version: '1.0',
    context: { eventType: 'viewer-request', distributionId: 'EDFDVBD6EXAMPLE' },
    viewer: { ip: '198.51.100.11' },
    request: { method: 'GET', uri: '/photo.jpg', querystring, headers, cookies: {} },
  };
}

/** Run the function; the forwarded query as a string, in the object's order. */
function forward(handler, query, accept) {
  const request = handler(event(query, accept));
  assert.equal(request.uri, '/photo.jpg');
  return Object.entries(request.querystring)
    .map(([name, field]) => {
      assert.equal(field.multiValue, undefined, name);
      return `${name}=${field.value}`;
    })
    .join('&');
}

const handler = load();

test('every shared vector', () => {
  assert.ok(vectors.cases.length > 60);
  for (const c of vectors.cases) {
    const expected = c.edge ?? c.canonical;
    assert.equal(typeof expected, 'string', `vector ${c.query} says nothing for the edge`);
    assert.equal(forward(handler, c.query, c.accept), expected, `query ${JSON.stringify(c.query)}`);
  }
});

test('signed-URL parameters s and exp pass through unchanged', () => {
  const sig = 'Zm9v-YmFy_YmF6';
  const cases = [
    [`w=200&s=${sig}&exp=1767225600&f=webp`, undefined, `exp=1767225600&f=webp&s=${sig}&w=200`],
    [`S=${sig}&EXP=1767225600&f=auto&w=300`, CHROME, `anim=webp&exp=1767225600&f=avif&s=${sig}&w=300`],
    [`s=${sig}&exp=1&w=abc`, undefined, `exp=1&s=${sig}&w=abc`],
    [`s=a%2Bb&exp=1&utm_source=x`, undefined, 'exp=1&s=a%2Bb'],
    [`s=old&s=${sig}&exp=1&w=10`, undefined, `exp=1&s=${sig}&w=10`],
  ];
  for (const [query, accept, expected] of cases) {
    assert.equal(forward(handler, query, accept), expected, query);
  }
});

test('f=auto follows Accept, as the origin negotiates', () => {
  // AVIF brings anim=webp (an animated source becomes animated WebP).
  assert.equal(forward(handler, 'f=auto&w=300', CHROME), 'anim=webp&f=avif&w=300');
  assert.equal(forward(handler, 'f=auto&w=300', SAFARI), 'f=webp&w=300');
  assert.equal(forward(handler, 'f=auto&w=300', '*/*'), 'w=300');
  assert.equal(forward(handler, 'f=auto&w=300', undefined), 'w=300');
  // The AVIF limit is on the box after dpr: 500x500 is fine, 1001x1000 is not.
  assert.equal(forward(handler, 'f=auto&w=250&dpr=2', CHROME), 'anim=webp&f=avif&w=500');
  assert.equal(forward(handler, 'f=auto&w=1001&h=1000', CHROME), 'f=webp&h=1000&w=1001');
});

test('anim: true is the default, webp only with AVIF, f=auto adds it', () => {
  assert.equal(forward(handler, 'anim=true&w=10', undefined), 'w=10');
  assert.equal(forward(handler, 'ANIM=False&w=10', undefined), 'anim=false&w=10');
  assert.equal(forward(handler, 'anim=WEBP&f=avif', undefined), 'anim=webp&f=avif');
  assert.equal(forward(handler, 'anim=webp&f=webp', undefined), 'f=webp');
  assert.equal(forward(handler, 'anim=webp&w=10', undefined), 'w=10');
  assert.equal(forward(handler, 'anim=false&f=auto&w=300', CHROME), 'anim=false&f=avif&w=300');
  assert.equal(forward(handler, 'anim=webp&f=auto&w=300', SAFARI), 'f=webp&w=300');
  assert.equal(forward(handler, 'anim=true&f=auto&w=2000', CHROME), 'f=webp&w=2000');
  // A value the origin rejects goes through as given, for its 400.
  assert.equal(forward(handler, 'anim=yes&w=10', undefined), 'anim=yes&w=10');
  assert.equal(forward(handler, 'anim=&f=auto', CHROME), 'anim=&f=auto');
});

test('pos: compass names for points, only where it changes the output', () => {
  assert.equal(forward(handler, 'pos=0.5,1&w=10&h=10', undefined), 'h=10&pos=bottom&w=10');
  assert.equal(forward(handler, 'pos=0.1250,0.2&w=10&h=10', undefined), 'h=10&pos=0.125,0.2&w=10');
  assert.equal(forward(handler, 'pos=0.0004,0.9995&w=10&h=10', undefined), 'h=10&pos=bottom-left&w=10');
  assert.equal(forward(handler, 'pos=entropy&fit=contain&w=10&h=10', undefined), 'fit=contain&h=10&w=10');
  assert.equal(forward(handler, 'pos=right&fit=contain&w=10&h=10', undefined), 'fit=contain&h=10&pos=right&w=10');
  assert.equal(forward(handler, 'pos=right&fit=inside&w=10&h=10', undefined), 'fit=inside&h=10&w=10');
  assert.equal(forward(handler, 'pos=right&w=10', undefined), 'w=10');
  assert.equal(forward(handler, 'pos=__proto__&w=10&h=10', undefined), 'h=10&pos=__proto__&w=10');
});

test('rect: four integers, forwarded as the origin reads them', () => {
  assert.equal(forward(handler, 'rect=0010,2,3,4&w=5&dpr=2', undefined), 'rect=10,2,3,4&w=10');
  assert.equal(forward(handler, 'rect=1,2,3,0', undefined), 'rect=1,2,3,0');
  assert.equal(forward(handler, 'rect=1,2,3,4,5&w=1', undefined), 'rect=1,2,3,4,5&w=1');
});

test('f=gif: a format, default quality 100', () => {
  assert.equal(forward(handler, 'f=gif&q=100', undefined), 'f=gif');
  assert.equal(forward(handler, 'F=GIF&q=50&w=10', undefined), 'f=gif&q=50&w=10');
  assert.equal(forward(handler, 'f=gif&anim=false', undefined), 'anim=false&f=gif');
  assert.equal(forward(handler, 'f=gif&anim=webp', undefined), 'f=gif');
});

test('optional width snapping', () => {
  const snapping = load(source.replace('var WIDTHS = [];', 'var WIDTHS = [320, 640, 1280];'));
  assert.notEqual(snapping, handler);
  assert.equal(forward(snapping, 'w=500', undefined), 'w=640');
  assert.equal(forward(snapping, 'w=200&dpr=2', undefined), 'w=640');
  assert.equal(forward(snapping, 'w=3000&f=webp', undefined), 'f=webp&w=1280');
  assert.equal(forward(snapping, 'w=320', undefined), 'w=320');
  // Two sides are a shape: left alone. Errors still reach the origin.
  assert.equal(forward(snapping, 'w=500&h=100', undefined), 'h=100&w=500');
  assert.equal(forward(snapping, 'w=0', undefined), 'w=0');
});

test('within the CloudFront Functions limits', () => {
  // Quota: 10 KB of function code. No Node APIs, no modules but crypto/cloudfront.
  assert.ok(Buffer.byteLength(source) <= 10 * 1024, `${Buffer.byteLength(source)} bytes`);
  for (const banned of [/\brequire\s*\(/, /\bimport\b/, /\beval\b/, /\bnew\s+Function\b/,
    /\bsetTimeout\b/, /\bprocess\b/, /\bBuffer\b/, /\bconsole\b/, /\bfetch\b/]) {
    assert.doesNotMatch(source, banned);
  }
  assert.match(source, /^function handler\(event\)/m);
});

/** A small seeded PRNG (mulberry32), so the generated cases are reproducible. */
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALUES = {
  w: ['1', '5', '100', '300', '999', '1000', '2000', '8192', '8193', '0', '-5', 'abc', '', '1.5', '000000100', '1234567890', '%32%30'],
  f: ['jpeg', 'jpg', 'JPG', 'png', 'webp', 'WebP', 'avif', 'auto', 'AUTO', 'gif', ''],
  q: ['1', '50', '80', '100', '0', '101', 'x', '080', 'auto', 'AUTO', 'autox'],
  fit: ['cover', 'contain', 'fill', 'inside', 'outside', 'CONTAIN', 'crop'],
  bg: ['fff', 'FFF', '%23ff000080', '00ff00ff', '123456', 'AbCdEf80', 'red', '12345', '%23%23fff'],
  anim: ['true', 'false', 'webp', 'WEBP', 'False', 'yes', ''],
  pos: ['center', 'top', 'Bottom', 'left', 'top-left', 'BOTTOM-RIGHT', 'attention', 'Entropy', '0.5,0.5',
    '0.5,0', '1,1.0', '0.25,0.7500', '0.12345,1', '0.9996,0.0004', '0.3%2C0.6', '1.1,0', '0.5', '.5,.5',
    'middle', '', '0.,0', 'constructor'],
  rect: ['0,0,10,10', '010,0,1,1', '5%2C5%2C20%2C20', '1,2,3', '0,0,0,5', '-1,0,5,5', 'a,b,c,d', '',
    '0,0,1234567890,1'],
  dpr: ['1', '1.5', '2', '2.25', '4', '3.99', '0.5', '5', '1.234', '2.', '.5'],
  s: ['abc123', 'Zm9v-YmFy_'],
  exp: ['1767225600'],
  utm_source: ['news'],
  zz: ['1'],
};
VALUES.h = VALUES.w;
const NAMES = [...Object.keys(VALUES), 'W', 'H', 'F', 'Q', 'FIT', 'Bg', 'DPR', 'S', 'ANIM', 'Pos', 'RECT'];
const ACCEPTS = [CHROME, SAFARI, '*/*', 'image/webp', 'image/avif;q=0.5,image/webp', 'image/avif', null];

/** Random queries over every name and tricky value, with repeats and case changes. */
function generate(count) {
  const next = rng(8);
  const pick = (list) => list[Math.floor(next() * list.length)];
  const cases = [];
  for (let i = 0; i < count; i++) {
    const pairs = [];
    for (let n = Math.floor(next() * 6); n > 0; n--) {
      const name = pick(NAMES);
      pairs.push(`${name}=${pick(VALUES[name.toLowerCase()])}`);
    }
    cases.push({ query: pairs.join('&'), accept: pick(ACCEPTS) });
  }
  return cases;
}

test('generated queries: the function is idempotent on its own output', () => {
  const cases = generate(4000);
  for (const c of cases) {
    c.edge = forward(handler, c.query, c.accept);
    // Once f=auto is resolved, Accept no longer matters.
    assert.equal(forward(handler, c.edge, null), c.edge, `${c.query} -> ${c.edge}`);
  }
  const out = process.argv[2];
  if (out) fs.writeFileSync(out, JSON.stringify({ cases }, null, 0));
});
