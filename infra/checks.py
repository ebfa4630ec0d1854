"""The settings edgepix's deployment depends on, asserted on the expanded
(plain CloudFormation) template. Each check raises AssertionError with a
sentence saying what is wrong; infra/validate.py runs them all and
infra/mutation_test.py proves each one can fail.
"""

import json

# CloudFront quota: 10 KB of CloudFront Function code.
MAX_FUNCTION_BYTES = 10 * 1024
# CloudFront's origin response timeout when OriginReadTimeout is not set.
DEFAULT_ORIGIN_READ_TIMEOUT = 30
# edgepix's default EDGEPIX_S3_TIMEOUT_MS.
DEFAULT_S3_TIMEOUT_MS = 10_000
PRINCIPAL = "cloudfront.amazonaws.com"


def of_type(t, kind):
    return {k: r for k, r in t.get("Resources", {}).items() if r.get("Type") == kind}


def props(resource):
    return resource.get("Properties", {})


def one(t, kind):
    found = of_type(t, kind)
    assert len(found) == 1, f"expected exactly one {kind}, found {len(found)}"
    return next(iter(found.items()))


def parameter(t, value):
    """(min, max) of a literal or of a Ref to a Number parameter."""
    if isinstance(value, dict) and set(value) == {"Ref"}:
        p = t.get("Parameters", {}).get(value["Ref"])
        assert p is not None, f"Ref to unknown parameter {value['Ref']}"
        assert "MinValue" in p and "MaxValue" in p, f"parameter {value['Ref']} needs MinValue and MaxValue"
        return float(p["MinValue"]), float(p["MaxValue"])
    return float(value), float(value)


def env(t):
    return props(one(t, "AWS::Lambda::Function")[1]).get("Environment", {}).get("Variables", {})


def distribution(t):
    return props(one(t, "AWS::CloudFront::Distribution")[1])["DistributionConfig"]


def url_origin(t):
    """The distribution's origin whose domain comes from the Function URL."""
    url_id = one(t, "AWS::Lambda::Url")[0]
    origins = [o for o in distribution(t).get("Origins", []) if url_id in json.dumps(o.get("DomainName"))]
    assert len(origins) == 1, f"no origin takes its DomainName from {url_id}.FunctionUrl"
    return origins[0]


def scoped_to_distribution(t, permission):
    dist_id = one(t, "AWS::CloudFront::Distribution")[0]
    arn = json.dumps(props(permission).get("SourceArn"))
    assert f":distribution/${{{dist_id}}}" in arn, f"SourceArn {arn} is not scoped to the distribution"
    assert props(permission).get("Principal") == PRINCIPAL, "Principal must be cloudfront.amazonaws.com"
    fn_id = one(t, "AWS::Lambda::Function")[0]
    assert props(permission).get("FunctionName") in ({"Ref": fn_id}, {"Fn::GetAtt": [fn_id, "Arn"]}), (
        "the permission must name the edgepix function"
    )


def permission(t, action):
    found = [p for p in of_type(t, "AWS::Lambda::Permission").values() if props(p).get("Action") == action]
    assert len(found) == 1, f"expected one AWS::Lambda::Permission for {action}, found {len(found)}"
    return found[0]


def statements(t):
    """Every Allow statement of the function role's policies."""
    _, fn = one(t, "AWS::Lambda::Function")
    role_ref = props(fn).get("Role", {})
    role_id = role_ref.get("Fn::GetAtt", [None])[0]
    role = t["Resources"].get(role_id)
    assert role and role.get("Type") == "AWS::IAM::Role", "the function's Role must be a role in this template"
    for policy in props(role).get("Policies", []):
        for s in policy["PolicyDocument"]["Statement"]:
            if s.get("Effect") == "Allow":
                yield s


def as_list(x):
    return x if isinstance(x, list) else [x]


# ---------------------------------------------------------------- checks


def check_function(t, js):
    _, fn = one(t, "AWS::Lambda::Function")
    p = props(fn)
    assert p.get("Architectures") == ["arm64"], f"Architectures must be [arm64], got {p.get('Architectures')}"
    assert p.get("Runtime") == "provided.al2023", f"Runtime must be provided.al2023, got {p.get('Runtime')}"
    assert p.get("Handler") == "bootstrap", "Handler must be bootstrap (cargo-lambda's binary name)"
    mem = p.get("MemorySize")
    assert isinstance(mem, dict) and "Ref" in mem, "MemorySize must come from a parameter"
    parameter(t, mem)
    timeout = p.get("Timeout")
    assert isinstance(timeout, dict) and "Ref" in timeout, "Timeout must come from a parameter"


