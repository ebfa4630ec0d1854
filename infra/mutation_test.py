#!/usr/bin/env python3
"""Proves infra/validate.py catches a broken template: each mutation removes
or changes one required setting in a copy of infra/template.yaml, and the
validation must fail, for the reason expected. The unmodified template must
pass. Exit 1 if any mutation slips through.

    python3 infra/mutation_test.py
"""

import sys
from copy import deepcopy

from validate import FUNCTION_JS, TEMPLATE, load, problems


def res(t, name):
    return t["Resources"][name]["Properties"]


def fn(t):
    return res(t, "EdgepixFunction")


def dist(t):
    return res(t, "Distribution")["DistributionConfig"]


def behaviour(t):
    return dist(t)["DefaultCacheBehavior"]


def key(t):
    return res(t, "CachePolicy")["CachePolicyConfig"]["ParametersInCacheKeyAndForwardedToOrigin"]


def oac(t):
    return res(t, "OriginAccessControl")["OriginAccessControlConfig"]


def s3_statements(t):
    return fn(t)["Policies"][0]["Statement"]


def errors(t):
    return dist(t)["CustomErrorResponses"]


def set_error_ttl(t, code, ttl):
    next(r for r in errors(t) if r["ErrorCode"] == code)["ErrorCachingMinTTL"] = ttl


