// Animated originals through sharp, the same work as edgepix's animation
// path: every frame decoded, resized to a width, and encoded as animated
// WebP (q80, sharp's default effort 4) or GIF (sharp's defaults: libimagequant
// through cgif). Single thread (UV_THREADPOOL_SIZE=1 VIPS_CONCURRENCY=1).
// usage: node anim-sharp.mjs PEERS_DIR IMAGE WIDTH FORMAT ITERS OUTFILE
// prints: median_ms bytes
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [peers, image, width, format, iters, outfile] = process.argv.slice(2);
const sharp = createRequire(join(peers, '.env', 'node', 'package.json'))('sharp');
sharp.concurrency(1);
sharp.cache(false);
const input = readFileSync(image);
const once = () => {
  const p = sharp(input, { animated: true }).resize({ width: Number(width), kernel: 'lanczos3' });
  return (format === 'gif' ? p.gif() : p.webp({ quality: 80 })).toBuffer();
};
let out = await once();
const samples = [];
for (let i = 0; i < Number(iters); i++) {
  const t = process.hrtime.bigint();
  out = await once();
  samples.push(Number(process.hrtime.bigint() - t) / 1e6);
}
samples.sort((a, b) => a - b);
writeFileSync(outfile, out);
console.log(samples[Math.floor(samples.length / 2)].toFixed(1), out.length);