def check_timeouts(t, js):
    lo, hi = parameter(t, props(one(t, "AWS::Lambda::Function")[1]).get("Timeout"))
    read = url_origin(t).get("CustomOriginConfig", {}).get("OriginReadTimeout", DEFAULT_ORIGIN_READ_TIMEOUT)
    assert hi < read, f"Lambda timeout up to {hi:g} s must stay below CloudFront's origin read timeout {read} s"
    s3 = int(env(t).get("EDGEPIX_S3_TIMEOUT_MS", DEFAULT_S3_TIMEOUT_MS))
    assert s3 < lo * 1000, f"EDGEPIX_S3_TIMEOUT_MS {s3} must stay below the Lambda timeout (from {lo:g} s)"
    request = env(t).get("EDGEPIX_REQUEST_TIMEOUT_MS")
    assert request is not None, "EDGEPIX_REQUEST_TIMEOUT_MS must be set below the Lambda timeout (its default is 20 s)"
    assert s3 <= int(request) < lo * 1000, (
        f"EDGEPIX_REQUEST_TIMEOUT_MS {request} must be at least the S3 timeout {s3} and below the Lambda timeout (from {lo:g} s)"
    )


def check_signing_keys(t, js):
    ref = env(t).get("EDGEPIX_SIGNING_KEYS")
    assert isinstance(ref, dict) and set(ref) == {"Ref"}, "EDGEPIX_SIGNING_KEYS must come from a parameter"
    p = t.get("Parameters", {}).get(ref["Ref"], {})
    assert p.get("NoEcho") is True, f"the signing-keys parameter {ref['Ref']} must be NoEcho"


def check_function_url(t, js):
    url_id, url = one(t, "AWS::Lambda::Url")
    assert props(url).get("AuthType") == "AWS_IAM", f"Function URL AuthType must be AWS_IAM, got {props(url).get('AuthType')}"
    fn_id = one(t, "AWS::Lambda::Function")[0]
    assert props(url).get("TargetFunctionArn") in ({"Ref": fn_id}, {"Fn::GetAtt": [fn_id, "Arn"]}), "URL targets another function"


def check_oac(t, js):
    oac_id, oac = one(t, "AWS::CloudFront::OriginAccessControl")
    c = props(oac)["OriginAccessControlConfig"]
    assert c.get("OriginAccessControlOriginType") == "lambda", "OAC origin type must be lambda"
    assert c.get("SigningBehavior") == "always", "OAC must always sign"
    assert c.get("SigningProtocol") == "sigv4", "OAC signing protocol must be sigv4"
    origin = url_origin(t)
    assert origin.get("OriginAccessControlId") == {"Fn::GetAtt": [oac_id, "Id"]}, "the Function URL origin must use the OAC"
    custom = origin.get("CustomOriginConfig", {})
    assert custom.get("OriginProtocolPolicy") == "https-only", "origin protocol must be https-only"


def check_permissions(t, js):
    url = permission(t, "lambda:InvokeFunctionUrl")
    assert props(url).get("FunctionUrlAuthType") == "AWS_IAM", "InvokeFunctionUrl permission needs FunctionUrlAuthType AWS_IAM"
    scoped_to_distribution(t, url)
    invoke = permission(t, "lambda:InvokeFunction")
    assert props(invoke).get("InvokedViaFunctionUrl") is True, "InvokeFunction permission needs InvokedViaFunctionUrl: true"
    scoped_to_distribution(t, invoke)


