// What the browser tests share: playwright-core from the npm prefix that
// .ci/run installs it into (PLAYWRIGHT_PREFIX), Debian's chromium launched
// headless for loopback, and an ok/FAIL tally that sets the exit status.
import { createRequire } from "node:module";
import path from "node:path";

const prefix = process.env.PLAYWRIGHT_PREFIX ?? "target/browser-deps";
const { chromium } = createRequire(path.resolve(prefix) + "/")("playwright-core");

export const launch = () => chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync"],
});

// check(ok, what) prints one line per assertion; finish() prints the totals
// and exits non-zero if any failed.
export function tally() {
  let passed = 0;
  let failures = 0;
  const check = (ok, what) => {
    console.log(`${ok ? "ok  " : "FAIL"} ${what}`);
    if (ok) passed++;
    else failures++;
  };
  const finish = () => {
    console.log(`${passed} passed, ${failures} failed`);
    process.exit(failures ? 1 : 0);
  };
  return { check, finish };
}
