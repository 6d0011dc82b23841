#!/usr/bin/env python3
"""Regenerates assets/service-models.json: the output shapes of the AWS services a Task state
calls, so that ASL Studio can check a mocked task result offline as AWS Step Functions' TestState
does (it validates the mock against the service API's output shape).

The models come from botocore, which ships the same JSON service models the AWS SDKs are built
from. Only what the validator and the example builder read is kept: the output shape of each
operation and every shape reachable from those outputs, with their type, members, required
members, min/max, enum values and list/map element shapes. Documentation, patterns, wire
locations and the input and error shapes are dropped, which is what keeps the file small.

Usage (the version is pinned so that a re-run writes the very same file):
    python3 -m venv /tmp/venv && /tmp/venv/bin/pip install botocore==1.44.18
    /tmp/venv/bin/python scripts/gen-service-models.py
Pass --any-version to generate from whichever botocore is installed (then update BOTOCORE).
"""

import argparse
import json
import os
import sys

# The botocore release the committed asset was generated from.
BOTOCORE = "1.44.18"

# botocore's service names. First the services Step Functions has optimized integrations for,
# then the usual targets of its AWS SDK integrations. ec2 is left out: its output shapes alone
# would be about the size of all the others together (measured when choosing this list), for a
# service workflows seldom call through Step Functions.
SERVICES = [
    # Optimized integrations.
    "athena",
    "batch",
    "bedrock",
    "bedrock-runtime",
    "codebuild",
    "databrew",
    "dynamodb",
    "ecs",
    "eks",
    "emr",
    "emr-containers",
    "emr-serverless",
    "events",
    "glue",
    "lambda",
    "mediaconvert",
    "sagemaker",
    "scheduler",
    "sns",
    "sqs",
    "stepfunctions",
    # Popular AWS SDK integration targets.
    "cloudwatch",
    "comprehend",
    "firehose",
    "kinesis",
    "kms",
    "logs",
    "rekognition",
    "s3",
    "secretsmanager",
    "ses",
    "sesv2",
    "ssm",
    "sts",
    "textract",
    "translate",
]

# Per shape type, the keys kept besides "type". Everything else (documentation, pattern,
# locationName, box, sensitive, timestampFormat, ...) is dropped.
KEPT = {
    "structure": ("required", "document", "union"),
    "list": ("member", "min", "max"),
    "map": ("key", "value", "min", "max"),
    "string": ("enum", "min", "max"),
}
SCALAR_KEPT = ("min", "max")


def compact_shape(shape):
    """The validator's view of one botocore shape."""
    kind = shape["type"]
    out = {"type": kind}
    for key in KEPT.get(kind, SCALAR_KEPT):
        if key not in shape:
            continue
        value = shape[key]
        if key in ("member", "key", "value"):
            value = value["shape"]
        if key in ("required", "enum") and not value:
            continue
        if key in ("document", "union") and not value:
            continue
        out[key] = value
    if kind == "structure":
        out["members"] = {name: m["shape"] for name, m in shape.get("members", {}).items()}
    return out


def referenced(shape):
    """The names of the shapes one botocore shape refers to."""
    kind = shape["type"]
    if kind == "structure":
        return [m["shape"] for m in shape.get("members", {}).values()]
    if kind == "list":
        return [shape["member"]["shape"]]
    if kind == "map":
        return [shape["key"]["shape"], shape["value"]["shape"]]
    return []


def extract(loader, service):
    model = loader.load_service_model(service, "service-2")
    shapes = model["shapes"]
    operations = {}
    pending = []
    for name, op in model["operations"].items():
        output = op.get("output", {}).get("shape")
        operations[name] = output
        if output:
            pending.append(output)
    kept = {}
    while pending:
        name = pending.pop()
        if name in kept:
            continue
        shape = shapes[name]
        kept[name] = compact_shape(shape)
        pending.extend(referenced(shape))
    return {"operations": operations, "shapes": kept}


def dump(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def render(version, services):
    """One shape per line: still valid JSON, but a model update shows as a readable diff."""
    lines = ["{", f'"botocore_version":{dump(version)},', '"services":{']
    names = sorted(services)
    for i, name in enumerate(names):
        service = services[name]
        lines.append(f"{dump(name)}:{{")
        lines.append(f'"operations":{dump(service["operations"])},')
        lines.append('"shapes":{')
        shape_names = sorted(service["shapes"])
        for j, shape_name in enumerate(shape_names):
            comma = "," if j + 1 < len(shape_names) else ""
            lines.append(f"{dump(shape_name)}:{dump(service['shapes'][shape_name])}{comma}")
        lines.append("}}" + ("," if i + 1 < len(names) else ""))
    lines.append("}")
    lines.append("}")
    return "\n".join(lines) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--any-version", action="store_true", help="accept any botocore version")
    parser.add_argument("--extra", nargs="*", default=[], help="more services (to measure)")
    parser.add_argument("--output", default=None, help="where to write (default: the asset)")
    args = parser.parse_args()

    import botocore
    import botocore.loaders

    if botocore.__version__ != BOTOCORE and not args.any_version:
        sys.exit(
            f"botocore {botocore.__version__} is installed, the asset is pinned to {BOTOCORE}: "
            f"pip install botocore=={BOTOCORE}, or pass --any-version and update BOTOCORE"
        )
    loader = botocore.loaders.Loader()
    services = {s: extract(loader, s) for s in SERVICES + args.extra}
    text = render(botocore.__version__, services)
    json.loads(text)  # The hand-made layout must stay valid JSON.
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    path = args.output or os.path.join(root, "assets", "service-models.json")
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    for name in sorted(services):
        size = len(dump(services[name]).encode())
        print(f"{name:16} {len(services[name]['operations']):4} operations {size:9,} bytes")
    print(f"wrote {path}: {len(text.encode()):,} bytes")


if __name__ == "__main__":
    main()