def check_s3_read_only(t, js):
    granted = {}
    for s in statements(t):
        for action in as_list(s.get("Action", [])):
            if action.lower().startswith("s3:") or action == "*":
                granted.setdefault(action, []).extend(json.dumps(r) for r in as_list(s.get("Resource")))
    assert set(granted) == {"s3:GetObject", "s3:ListBucket"}, f"S3 access must be exactly GetObject + ListBucket, got {sorted(granted)}"
    assert all("/*" in r for r in granted["s3:GetObject"]), "s3:GetObject must be on the bucket's objects (bucket/*)"
    assert all("/*" not in r for r in granted["s3:ListBucket"]), "s3:ListBucket must be on the bucket itself"
    source = json.dumps(env(t).get("EDGEPIX_SOURCE"))
    assert '"s3://' in source, "EDGEPIX_SOURCE must be an s3:// URL"
    for name, bucket in of_type(t, "AWS::S3::Bucket").items():
        block = props(bucket).get("PublicAccessBlockConfiguration", {})
        assert all(block.get(k) is True for k in ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")), f"{name} must block public access"
    assert of_type(t, "AWS::S3::Bucket") or "ExistingBucketName" in t.get("Parameters", {}), "no bucket and no bucket parameter"


def check_cache_policy(t, js):
    policy_id, policy = one(t, "AWS::CloudFront::CachePolicy")
    c = props(policy)["CachePolicyConfig"]
    key = c["ParametersInCacheKeyAndForwardedToOrigin"]
    qs = key.get("QueryStringsConfig", {})
    assert qs.get("QueryStringBehavior") == "whitelist", "the cache key must allowlist query names"
    assert sorted(qs.get("QueryStrings", [])) == js["KNOWN"], f"cache key query names {sorted(qs.get('QueryStrings', []))} must be exactly the function's {js['KNOWN']}"
    assert key.get("HeadersConfig", {}).get("HeaderBehavior") == "none", "no headers in the cache key"
    assert key.get("CookiesConfig", {}).get("CookieBehavior") == "none", "no cookies in the cache key"
    for flag in ("EnableAcceptEncodingGzip", "EnableAcceptEncodingBrotli"):
        assert key.get(flag) is False, f"{flag} must be false (images are not recompressed)"
    assert c.get("MinTTL") == 0, "MinTTL must be 0 so no-store answers are not cached"
    behaviour = distribution(t)["DefaultCacheBehavior"]
    assert behaviour.get("CachePolicyId") == {"Ref": policy_id}, "the default behaviour must use the edgepix cache policy"


def check_behaviour(t, js):
    b = distribution(t)["DefaultCacheBehavior"]
    assert b.get("Compress") is False, "Compress must be false"
    assert sorted(b.get("AllowedMethods", [])) == ["GET", "HEAD"], "only GET and HEAD reach the origin"
    assert b.get("ViewerProtocolPolicy") in ("redirect-to-https", "https-only"), "viewers must use HTTPS"
    assert "ForwardedValues" not in b, "legacy ForwardedValues would override the cache policy"


def check_edge_function(t, js):
    fn_id, fn = one(t, "AWS::CloudFront::Function")
    p = props(fn)
    assert p.get("FunctionConfig", {}).get("Runtime") == "cloudfront-js-2.0", "the CloudFront Function runtime must be cloudfront-js-2.0"
    assert p.get("AutoPublish") is True, "AutoPublish must be true (else the LIVE stage never gets the code)"
    code = p.get("FunctionCode", "")
    assert code == js["source"], "FunctionCode differs from infra/cloudfront-function.js: run python3 infra/validate.py --embed"
    assert len(code.encode()) <= MAX_FUNCTION_BYTES, f"function code is {len(code.encode())} bytes, over CloudFront's 10 KB"
    wanted = {"EventType": "viewer-request", "FunctionARN": {"Fn::GetAtt": [fn_id, "FunctionMetadata.FunctionARN"]}}
    assoc = distribution(t)["DefaultCacheBehavior"].get("FunctionAssociations", [])
    assert wanted in assoc, "the function must run on viewer-request of the default behaviour"
    e = env(t)
    for var, const in (("EDGEPIX_MAX_OUTPUT_SIDE", "MAX_SIDE"), ("EDGEPIX_AUTO_AVIF_MAX_PIXELS", "AVIF_MAX_PIXELS")):
        assert str(e.get(var)) == str(js[const]), f"{var}={e.get(var)} must equal the function's {const} = {js[const]}"


def check_error_caching(t, js):
    ttl = {int(r["ErrorCode"]): r.get("ErrorCachingMinTTL") for r in distribution(t).get("CustomErrorResponses", [])}
    for code in (400, 404):
        assert code in ttl and 1 <= ttl[code] <= 300, f"{code} must be cached 1 to 300 s, got {ttl.get(code)}"
    for code in (500, 502, 503, 504):
        assert ttl.get(code) == 0, f"{code} must not be cached (ErrorCachingMinTTL 0), got {ttl.get(code)}"


def check_origin_shield(t, js):
    shield = url_origin(t).get("OriginShield")
    assert shield is not None, "the origin must offer Origin Shield (on when OriginShieldRegion is set)"


def check_outputs(t, js):
    dist_id = one(t, "AWS::CloudFront::Distribution")[0]
    values = [o.get("Value") for o in t.get("Outputs", {}).values()]
    assert {"Fn::GetAtt": [dist_id, "DomainName"]} in values, "an output must give the distribution's domain"


CHECKS = [
    check_function, check_timeouts, check_signing_keys, check_function_url, check_oac, check_permissions,
    check_s3_read_only, check_cache_policy, check_behaviour, check_edge_function,
    check_error_caching, check_origin_shield, check_outputs,
]
