#!/usr/bin/env python3
"""Checks kvalitet's JSON Schemas with an independent validator (Python's jsonschema).

    validate.py SCHEMA_DIR CONTENT_DIR [EXTRA_MUNICIPALITY_FILE ...]

SCHEMA_DIR holds kommune.schema.json and site.schema.json as `kvalitet schema` writes them.
Every municipality file in CONTENT_DIR (and each extra file, e.g. one from `kvalitet new`) must
be valid, and site.toml too; a misspelled key in a unit (`phnoe`) and a wrong type
(`days = "14 dage"`) must be refused; the patterns for phone numbers, hours and dates must
agree with samples.json, whose values the loader is held to by a Rust unit test.
"""

import copy
import datetime
import json
import pathlib
import sys
import tomllib

import jsonschema

HERE = pathlib.Path(__file__).parent
failures = []


def fail(message):
    failures.append(message)
    print(f"FEJL: {message}")


def as_json(value):
    """TOML as the editor's validator sees it: a date (2024-12-17, unquoted) is its text."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value


def load(path):
    with open(path, "rb") as f:
        return as_json(tomllib.load(f))


def switched_on(text):
    """The file with each commented line that is a key and a value, or a table header, without
    its "#" (as kvalitet's own scaffold test does)."""
    out = []
    for line in text.splitlines():
        bare = line.lstrip("#").lstrip()
        if line.startswith("#") and not line.startswith("#:") and ("=" in bare or bare.startswith("[")):
            try:
                tomllib.loads(bare)
                line = bare
            except tomllib.TOMLDecodeError:
                pass
        out.append(line)
    return "\n".join(out) + "\n"


def errors(validator, data):
    return sorted(validator.iter_errors(data), key=lambda e: list(e.path))


def must_pass(validator, data, what):
    found = errors(validator, data)
    for e in found:
        fail(f"{what}: {'.'.join(map(str, e.path)) or '(roden)'}: {e.message}")
    if not found:
        print(f"ok: {what}")


def must_fail(validator, data, what, mentions=None):
    found = errors(validator, data)
    if not found:
        fail(f"{what}: skemaet godtog det")
    elif mentions is not None and not any(mentions in (e.message + ".".join(map(str, e.path))) for e in found):
        fail(f"{what}: fejlene nævner ikke {mentions!r}: {[e.message for e in found]}")
    else:
        print(f"ok: {what} afvist ({found[0].message})")


def main():
    schema_dir, content_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    extra = [pathlib.Path(p) for p in sys.argv[3:]]
    schemas = {}
    for name in ["kommune", "site"]:
        schema = json.loads((schema_dir / f"{name}.schema.json").read_text(encoding="utf-8"))
        jsonschema.Draft7Validator.check_schema(schema)
        schemas[name] = jsonschema.Draft7Validator(schema)
    kommune, site = schemas["kommune"], schemas["site"]

    files = sorted(p for p in content_dir.glob("*.toml") if p.name != "site.toml")
    if not files:
        fail(f"ingen kommunefiler i {content_dir}")
    for path in files + extra:
        must_pass(kommune, load(path), str(path))
    for path in extra:
        # Every field of the scaffold switched on, as an editor does by deleting the "# ".
        full = as_json(tomllib.loads(switched_on(path.read_text(encoding="utf-8"))))
        if not (full.get("units") and full.get("offers") and full.get("other_help")):
            fail(f"{path}: felterne blev ikke slået til")
        must_pass(kommune, full, f"{path} med alle felter slået til")
    must_pass(site, load(content_dir / "site.toml"), str(content_dir / "site.toml"))

    # The mistakes an editor makes, in a bundled file with units and a guarantee.
    base = next((load(p) for p in files if load(p).get("units") and load(p).get("guarantee")), None)
    if base is None:
        fail("ingen kommunefil med [[units]] og [guarantee] at lave fejl i")
    else:
        misspelled = copy.deepcopy(base)
        unit = misspelled["units"][0]
        unit["phnoe"] = unit.pop("phone", "96 11 40 50")
        must_fail(kommune, misspelled, "phnoe i [[units]]", "phnoe")
        no_days = copy.deepcopy(base)
        no_days["guarantee"] = {"text": "Du får tilbudt behandling hurtigt."}
        must_fail(kommune, no_days, "[guarantee] med tekst, men uden days")
        wrong_type = copy.deepcopy(base)
        wrong_type["guarantee"]["days"] = "14 dage"
        must_fail(kommune, wrong_type, 'days = "14 dage"', "14 dage")
        misspelled_top = copy.deepcopy(base)
        misspelled_top["summmary"] = "Tekst"
        must_fail(kommune, misspelled_top, "summmary øverst i filen", "summmary")
        bad_kind = copy.deepcopy(base)
        bad_kind.setdefault("offers", [{"title": "Samtaler"}])[0]["kind"] = "samtaler"
        must_fail(kommune, bad_kind, 'kind = "samtaler" i [[offers]]', "samtaler")
    must_fail(site, {"title": "x", "lix_warning": "40"}, 'lix_warning = "40"', "40")
    must_fail(site, {"titel": "x"}, "titel i site.toml", "titel")

    # The patterns, value by value.
    props = kommune.schema["properties"]
    patterns = {
        "phone": props["units"]["items"]["properties"]["phone"]["pattern"],
        "hours": props["units"]["items"]["properties"]["hours"]["items"]["properties"]["monday"]["pattern"],
        "date": props["approval"]["properties"]["approved_on"]["pattern"],
    }
    samples = json.loads((HERE / "samples.json").read_text(encoding="utf-8"))
    for kind, pattern in patterns.items():
        check = jsonschema.Draft7Validator({"type": "string", "pattern": pattern})
        for value in samples[kind]["valid"]:
            if not check.is_valid(value):
                fail(f"{kind}: skemaet afviser {value!r}, som kvalitet godtager")
        for value in samples[kind]["invalid"]:
            if check.is_valid(value):
                fail(f"{kind}: skemaet godtager {value!r}, som kvalitet afviser")
        print(f"ok: {kind}: {len(samples[kind]['valid'])} gyldige og {len(samples[kind]['invalid'])} ugyldige værdier")

    if failures:
        print(f"\n{len(failures)} fejl")
        sys.exit(1)
    print("\nSkemaerne er i orden")


if __name__ == "__main__":
    main()
