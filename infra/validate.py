#!/usr/bin/env python3
"""Offline validation of infra/template.yaml: no AWS account needed.

1. Expand the SAM transform with aws-sam-translator (what CloudFormation
   does on deploy), then run cfn-lint on the result: bare cfn-lint does not
   check AWS::Serverless resources.
2. Assert the settings edgepix depends on (see CHECKS): an arm64
   provided.al2023 function behind an IAM-only Function URL, reached by
   CloudFront through a `lambda` Origin Access Control with both resource
   permissions scoped to the distribution, read-only S3 access, a cache key
   of exactly edgepix's query names, compression off, the CloudFront
   Function embedded verbatim, error TTLs, and timeouts in the right order
   (infra/checks.py).

    python3 infra/validate.py [TEMPLATE]   # exit 1 and a list of problems if any
    python3 infra/validate.py --embed      # copy cloudfront-function.js into the template
    python3 infra/validate.py --code       # and require the built bootstrap.zip (CI, after the build)

infra/mutation_test.py breaks each setting in a copy and proves this fails.
"""

import argparse
import copy
import json
import os
import re
import sys
from pathlib import Path

from checks import CHECKS, props

INFRA = Path(__file__).resolve().parent
TEMPLATE = INFRA / "template.yaml"
FUNCTION_JS = INFRA / "cloudfront-function.js"


def load(path):
    """A CloudFormation/SAM template (YAML short forms or JSON) as plain dicts."""
    from cfnlint.decode import decode_str

    template, matches = decode_str(Path(path).read_text())
    if matches:
        raise SystemExit(f"{path}: cannot parse: {matches[0]}")
    return json.loads(json.dumps(template))


def js_constants(source):
    """MAX_SIDE, AVIF_MAX_PIXELS and KNOWN as the function declares them."""
    number = lambda name: int(re.search(rf"var {name} = (\d+);", source).group(1))
    known = re.search(r"var KNOWN = \[([^\]]*)\];", source).group(1)
    return {
        "MAX_SIDE": number("MAX_SIDE"),
        "AVIF_MAX_PIXELS": number("AVIF_MAX_PIXELS"),
        "KNOWN": sorted(re.findall(r"'([a-z]+)'", known)),
    }


def expand(template):
    """The SAM transform, as CloudFormation runs it on deploy."""
    from samtranslator.translator.transform import transform

    class NoManagedPolicies:  # the template names no managed policies to look up
        def load(self):
            return {}

    template = copy.deepcopy(template)
    for resource in template.get("Resources", {}).values():
        props = resource.get("Properties", {})
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(props.get("CodeUri"), str):
            # `sam deploy` uploads the local artefact; the transform sees S3.
            props["CodeUri"] = "s3://example-bucket/bootstrap.zip"
    pseudo = {"AWS::Region": "us-east-1", "AWS::Partition": "aws", "AWS::AccountId": "123456789012"}
    os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
    return transform(template, pseudo, NoManagedPolicies())


def lint(expanded):
    """cfn-lint findings (errors, warnings, informational) on the expanded template."""
    from cfnlint.api import ManualArgs, lint as cfn_lint

    matches = cfn_lint(json.dumps(expanded, indent=1), config=ManualArgs(regions=["us-east-1"]))
    return [f"cfn-lint {m.rule.id}: {m.message} (line {m.linenumber})" for m in matches]


def problems(template, js_source):
    """Every problem with a (SAM) template; empty when it is fine."""
    js = dict(js_constants(js_source), source=js_source)
    try:
        expanded = expand(template)
    except Exception as e:  # the translator's own validation errors
        return [f"SAM transform failed: {e}"]
    found = lint(expanded)
    for check in CHECKS:
        try:
            check(expanded, js)
        except (AssertionError, KeyError, TypeError, AttributeError) as e:
            found.append(f"{check.__name__}: {e or type(e).__name__}")
    return found


def missing_code(template, base):
    """CodeUri paths that do not exist (the build writes them)."""
    found = []
    for name, resource in template.get("Resources", {}).items():
        uri = props(resource).get("CodeUri")
        if resource.get("Type") == "AWS::Serverless::Function" and isinstance(uri, str):
            if not (base / uri).is_file():
                found.append(f"{name}: CodeUri {uri} does not exist (cargo lambda build ... --output-format zip)")
    return found


def embed(path):
    """Rewrite the FunctionCode block of the template from the .js file."""
    text = Path(path).read_text()
    body = "".join(f"        {line}" if line.strip() else "\n" for line in FUNCTION_JS.read_text().splitlines(True))
    pattern = re.compile(r"(^      FunctionCode: \|\n)((?:(?:        .*)?\n)*)", re.M)
    text, n = pattern.subn(lambda m: m.group(1) + body, text, count=1)
    assert n == 1, "no FunctionCode: | block found"
    Path(path).write_text(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("template", nargs="?", default=str(TEMPLATE))
    ap.add_argument("--embed", action="store_true", help="copy cloudfront-function.js into the template")
    ap.add_argument("--code", action="store_true", help="also require the CodeUri artefact to exist (after the build)")
    args = ap.parse_args()
    if args.embed:
        embed(args.template)
    template = load(args.template)
    found = problems(template, FUNCTION_JS.read_text())
    if args.code:
        found += missing_code(template, Path(args.template).parent)
    for p in found:
        print(f"FAIL {p}")
    if found:
        sys.exit(f"{args.template}: {len(found)} problem(s)")
    print(f"{args.template}: SAM transform, cfn-lint and {len(CHECKS)} setting checks passed")


if __name__ == "__main__":
    main()
