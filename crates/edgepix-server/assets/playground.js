// The edgepix playground. Plain script, no dependencies: served by the
// binary itself under a CSP that allows only same-origin code.
"use strict";

const $ = (id) => document.getElementById(id);
const form = $("controls");
let current = null; // selected key
let sequence = 0; // ignores answers to superseded requests
const objectUrls = new Map(); // img element -> blob URL to revoke

const encodeKey = (key) => key.split("/").map(encodeURIComponent).join("/");
const kb = (n) => (n < 1024 ? `${n} B` : n < 1048576 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1048576).toFixed(2)} MiB`);

function query(overrides = {}) {
  const data = new FormData(form);
  const params = new URLSearchParams();
  for (const name of ["w", "h", "fit", "pos", "rect", "f", "q", "dpr", "anim"]) {
    const value = name in overrides ? overrides[name] : String(data.get(name) ?? "").trim();
    if (value !== "") params.set(name, value);
  }
  return params.toString();
}

function imageUrl(key, q) {
  return `/${encodeKey(key)}${q ? "?" + q : ""}`;
}

// Server-Timing: "fetch;dur=1.2, decode;dur=3.4" -> [{name, dur, desc}]
function parseTiming(header) {
  if (!header) return [];
  return header.split(",").map((part) => {
    const [name, ...attrs] = part.trim().split(";");
    const entry = { name: name.trim(), dur: null, desc: "" };
    for (const attr of attrs) {
      const [k, v = ""] = attr.trim().split("=");
      if (k === "dur") entry.dur = Number(v);
      if (k === "desc") entry.desc = v.replace(/^"|"$/g, "");
    }
    return entry;
  });
}

// Frames in a WebP (ANMF chunks) or GIF (image descriptors), walking the
// file's chunks or blocks; 1 for anything else.
function frameCount(b) {
  const tag = (at) => String.fromCharCode(b[at], b[at + 1], b[at + 2], b[at + 3]);
  const u32 = (at) => b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24);
  let frames = 0;
  if (b.length > 12 && tag(0) === "RIFF" && tag(8) === "WEBP") {
    for (let at = 12; at + 8 <= b.length; at += 8 + u32(at + 4) + (u32(at + 4) & 1)) {
      if (tag(at) === "ANMF") frames++;
    }
  } else if (b.length > 13 && tag(0) === "GIF8") {
    let at = 13 + (b[10] & 0x80 ? 3 << ((b[10] & 7) + 1) : 0);
    const skipBlocks = () => { while (at < b.length && b[at] !== 0) at += b[at] + 1; at++; };
    while (at < b.length && b[at] !== 0x3b) {
      if (b[at] === 0x21) { at += 2; skipBlocks(); }
      else if (b[at] === 0x2c) {
        frames++;
        const flags = b[at + 9];
        at += 10 + (flags & 0x80 ? 3 << ((flags & 7) + 1) : 0) + 1;
        skipBlocks();
      } else break;
    }
  }
  return Math.max(frames, 1);
}

function showBlob(img, blob) {
  if (objectUrls.has(img)) URL.revokeObjectURL(objectUrls.get(img));
  const url = URL.createObjectURL(blob);
  objectUrls.set(img, url);
  return new Promise((resolve) => {
    img.onload = () => resolve({ width: img.naturalWidth, height: img.naturalHeight });
    img.onerror = () => resolve({ width: 0, height: 0 });
    img.src = url;
  });
}

// Fetch one variant: status, headers, bytes and decoded size.
async function fetchVariant(url, img) {
  const response = await fetch(url, { cache: "no-store" });
  const blob = await response.blob();
  const result = {
    ok: response.ok, status: response.status, bytes: blob.size,
    type: response.headers.get("content-type") ?? "",
    cache: response.headers.get("x-cache") ?? "",
    timing: parseTiming(response.headers.get("server-timing")),
  };
  if (!response.ok) {
    try { result.error = JSON.parse(await blob.text()); } catch { result.error = { message: `HTTP ${response.status}` }; }
    return result;
  }
  result.frames = frameCount(new Uint8Array(await blob.arrayBuffer()));
  Object.assign(result, await showBlob(img, blob));
  return result;
}

function renderTiming(entries) {
  const body = $("timing").tBodies[0];
  body.replaceChildren();
  const max = Math.max(1, ...entries.map((e) => e.dur ?? 0));
  for (const e of entries) {
    const row = body.insertRow();
    row.insertCell().textContent = e.name;
    row.insertCell().textContent = e.dur == null ? e.desc : `${e.dur.toFixed(1)} ms`;
    const bar = row.insertCell();
    bar.className = "bar";
    if (e.dur != null) {
      const span = document.createElement("span");
      span.style.width = `${Math.max(1, (100 * e.dur) / max)}%`;
      bar.append(span);
    }
  }
}

async function update() {
  if (!current) return;
  const q = query();
  const url = imageUrl(current, q);
  $("url").value = new URL(url, location.href).href;
  history.replaceState(null, "", `#${encodeKey(current)}${q ? "?" + q : ""}`);
  const mine = ++sequence;
  document.body.dataset.state = "loading";
  const r = await fetchVariant(url, $("result"));
  if (mine !== sequence) return;
  $("status").textContent = String(r.status);
  $("bytes").textContent = r.ok ? `${r.bytes} (${kb(r.bytes)})` : "–";
  $("dims").textContent = r.ok ? `${r.width} × ${r.height}` : "–";
  $("type").textContent = r.type;
  $("frames").textContent = r.ok ? (r.frames > 1 ? `${r.frames} (animated)` : "1") : "–";
  $("cache").textContent = r.cache || "–";
  renderTiming(r.timing);
  $("error").hidden = r.ok;
  $("error").textContent = r.ok ? "" : `${r.error.code ?? "error"}: ${r.error.message}`;
  if (!r.ok) $("result").removeAttribute("src");
  document.body.dataset.state = r.ok ? "ready" : "error";
  document.body.dataset.updates = String(Number(document.body.dataset.updates ?? 0) + 1);
}

