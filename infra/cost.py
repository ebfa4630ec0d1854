#!/usr/bin/env python3
"""Cost model for edgepix behind CloudFront: prints the cost table in docs/cost.md.

    python3 infra/cost.py --workload "6 MP JPEG -> 800 px WebP=86" [--workload NAME=MS ...]
                          [--fetch-ms 30] [--out-kb 50] [--hit 0.9] [--memory 1024 1769 3008]

MS is the CPU time of one resize on one full vCPU (a benchmark's figure).
Billed Lambda time per miss = fetch wait + CPU time stretched by the vCPU
share: Lambda gives 1 vCPU at 1769 MB and proportionally less below, and
edgepix renders one image per request, so more memory than 1769 MB does not
make a single-threaded resize faster (multi-threaded encoders aside).

Prices (USD, US East / CloudFront's US-Europe tier, no free tier, no
savings plans); where each comes from is in docs/cost.md.
"""

import argparse

PRICES = {
    "lambda_arm_gb_s": 0.0000133334,  # Lambda arm64 duration, first 7.5 billion GB-s/month
    "lambda_request": 0.20 / 1e6,  # Lambda requests
    "s3_get": 0.0004 / 1000,  # S3 Standard GET
    "cf_https_request": 0.0100 / 10_000,  # CloudFront HTTPS requests, US / Europe
    "cf_function": 0.10 / 1e6,  # CloudFront Functions invocations
    "cf_transfer_gb": 0.085,  # CloudFront data transfer out, first 10 TB, US / Europe
    "origin_fetch_gb": 0.0,  # AWS origin -> CloudFront: free
}
FULL_VCPU_MB = 1769


def billed_seconds(cpu_ms, fetch_ms, memory_mb):
    return (fetch_ms + cpu_ms * max(1.0, FULL_VCPU_MB / memory_mb)) / 1000


def per_million_misses(cpu_ms, fetch_ms, memory_mb):
    """Origin cost of one million resizes: Lambda duration and requests, S3 GETs."""
    gb_s = memory_mb / 1024 * billed_seconds(cpu_ms, fetch_ms, memory_mb)
    p = PRICES
    return 1e6 * (gb_s * p["lambda_arm_gb_s"] + p["lambda_request"] + p["s3_get"])


def per_million_requests(cpu_ms, fetch_ms, memory_mb, hit, out_kb):
    """All-in cost of one million viewer requests at CDN hit ratio `hit`."""
    p = PRICES
    gb_out = out_kb / 1024 / 1024
    edge = 1e6 * (p["cf_https_request"] + p["cf_function"] + gb_out * p["cf_transfer_gb"])
    misses = (1 - hit) * (per_million_misses(cpu_ms, fetch_ms, memory_mb) + 1e6 * gb_out * p["origin_fetch_gb"])
    return edge + misses


def table(workloads, fetch_ms, out_kb, hit, memories):
    pct = f"{hit:.0%}"
    lines = [
        f"| workload (CPU ms on 1 vCPU) | Lambda memory | billed ms per miss | per 1M resizes (Lambda + S3) | per 1M requests, all misses | per 1M requests, {pct} hits |",
        "|---|---|---|---|---|---|",
    ]
    for name, ms in workloads:
        for mem in memories:
            lines.append(
                f"| {name} ({ms:g} ms) | {mem} MB | {billed_seconds(ms, fetch_ms, mem) * 1000:.0f} "
                f"| ${per_million_misses(ms, fetch_ms, mem):.2f} "
                f"| ${per_million_requests(ms, fetch_ms, mem, 0.0, out_kb):.2f} "
                f"| ${per_million_requests(ms, fetch_ms, mem, hit, out_kb):.2f} |"
            )
    return "\n".join(lines)


def workload(text):
    name, _, ms = text.rpartition("=")
    if not name or not ms:
        raise argparse.ArgumentTypeError("expected NAME=MS, e.g. '800 px WebP=86'")
    return name, float(ms)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--workload", type=workload, action="append", required=True, help="NAME=CPU_MS")
    ap.add_argument("--fetch-ms", type=float, default=30, help="billed wait for the S3 GET per miss")
    ap.add_argument("--out-kb", type=float, default=50, help="average response size")
    ap.add_argument("--hit", type=float, default=0.9, help="CDN hit ratio for the last column")
    ap.add_argument("--memory", type=int, nargs="+", default=[1024, 1769, 3008])
    args = ap.parse_args()
    print(table(args.workload, args.fetch_ms, args.out_kb, args.hit, args.memory))


if __name__ == "__main__":
    main()
