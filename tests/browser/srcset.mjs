// Headless Chromium against a running edgepix: a page with <img srcset> URLs
// using f=auto must get images decoded at the expected sizes in AVIF (the
// browser's Accept header asks for it), and a second load must be served
// from the browser's cache or revalidated with a 304, never downloaded again.
//
//   node tests/browser/srcset.mjs http://127.0.0.1:3000 [screenshot.png]
// Needs Debian's chromium and playwright-core (PLAYWRIGHT_PREFIX: the npm
// prefix it was installed into; .ci/run installs both). The page itself is
// served by a throwaway loopback server here, as a site embedding edgepix
// images would be (edgepix's own non-image answers carry a CSP that forbids
// loading anything, so they cannot host it; Playwright's request routing
// would switch the HTTP cache off).
import http from "node:http";
import { launch, tally } from "./harness.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const screenshot = process.argv[3];

const html = (base) => `<!doctype html><meta charset="utf-8"><title>edgepix srcset</title>
<body style="margin:0;background:#eee">
<img id="srcset" sizes="200px" style="width:200px"
     srcset="${base}/astronaut.png?w=200&f=auto 200w, ${base}/astronaut.png?w=400&f=auto 400w, ${base}/astronaut.png?w=800&f=auto 800w">
<img id="cover" style="width:150px" src="${base}/chelsea.png?w=300&h=300&fit=cover&f=auto">
<img id="contain" style="width:150px" src="${base}/rocket.jpg?w=150&h=150&fit=contain&f=auto&dpr=2">
</body>`;
// At devicePixelRatio 2 a 200px-wide slot picks the 400w candidate; the
// browser reports a srcset image's natural size density-corrected (400 px
// at density 2 → 200), so 200×200 means the 400-px image decoded.
const expected = {
  srcset: { width: 200, height: 200, url: "/astronaut.png?w=400&f=auto" },
  cover: { width: 300, height: 300, url: "/chelsea.png?w=300&h=300&fit=cover&f=auto" },
  contain: { width: 300, height: 300, url: "/rocket.jpg?w=150&h=150&fit=contain&f=auto&dpr=2" },
};

const { check, finish } = tally();

const site = http.createServer((_, res) => res.writeHead(200, { "content-type": "text/html" }).end(html(base)));
await new Promise((resolve) => site.listen(0, "127.0.0.1", resolve));
const page_url = `http://127.0.0.1:${site.address().port}/`;

const browser = await launch();
try {
  const context = await browser.newContext({ deviceScaleFactor: 2, viewport: { width: 800, height: 600 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  // CDP events for one request can arrive in any order (an ExtraInfo event
  // may come before requestWillBeSent): every handler merges into one record.
  const seen = new Map(); // requestId -> {url, status, wire, fromCache, ...}
  const rec = (id) => {
    if (!seen.has(id)) seen.set(id, {});
    return seen.get(id);
  };
  cdp.on("Network.requestWillBeSent", (e) => Object.assign(rec(e.requestId), { url: e.request.url }));
  cdp.on("Network.requestServedFromCache", (e) => Object.assign(rec(e.requestId), { fromCache: true }));
  // The status on the wire (a 304 shows as the cached 200 in responseReceived).
  cdp.on("Network.responseReceivedExtraInfo", (e) => Object.assign(rec(e.requestId), { wire: e.statusCode }));
  cdp.on("Network.responseReceived", (e) => {
    const r = rec(e.requestId);
    Object.assign(r, {
      url: r.url ?? e.response.url,
      status: e.response.status, type: e.response.mimeType, vary: e.response.headers["vary"] ?? e.response.headers["Vary"],
      fromCache: r.fromCache || e.response.fromDiskCache || e.response.fromMemoryCache,
    });
  });
  const ofInterest = () => [...seen.values()].filter((r) => r.url?.includes("f=auto"));

  const load = async () => {
    seen.clear();
    await page.goto(page_url, { waitUntil: "load" });
    // AVIF encodes take a while on a cold cache: wait for every image.
    await page.waitForFunction(() => [...document.images].every((i) => i.complete && i.naturalWidth > 0),
      null, { timeout: 60000 });
    await page.waitForLoadState("networkidle");
    const images = await page.$$eval("img", (imgs) => imgs.map((i) => ({
      id: i.id, complete: i.complete, width: i.naturalWidth, height: i.naturalHeight, src: i.currentSrc,
    })));
    const requests = ofInterest();
    return { images, requests };
  };

  const first = await load();
  for (const img of first.images) {
    const want = expected[img.id];
    check(img.complete && img.width === want.width && img.height === want.height,
      `${img.id}: decoded ${img.width}x${img.height}, want ${want.width}x${want.height}`);
    check(img.src === base + want.url, `${img.id}: browser chose ${img.src.replace(base, "")}`);
  }
  for (const r of first.requests) {
    check(r.status === 200 && r.type === "image/avif" && r.vary === "Accept",
      `first load ${r.url.replace(base, "")}: ${r.status} ${r.type}, Vary ${r.vary}`);
  }
  check(first.requests.length === 3, `first load fetched ${first.requests.length} images`);
  if (screenshot) await page.screenshot({ path: screenshot });

  const second = await load();
  for (const img of second.images) {
    check(img.width === expected[img.id].width, `second load ${img.id}: decoded ${img.width}x${img.height}`);
  }
  const downloaded = second.requests.filter((r) => !r.fromCache && r.status !== 304);
  for (const r of second.requests) {
    console.log(`     second load ${r.url.replace(base, "")}: ${r.fromCache ? "from cache" : r.status}`);
  }
  check(downloaded.length === 0, `second load downloaded ${downloaded.length} images again`);

  // Forced revalidation (what a reload with DevTools' cache rules, or an
  // expired entry, does): the browser sends If-None-Match and gets a 304.
  seen.clear();
  // Same Accept as the <img> requests, so that Vary: Accept matches the entry.
  const accept = "image/avif,image/webp,image/apng,image/svg+xml,image/*,*/*;q=0.8";
  await page.evaluate(async ([urls, accept]) => {
    for (const url of urls) await fetch(url, { mode: "no-cors", cache: "no-cache", headers: { accept } });
  }, [Object.values(expected).map((e) => base + e.url), accept]);
  // Wire statuses arrive as separate events: give them a moment.
  for (let i = 0; i < 100 && (ofInterest().length < 3 || ofInterest().some((r) => !r.wire)); i++) {
    await page.waitForTimeout(100);
  }
  const revalidated = ofInterest();
  for (const r of revalidated) {
    check(r.wire === 304, `revalidation ${r.url.replace(base, "")}: ${r.wire} on the wire`);
  }
  check(revalidated.length === 3, `${revalidated.length} revalidations`);
} finally {
  await browser.close();
  site.close();
}
finish();
