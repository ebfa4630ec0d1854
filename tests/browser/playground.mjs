// Headless Chromium against a running edgepix dev server: the playground at
// `/` loads its image list, shows a result with its figures, follows a
// changed control (new image, new size, new byte count, new URL), compares
// JPEG/WebP/AVIF, keeps the animated sample animated (WebP, GIF) or not
// (anim=false), takes pos from its select and a focal point from a click on
// the original, and runs without script errors or CSP violations.
//
//   node tests/browser/playground.mjs http://127.0.0.1:3000 [screenshot.png]
// Needs Debian's chromium and playwright-core (PLAYWRIGHT_PREFIX, as for
// srcset.mjs; .ci/run installs both).
import { launch, tally } from "./harness.mjs";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const screenshot = process.argv[3];

const { check, finish } = tally();

const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  const problems = [];
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  // Failed loads are judged by URL below (the browser's own /favicon.ico
  // probe is allowed its 404); other console errors, CSP violations
  // included, are problems.
  page.on("console", (m) => {
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource")) problems.push(`console: ${m.text()}`);
  });
  page.on("response", (r) => {
    if (r.status() >= 400 && !r.url().endsWith("/favicon.ico")) problems.push(`${r.status()} for ${r.url()}`);
  });

  const figures = () => page.evaluate(() => ({
    updates: Number(document.body.dataset.updates ?? 0),
    state: document.body.dataset.state,
    bytes: document.getElementById("bytes").textContent,
    dims: document.getElementById("dims").textContent,
    type: document.getElementById("type").textContent,
    frames: document.getElementById("frames").textContent,
    url: document.getElementById("url").value,
    natural: [document.getElementById("result").naturalWidth, document.getElementById("result").naturalHeight],
    timing: [...document.querySelectorAll("#timing tr")].map((r) => r.cells[0].textContent),
    images: [...document.querySelectorAll("#images button")].map((b) => b.dataset.key),
  }));
  // Wait for the update after `count` to finish.
  const settled = (count) => page.waitForFunction((n) => Number(document.body.dataset.updates ?? 0) > n &&
    document.body.dataset.state !== "loading", count, { timeout: 60000 });

  const response = await page.goto(`${base}/`, { waitUntil: "load" });
  const csp = response.headers()["content-security-policy"] ?? "";
  check(csp.includes("script-src 'self'") && !csp.includes("unsafe-inline"), `page CSP: ${csp}`);
  await settled(0);
  const first = await figures();
  check(first.images.length >= 3, `image list: ${first.images.join(", ")}`);
  check(first.state === "ready", `first result state ${first.state}`);
  check(first.dims === "400 × 400" && first.natural[0] === 400, `first result ${first.dims}, decoded ${first.natural}`);
  check(first.type === "image/webp" && first.url === `${base}/${first.images[0]}?w=400&f=webp`, `${first.type} ${first.url}`);
  // A fresh server renders (four stages); a warm one answers from its cache.
  const stages = ["fetch", "decode", "resize", "encode"].every((s) => first.timing.includes(s));
  check(stages || first.timing.join() === "cache", `Server-Timing rows: ${first.timing}`);
  const firstBytes = Number.parseInt(first.bytes, 10);
  check(firstBytes > 1000, `first result ${first.bytes} bytes`);

  // Change a control: the width.
  await page.fill("input[name=w]", "200");
  await settled(first.updates);
  const second = await figures();
  check(second.dims === "200 × 200" && second.natural[0] === 200, `after w=200: ${second.dims}, decoded ${second.natural}`);
  const secondBytes = Number.parseInt(second.bytes, 10);
  check(secondBytes > 0 && secondBytes < firstBytes, `bytes ${firstBytes} -> ${secondBytes}`);
  check(second.url.endsWith("?w=200&f=webp"), `URL now ${second.url}`);

  // And the format.
  await page.selectOption("select[name=f]", "avif");
  await settled(second.updates);
  const third = await figures();
  check(third.type === "image/avif" && third.natural[0] === 200, `after f=avif: ${third.type}, decoded ${third.natural}`);
  check(third.bytes !== second.bytes, `bytes ${second.bytes} -> ${third.bytes}`);

  // Another image from the list.
  const other = third.images[1];
  await page.click(`#images button[data-key="${other}"]`);
  await settled(third.updates);
  const fourth = await figures();
  check(fourth.url.startsWith(`${base}/${encodeURIComponent(other)}?`) && fourth.state === "ready", `picked ${other}: ${fourth.url}`);
  await page.waitForFunction((key) => {
    const i = document.getElementById("original");
    return i.complete && i.naturalWidth > 0 && i.src.includes(key);
  }, encodeURIComponent(other), { timeout: 30000 });
  const original = await page.$eval("#original", (i) => `${i.src} ${i.naturalWidth}x${i.naturalHeight}`);
  check(original.includes(encodeURIComponent(other)), `original shown: ${original}`);

  // The format comparison for the selected image.
  await page.waitForFunction(() => document.body.dataset.compare === "ready" &&
    document.querySelectorAll("#formats p[data-bytes]").length === 3, null, { timeout: 60000 });
  const formats = await page.$$eval("#formats p", (ps) => ps.map((p) => [p.dataset.format, Number(p.dataset.bytes), p.textContent]));
  for (const [f, bytes, text] of formats) check(bytes > 0, `compare ${f}: ${text}`);
  check(formats.map((f) => f[0]).join() === "jpeg,webp,avif", `formats ${formats.map((f) => f[0])}`);
  const sizes = await page.$$eval("#formats img", (imgs) => imgs.map((i) => i.naturalWidth));
  check(sizes.every((w) => w === sizes[0] && w > 0), `same width in every format: ${sizes}`);

  // The animated sample stays animated as WebP and GIF; anim=false gives one frame.
  const animated = fourth.images.find((k) => k === "rocket-pan.webp");
  check(animated !== undefined, `animated sample listed: ${fourth.images.join(", ")}`);
  if (animated) {
    let before = (await figures()).updates;
    await page.click(`#images button[data-key="${animated}"]`);
    await settled(before);
    for (const [f, type] of [["webp", "image/webp"], ["gif", "image/gif"]]) {
      before = (await figures()).updates;
      await page.selectOption("select[name=f]", f);
      await settled(before);
      const shown = await figures();
      check(shown.type === type && shown.frames === "12 (animated)" && shown.natural[0] > 0,
        `animated ${f}: ${shown.type}, frames ${shown.frames}, decoded ${shown.natural}`);
    }
    before = (await figures()).updates;
    await page.selectOption("select[name=anim]", "false");
    await settled(before);
    const still = await figures();
    check(still.frames === "1" && still.url.includes("anim=false"), `anim=false: frames ${still.frames}, ${still.url}`);
  }

  // pos from the select; a click on the original sets a focal point (and h,
  // so that the crop has a box).
  {
    let before = (await figures()).updates;
    await page.click(`#images button[data-key="${first.images[0]}"]`);
    await settled(before);
    before = (await figures()).updates;
    await page.selectOption("select[name=pos]", "attention");
    await settled(before);
    const smart = await figures();
    check(smart.state === "ready" && smart.url.includes("pos=attention"), `pos=attention: ${smart.state} ${smart.url}`);
    before = smart.updates;
    await page.click("#original", { position: { x: 2, y: 2 } });
    await settled(before);
    const focal = await figures();
    check(focal.state === "ready" && /[?&]h=\d+/.test(focal.url) && /pos=0(\.0\d*)?%2C0(\.0\d*)?(&|$)/.test(focal.url),
      `focal point: ${focal.state} ${focal.url}`);
  }

  check(problems.length === 0, `no script errors or CSP violations${problems.length ? ": " + problems.join("; ") : ""}`);
  if (screenshot) await page.screenshot({ path: screenshot, fullPage: true });
} finally {
  await browser.close();
}
finish();
