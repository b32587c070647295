#!/usr/bin/env bash
# Runs every test of the project: formatting, lints, the Rust tests, and the browser suite
# (axe-core, the Nu HTML checker, keyboard, reflow and print) on every page of the bundled site.
# Installs what it needs (Debian's chromium, npm packages) when it is missing.
set -euo pipefail
cd "$(dirname "$0")"

step() { printf '\n==> %s\n' "$1"; }

step "Formatering (cargo fmt --check)"
cargo fmt --all -- --check

step "Lint (cargo clippy)"
cargo clippy --all-targets --quiet -- -D warnings

if [ -f tests/browser/run.sh ]; then
  step "Installér det, browsertestene mangler (Chromium, Java, npm-pakker)"
  bash tests/browser/run.sh --install-only
  # The Rust tests that drive Chromium fail instead of skipping when it is missing.
  export KVALITET_REQUIRE_BROWSER=1
fi

step "Rust-tests (cargo test)"
# Benchmarks are left out: they are compiled by clippy above and run with `cargo bench`.
cargo test --lib --bins --tests --quiet
# Doc tests run separately.
cargo test --doc --quiet

step "Opskrifterne fra kvalitet init er gyldig YAML (GitHub Pages, GitLab Pages)"
if ! python3 -c 'import yaml' 2>/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y -qq python3-yaml; else sudo apt-get install -y -qq python3-yaml; fi
fi
init_root="$(mktemp -d)"
cargo run --quiet -- init "$init_root/site" --kommune Nyborg > /dev/null
python3 - "$init_root/site" <<'PY'
import sys, yaml
site = sys.argv[1]
github = yaml.safe_load(open(f"{site}/.github/workflows/kvalitet.yml"))
# YAML 1.1 reads the key `on` as true; GitHub reads it as "on".
assert set(github["jobs"]) == {"byg", "udgiv"}, github["jobs"]
assert (True in github or "on" in github) and "push" in github.get(True, github.get("on"))
steps = [s.get("run", "") for s in github["jobs"]["byg"]["steps"]]
assert any(r.startswith("kvalitet check") for r in steps), steps
gitlab = yaml.safe_load(open(f"{site}/.gitlab-ci.yml"))
script = gitlab["pages"]["script"]
assert "kvalitet check" in script and "kvalitet build --output public" in script, script
assert gitlab["pages"]["artifacts"]["paths"] == ["public"]
PY
rm -rf "$init_root"

step "Skemaerne mod en uafhængig validator (Python jsonschema)"
# The JSON Schemas that `kvalitet schema` writes, checked by another program than the one that
# made them: every bundled file and a file from `kvalitet new` pass; mistakes are refused.
if ! python3 -c 'import jsonschema, tomllib' 2>/dev/null; then
  sudo=""
  [ "$(id -u)" != 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    python3 python3-jsonschema >/dev/null
fi
schema_root="$(mktemp -d)"
cargo run --quiet -- schema "$schema_root" > /dev/null
cargo run --quiet -- new Prøvekommune --content "$schema_root/content" > /dev/null
python3 tests/schema/validate.py "$schema_root/schema" content "$schema_root/content/proevekommune.toml"
rm -rf "$schema_root"

step "Byg den medfølgende hjemmeside (med base_url, så 404.html også bliver testet)"
site_dir="$(mktemp -d)/site"
site_content="$(dirname "$site_dir")/content"
cp -r content "$site_content"
sed -i 's|^# base_url = .*|base_url = "https://rusmiddel.example.dk/"|' "$site_content/site.toml"
grep -q '^base_url = ' "$site_content/site.toml"
# The quick exit too, so that its link and /skjul-dit-besoeg/ are tested (the address is a
# made-up one: the browser never reaches it, the suite blocks every other host).
sed -i 's|^# quick_exit = .*|quick_exit = "https://www.eksempelby.dk/"|' "$site_content/site.toml"
grep -q '^quick_exit = ' "$site_content/site.toml"
cargo run --quiet --release -- build --content "$site_content" --output "$site_dir"
test -f "$site_dir/404.html" && test -f "$site_dir/sitemap.xml" && test -f "$site_dir/skjul-dit-besoeg/index.html"

if [ -f tests/browser/run.sh ]; then
  step "Browsertests (Chromium, axe-core, Nu HTML checker)"
  bash tests/browser/run.sh "$site_dir"
fi

rm -rf "$(dirname "$site_dir")"

step "Byg et udkast af det medfølgende indhold: Holbæk godkendt og derefter ændret"
# The draft build, as the council sees it: every page marked, Holbæk's change report (a fact
# and a sentence changed since its approval) and its history of approved versions. Holbæk and
# Holstebro (which serves other municipalities) are enough: the draft marks every page the same
# way, and the whole site is checked above.
draft_root="$(mktemp -d)"
mkdir "$draft_root/content"
cp content/site.toml content/holbaek.toml content/holstebro.toml "$draft_root/content/"
cargo run --quiet --release -- godkend holbaek --dato 2024-12-17 --af "Byrådet" \
  --content "$draft_root/content" > /dev/null
sed -i '/^\[guarantee\]/,/^"""$/{s/^days = 14$/days = 10/;s/højst må gå 14 dage/højst må gå 10 dage/}' \
  "$draft_root/content/holbaek.toml"
cargo run --quiet --release -- build --udkast --content "$draft_root/content" \
  --output "$draft_root/site" > /dev/null
test -f "$draft_root/site/holbaek/aendringer/index.html"
test -f "$draft_root/site/holstebro/index.html" && test ! -e "$draft_root/site/slagelse"

if [ -f tests/browser/run.sh ]; then
  step "Browsertests af udkastet (også ændringssiden)"
  bash tests/browser/run.sh "$draft_root/site"
fi

rm -rf "$draft_root"
step "Alle tests bestået"
