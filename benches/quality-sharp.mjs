// sharp at its defaults, for benches/quality.py:
//   node benches/quality-sharp.mjs IN WIDTH FORMAT OUT
// sharp's defaults: JPEG q80 4:2:0, WebP q80, AVIF q50 (effort 4, 4:4:4); colour
// converted to sRGB and metadata stripped by default; .rotate() applies EXIF.
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const sharp = require(process.env.SHARP_MODULE || "sharp");
const [input, width, format, output] = process.argv.slice(2);
sharp.concurrency(1);
await sharp(input).rotate().resize({ width: Number(width) })[format]().toFile(output);