# (what is broken, text the failure must contain, the change)
MUTATIONS = [
    ("Architectures removed", "arm64", lambda t: fn(t).pop("Architectures")),
    ("Architectures x86_64", "arm64", lambda t: fn(t).update(Architectures=["x86_64"])),
    ("Runtime provided.al2", "provided.al2023", lambda t: fn(t).update(Runtime="provided.al2")),
    ("MemorySize literal", "MemorySize", lambda t: fn(t).update(MemorySize=1024)),
    ("Timeout literal", "Timeout must come from a parameter", lambda t: fn(t).update(Timeout=25)),
    ("Timeout may reach 30 s", "origin read timeout", lambda t: t["Parameters"]["TimeoutSeconds"].update(MaxValue=30)),
    ("origin read timeout 20 s", "origin read timeout", lambda t: dist(t)["Origins"][0]["CustomOriginConfig"].update(OriginReadTimeout=20)),
    ("S3 timeout above Lambda's", "EDGEPIX_S3_TIMEOUT_MS", lambda t: fn(t)["Environment"]["Variables"].update(EDGEPIX_S3_TIMEOUT_MS="15000")),
    ("request timeout above Lambda's", "EDGEPIX_REQUEST_TIMEOUT_MS", lambda t: fn(t)["Environment"]["Variables"].update(EDGEPIX_REQUEST_TIMEOUT_MS="12000")),
    ("request timeout removed", "EDGEPIX_REQUEST_TIMEOUT_MS", lambda t: fn(t)["Environment"]["Variables"].pop("EDGEPIX_REQUEST_TIMEOUT_MS")),
    ("signing keys echoed", "NoEcho", lambda t: t["Parameters"]["EdgepixSigningKeys"].pop("NoEcho")),
    ("signing keys literal", "EDGEPIX_SIGNING_KEYS", lambda t: fn(t)["Environment"]["Variables"].update(EDGEPIX_SIGNING_KEYS="0123456789abcdef")),
    ("Function URL public", "AWS_IAM", lambda t: fn(t)["FunctionUrlConfig"].update(AuthType="NONE")),
    ("Function URL removed", "AWS::Lambda::Url", lambda t: fn(t).pop("FunctionUrlConfig")),
    ("OAC type s3", "lambda", lambda t: oac(t).update(OriginAccessControlOriginType="s3")),
    ("OAC signs never", "always sign", lambda t: oac(t).update(SigningBehavior="never")),
    ("OAC not on the origin", "must use the OAC", lambda t: dist(t)["Origins"][0].pop("OriginAccessControlId")),
    ("origin over HTTP", "https-only", lambda t: dist(t)["Origins"][0]["CustomOriginConfig"].update(OriginProtocolPolicy="match-viewer")),
    ("InvokeFunctionUrl permission removed", "lambda:InvokeFunctionUrl", lambda t: t["Resources"].pop("CloudFrontInvokeUrl")),
    ("InvokeFunction permission removed", "lambda:InvokeFunction,", lambda t: t["Resources"].pop("CloudFrontInvokeFunction")),
    ("InvokedViaFunctionUrl removed", "InvokedViaFunctionUrl", lambda t: res(t, "CloudFrontInvokeFunction").pop("InvokedViaFunctionUrl")),
    ("permission not scoped", "not scoped", lambda t: res(t, "CloudFrontInvokeUrl").pop("SourceArn")),
    ("permission for any principal", "Principal", lambda t: res(t, "CloudFrontInvokeFunction").update(Principal="*")),
    ("s3:ListBucket removed", "ListBucket", lambda t: s3_statements(t).pop(1)),
    ("s3:GetObject removed", "GetObject", lambda t: s3_statements(t).pop(0)),
    ("s3:PutObject added", "PutObject", lambda t: s3_statements(t)[0].update(Action=["s3:GetObject", "s3:PutObject"])),
    ("s3:* granted", "s3:*", lambda t: s3_statements(t)[0].update(Action="s3:*")),
    ("bucket made public", "block public access", lambda t: res(t, "OriginalsBucket")["PublicAccessBlockConfiguration"].update(BlockPublicPolicy=False)),
    ("cache key: all query names", "allowlist", lambda t: key(t)["QueryStringsConfig"].update(QueryStringBehavior="all")),
    ("cache key: w missing", "exactly the function's", lambda t: key(t)["QueryStringsConfig"]["QueryStrings"].remove("w")),
    ("cache key: s missing", "exactly the function's", lambda t: key(t)["QueryStringsConfig"]["QueryStrings"].remove("s")),
    ("cache key: extra name", "exactly the function's", lambda t: key(t)["QueryStringsConfig"]["QueryStrings"].append("utm_source")),
    ("cache key: Accept header", "no headers", lambda t: key(t).update(HeadersConfig={"HeaderBehavior": "whitelist", "Headers": ["Accept"]})),
    ("cache key: cookies", "no cookies", lambda t: key(t).update(CookiesConfig={"CookieBehavior": "all"})),
    ("cache key: gzip", "EnableAcceptEncodingGzip", lambda t: key(t).update(EnableAcceptEncodingGzip=True)),
    ("cache policy not used", "edgepix cache policy", lambda t: behaviour(t).update(CachePolicyId="658327ea-f89d-4fab-a63d-7e88639e58f6")),
    ("Compress true", "Compress", lambda t: behaviour(t).update(Compress=True)),
    ("Compress removed", "Compress", lambda t: behaviour(t).pop("Compress")),
    ("POST allowed", "GET and HEAD", lambda t: behaviour(t).update(AllowedMethods=["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"])),
    ("viewers over HTTP", "HTTPS", lambda t: behaviour(t).update(ViewerProtocolPolicy="allow-all")),
    ("function association removed", "viewer-request", lambda t: behaviour(t).pop("FunctionAssociations")),
    ("function on viewer-response", "viewer-request", lambda t: behaviour(t)["FunctionAssociations"][0].update(EventType="viewer-response")),
    ("function runtime 1.0", "cloudfront-js-2.0", lambda t: res(t, "CanonicalQueryFunction")["FunctionConfig"].update(Runtime="cloudfront-js-1.0")),
    ("function not published", "AutoPublish", lambda t: res(t, "CanonicalQueryFunction").update(AutoPublish=False)),
    ("function code stale", "differs from infra/cloudfront-function.js", lambda t: res(t, "CanonicalQueryFunction").update(FunctionCode=res(t, "CanonicalQueryFunction")["FunctionCode"].replace("8192", "4096"))),
    ("AVIF limit differs from the function's", "AVIF_MAX_PIXELS", lambda t: fn(t)["Environment"]["Variables"].update(EDGEPIX_AUTO_AVIF_MAX_PIXELS="2000000")),
    ("output side differs from the function's", "MAX_SIDE", lambda t: fn(t)["Environment"]["Variables"].pop("EDGEPIX_MAX_OUTPUT_SIDE")),
    ("EDGEPIX_SOURCE not S3", "s3://", lambda t: fn(t)["Environment"]["Variables"].update(EDGEPIX_SOURCE="/var/task/images")),
    ("502 cached 5 min", "502", lambda t: set_error_ttl(t, 502, 300)),
    ("404 cached a day", "404", lambda t: set_error_ttl(t, 404, 86400)),
    ("error responses removed", "must be cached", lambda t: dist(t).pop("CustomErrorResponses")),
    ("Origin Shield option removed", "Origin Shield", lambda t: dist(t)["Origins"][0].pop("OriginShield")),
    ("domain output removed", "domain", lambda t: t["Outputs"].pop("DistributionDomainName")),
    # Caught by the SAM transform or by cfn-lint rather than by a check:
    ("SAM: bad FunctionUrlConfig", "SAM transform failed", lambda t: fn(t)["FunctionUrlConfig"].update(AuthType="OPEN")),
    ("cfn-lint: misspelt property", "cfn-lint E3002", lambda t: behaviour(t).update(Compres=False)),
    ("cfn-lint: bad OriginReadTimeout", "cfn-lint", lambda t: dist(t)["Origins"][0]["CustomOriginConfig"].update(OriginReadTimeout="soon")),
]


def main():
    js = FUNCTION_JS.read_text()
    original = load(TEMPLATE)
    baseline = problems(original, js)
    assert not baseline, f"the unmodified template must pass: {baseline}"
    escaped = []
    for name, expect, mutate in MUTATIONS:
        t = deepcopy(original)
        mutate(t)
        found = problems(t, js)
        caught = [p for p in found if expect in p]
        status = "caught" if caught else "MISSED"
        print(f"{status:7} {name}: {caught[0] if caught else found or 'validation passed'}")
        if not caught:
            escaped.append(name)
    if escaped:
        sys.exit(f"{len(escaped)} of {len(MUTATIONS)} mutations escaped the validation: {escaped}")
    print(f"all {len(MUTATIONS)} mutations caught; the unmodified template passes")


if __name__ == "__main__":
    main()