async function compare() {
  if (!current) return;
  const mine = sequence;
  const width = new FormData(form).get("w") || "400";
  const box = $("formats");
  box.replaceChildren();
  document.body.dataset.compare = "loading";
  for (const f of ["jpeg", "webp", "avif"]) {
    const figure = document.createElement("figure");
    const caption = document.createElement("figcaption");
    caption.textContent = `${f.toUpperCase()} at w=${width}`;
    const frame = document.createElement("div");
    frame.className = "frame";
    const img = document.createElement("img");
    img.alt = f;
    frame.append(img);
    const info = document.createElement("p");
    info.textContent = "…";
    info.dataset.format = f;
    figure.append(caption, frame, info);
    box.append(figure);
    const q = new FormData(form).get("q");
    const r = await fetchVariant(imageUrl(current, query({ w: width, h: "", fit: "", f, dpr: "", q: q ?? "" })), img);
    const timed = r.timing.filter((e) => e.dur != null);
    const took = timed.length ? `${timed.reduce((sum, e) => sum + e.dur, 0).toFixed(0)} ms` : (r.cache || "cached").toLowerCase();
    info.textContent = r.ok ? `${kb(r.bytes)} · ${r.width}×${r.height} · ${took}` : `error ${r.status}`;
    info.dataset.bytes = String(r.ok ? r.bytes : 0);
  }
  if (mine === sequence || document.body.dataset.compare === "loading") document.body.dataset.compare = "ready";
}

// A focal point pos=X,Y (fractions of the displayed original, 3 decimals)
// as the select's "point" option; "" hides it again.
function setFocal(value) {
  const option = $("focal");
  option.value = value;
  option.textContent = value ? `point ${value}` : "point";
  option.hidden = !value;
  if (value) $("pos").value = value;
}

function pickFocal(event) {
  const box = $("original").getBoundingClientRect();
  if (!box.width || !box.height) return;
  const fraction = (v) => String(Math.round(Math.min(1, Math.max(0, v)) * 1000) / 1000);
  setFocal(`${fraction((event.clientX - box.left) / box.width)},${fraction((event.clientY - box.top) / box.height)}`);
  if (!new FormData(form).get("h")) form.elements.h.value = form.elements.w.value || "400";
  update();
}

function select(key, button) {
  current = key;
  for (const b of document.querySelectorAll("#images button")) b.setAttribute("aria-current", String(b === button));
  const original = $("original");
  original.onload = () => { $("original-info").textContent = `${original.naturalWidth} × ${original.naturalHeight}, ${button.dataset.size} bytes`; };
  original.src = imageUrl(key, "");
  update();
  compare();
}

async function start() {
  // State in the fragment: "#key?w=…" restores a shared view.
  const [hashKey, hashQuery] = decodeURIComponent(location.hash.slice(1)).split("?");
  if (hashQuery) {
    const params = new URLSearchParams(hashQuery);
    for (const el of form.elements) if (el.name) el.value = params.get(el.name) ?? "";
    if ((params.get("pos") ?? "").includes(",")) setFocal(params.get("pos"));
  }
  let list;
  try {
    list = await (await fetch("/_edgepix/images", { cache: "no-store" })).json();
  } catch (e) {
    $("source").textContent = `cannot list images: ${e}`;
    return;
  }
  $("source").textContent = `source ${list.source} · ${list.images.length} images${list.truncated ? " (first ones)" : ""}`;
  const ul = $("images");
  for (const { key, size } of list.images) {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.key = key;
    button.dataset.size = String(size);
    const name = document.createElement("span");
    name.textContent = key;
    const small = document.createElement("small");
    small.textContent = kb(size);
    button.append(name, small);
    button.addEventListener("click", () => select(key, button));
    li.append(button);
    ul.append(li);
  }
  const buttons = [...ul.querySelectorAll("button")];
  const first = buttons.find((b) => b.dataset.key === hashKey) ?? buttons[0];
  if (first) select(first.dataset.key, first);
  else $("source").textContent += " · nothing to show";
}

let timer = 0;
form.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(update, 250); });
form.addEventListener("submit", (e) => { e.preventDefault(); update(); });
$("copy").addEventListener("click", async () => {
  try { await navigator.clipboard.writeText($("url").value); $("copy").textContent = "Copied"; }
  catch { $("url").select(); $("copy").textContent = "Select + copy"; }
  setTimeout(() => { $("copy").textContent = "Copy URL"; }, 1500);
});
$("run-compare").addEventListener("click", compare);
$("original").addEventListener("click", pickFocal);
start();
