#!/usr/bin/env python3
"""Writes the malformed-content corpus that tests/it/malformed.rs feeds to kvalitet.

Run from the repository root: python3 tests/malformed/make_corpus.py
The files it writes are committed; rerun it only to change the corpus, and read the diff.

Each case is either a municipality file `<case>.toml` (built with content/site.toml alone) or a
folder `<case>/` whose files are laid over a copy of the bundled content/ (site.toml included).
The prefix says what the test expects:
  err-   the build fails with located Danish errors in the case's own file(s)
  link-  the build succeeds, no page has an unsafe link, and `check` reports it at its line
  any-   a located Danish error or a clean build (truncations and byte flips)
"""
import os
import random
import shutil

ROOT = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(ROOT))
VALID = open(os.path.join(REPO, "tests/golden/_valid.toml.txt"), encoding="utf-8").read()
HOLBAEK = open(os.path.join(REPO, "content/holbaek.toml"), "rb").read()
FREDERICIA = open(os.path.join(REPO, "content/fredericia.toml"), "rb").read()


def clear():
    for name in os.listdir(ROOT):
        path = os.path.join(ROOT, name)
        if name.startswith(("err-", "link-", "any-")):
            if os.path.isdir(path):
                shutil.rmtree(path)
            else:
                os.remove(path)


def write(name, data):
    mode = "wb" if isinstance(data, bytes) else "w"
    with open(os.path.join(ROOT, name), mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as f:
        f.write(data)


def folder(name, files):
    os.makedirs(os.path.join(ROOT, name))
    for file, text in files.items():
        write(os.path.join(name, file), text)


def replace(text, old, new):
    assert old in text, old
    return text.replace(old, new, 1)


def valid_with(old, new):
    return replace(VALID, old, new)


clear()

# --- Truncations of real files: anywhere a save can stop. -------------------------------------
rng = random.Random(1477)
for source, data in (("holbaek", HOLBAEK), ("fredericia", FREDERICIA)):
    points = sorted(rng.sample(range(1, len(data) - 1), 12))
    for i, cut in enumerate(points):
        # Never cut inside a UTF-8 sequence: that is a byte-flip case of its own.
        while cut < len(data) and (data[cut] & 0xC0) == 0x80:
            cut += 1
        write(f"any-truncated-{source}-{i:02}.toml", data[:cut])

# --- Byte flips: one byte changed to one that TOML cares about. --------------------------------
flips = [b'"', b"=", b"[", b"]", b"\n", b"\\", b"#", b"\x00", b"\xff", b"{", b"'", b"\r"]
for source, data in (("holbaek", HOLBAEK), ("fredericia", FREDERICIA)):
    for i, byte in enumerate(flips):
        at = rng.randrange(len(data))
        flipped = data[:at] + byte + data[at + 1:]
        write(f"any-flipped-{source}-{i:02}.toml", flipped)

# --- Wrong types. -------------------------------------------------------------------------------
wrong_types = {
    "days-as-text": ("days = 14", 'days = "fjorten"'),
    "days-as-float": ("days = 14", "days = 14.5"),
    "phone-as-number": ('phone = "12 34 56 78"', "phone = 12345678"),
    "substances-as-text": ('substances = ["drugs"]', 'substances = "drugs"'),
    "substance-unknown": ('substances = ["drugs"]', 'substances = ["kaffe"]'),
    "offers-as-text": ('[[offers]]\nid = "ambulant"', 'offers = "ambulant"\n[[units2]]\nid = "ambulant"'),
    "name-as-table": ('name = "Prøve Kommune"', "[name]\nx = 1"),
    "approved-on-as-number": ("approved_on = 2024-12-17", "approved_on = 20241217"),
    "approved-on-as-danish-date": ("approved_on = 2024-12-17", 'approved_on = "17. december 2024"'),
    "approval-as-text": ("[approval]", 'approval = "ja"\n[approval2]'),
    "guarantee-as-array": ("[guarantee]", "[[guarantee]]"),
    "kind-as-number": ('kind = "outpatient"', "kind = 3"),
    "unit-as-array": ('unit = "center"', 'unit = ["center"]'),
    "hours-as-text": ('phone = "12 34 56 78"', 'phone = "12 34 56 78"\nhours = "man-fre 8-15"'),
    "boolean-as-word": ('unit = "center"', 'unit = "center"\nanonymous = ja'),
    "decimal-comma": ("days = 14", "days = 14,5"),
}
for name, (old, new) in wrong_types.items():
    write(f"err-type-{name}.toml", valid_with(old, new))

# --- Impossible values. -------------------------------------------------------------------------
impossible = {
    "days-too-large": ("days = 14", "days = 99999999999999999999"),
    "days-negative": ("days = 14", "days = -14"),
    "age-reversed": ('description = "Samtaler hos en behandler."',
                     'description = "Samtaler hos en behandler."\nage_min = 30\nage_max = 18'),
    "empty-name": ('name = "Prøve Kommune"', 'name = ""'),
    "empty-offer-title": ('title = "Ambulant behandling"', 'title = ""'),
    "offer-id-with-slash": ('id = "ambulant"', 'id = "../../etc"'),
    "offer-id-absolute": ('id = "ambulant"', 'id = "/index"'),
    "month-thirteen": ("approved_on = 2024-12-17", "approved_on = 2024-13-17"),
    "unknown-unit": ('unit = "center"', 'unit = "centret"'),
    "duplicate-unit": ('[[offers]]', '[[units]]\nid = "center"\nname = "Igen"\n\n[[offers]]'),
    "duplicate-key": ('short_name = "Prøve"', 'short_name = "Prøve"\nshort_name = "Igen"'),
    "duplicate-table": ("[approval]", "[guarantee]\ndays = 3\n\n[approval]"),
    "target-age-reversed": ("[guarantee]", '[target_group]\nage_min = 40\nage_max = 20\ntext = "Voksne."\n\n[guarantee]'),
}
for name, (old, new) in impossible.items():
    write(f"err-value-{name}.toml", valid_with(old, new))
# A blank short name counts as none: it is made from the name.
write("any-value-blank-short-name.toml", valid_with('short_name = "Prøve"', 'short_name = "   "'))
# An empty id counts as no id (a warning at its line): the page's address is made from the title.
write("any-value-empty-offer-id.toml", valid_with('id = "ambulant"', 'id = ""'))

# --- Hostile URLs in structured fields: content errors. -----------------------------------------
schemes = {
    "javascript": "javascript:alert(1)",
    "mixed-case": "JaVaScRiPt:alert(1)",
    "leading-space": " javascript:alert(1)",
    "vbscript": "vbscript:msgbox(1)",
    "data": "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "entity": "&#106;avascript:alert(1)",
    "tab": "java\\tscript:alert(1)",
}
for name, url in schemes.items():
    write(f"err-url-website-{name}.toml", valid_with('substances = ["drugs"]', f'substances = ["drugs"]\nwebsite = "{url}"'))
write("err-url-unit-website.toml", valid_with('phone = "12 34 56 78"', 'phone = "12 34 56 78"\nwebsite = "javascript:alert(1)"'))
write("err-url-law.toml", VALID + '\n[[law]]\nreference = "SEL § 101"\ntitle = "Serviceloven"\nurl = "javascript:alert(1)"\n')
write("err-url-complaint-route.toml", VALID + '\n[complaints]\ntext = "Du kan klage."\n\n[[complaints.routes]]\ndecision = "Afgørelse"\nsend_to = "Kommunen"\nlink = "data:text/html,x"\n')

# --- Hostile URLs in prose: shown as text, reported by check. -----------------------------------
prose = {
    "markdown-link": "[Klik her](javascript:alert(1))",
    "mixed-case": "[Klik her](JaVaScRiPt:alert(1))",
    "entity": "[Klik her](&#106;avascript:alert(1))",
    "autolink": "<javascript:alert(1)>",
    "reference": "[Klik her][x]\\n\\n[x]: javascript:alert(1)",
    "image": "![Billede](javascript:alert(1))",
    "data-image": "![Billede](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "vbscript": "[Klik her](vbscript:msgbox(1))",
    "leading-space": "[Klik her]( javascript:alert(1))",
    "file": "[Klik her](file:///etc/passwd)",
}
for name, link in prose.items():
    write(f"link-prose-{name}.toml",
          valid_with('text = "Du får tilbudt behandling inden for 14 dage."',
                     f'text = "Du får tilbudt behandling inden for 14 dage. {link}"'))

# --- Collisions: two pages on one path. ---------------------------------------------------------
holstebro = open(os.path.join(REPO, "content/holstebro.toml"), encoding="utf-8").read()
serves = 'serves = ["Lemvig", "Struer"]'
collisions = {
    "serves-fredericia": '["Lemvig", "Struer", "Fredericia"]',
    "serves-ordliste": '["Ordliste"]',
    "serves-tjek": '["Tjek"]',
    "serves-was": '["Was"]',
    "serves-itself": '["Holstebro"]',
    "serves-no-letters": '["!!!"]',
    "serves-empty": '[""]',
    "serves-twice": '["Lemvig", "lemvig"]',
    "serves-dots": '[".."]',
}
for name, value in collisions.items():
    folder(f"err-collision-{name}", {"holstebro.toml": replace(holstebro, serves, f"serves = {value}")})
folder("err-collision-file-ordliste", {"ordliste.toml": VALID})
folder("err-collision-file-tjek", {"tjek.toml": VALID})
folder("err-collision-served-has-file", {"lemvig.toml": VALID})
folder("err-collision-two-serve-one", {"fredericia.toml": replace(
    open(os.path.join(REPO, "content/fredericia.toml"), encoding="utf-8").read(),
    'short_name = "Fredericia"', 'short_name = "Fredericia"\nserves = ["Struer"]')})

# --- Site settings. -----------------------------------------------------------------------------
site = open(os.path.join(REPO, "content/site.toml"), encoding="utf-8").read()
site_cases = {
    "theme-path": ('theme = "default"', 'theme = "../../../etc"'),
    "theme-absolute": ('theme = "default"', 'theme = "/tmp"'),
    "lix-nan": ("lix_warning = 40", "lix_warning = nan"),
    "lix-infinite": ("lix_warning = 40", "lix_warning = inf"),
    "accessibility-javascript": ('lix_warning = 40', 'lix_warning = 40\naccessibility_statement = "javascript:alert(1)"'),
    "base-url-data": ('lix_warning = 40', 'lix_warning = 40\nbase_url = "data:text/html,x"'),
    "empty-title": ('title = "Hjælp til stoffer og alkohol"', 'title = ""'),
}
for name, (old, new) in site_cases.items():
    folder(f"err-site-{name}", {"site.toml": replace(site, old, new)})

# --- Placeholder marks written by content: shown as text, never replaced. -----------------------
marks = {
    "root-mark-prose": ('text = "Du får tilbudt behandling inden for 14 dage."',
                        'text = "Se \\u0001ROOT\\u0001/hemmelig/ nu."'),
    "root-mark-title": ('title = "Ambulant behandling"', 'title = "Ambulant \\u0001ROOT\\u0001 behandling"'),
    "control-characters": ('description = "Samtaler hos en behandler."',
                           'description = "Samtaler\\u0000 hos\\u001b[31m en\\u0007 behandler."'),
}
for name, (old, new) in marks.items():
    write(f"any-{name}.toml", valid_with(old, new))

# --- Junk. --------------------------------------------------------------------------------------
write("any-empty.toml", "")
write("any-only-comments.toml", "# Kun en kommentar\n")
write("any-cr-line-endings.toml", VALID.replace("\n", "\r"))
write("any-crlf-line-endings.toml", VALID.replace("\n", "\r\n"))
write("any-utf16.toml", VALID.encode("utf-16"))
write("any-bom.toml", "\ufeff" + VALID)
write("any-binary.toml", bytes(range(256)) * 4)
write("any-unclosed-multiline.toml",
      valid_with('text = "Du får tilbudt behandling inden for 14 dage."', 'text = """\nDu får tilbudt behandling.'))
write("any-deep-nesting.toml", "x = " + "[" * 5000 + "]" * 5000 + "\n")
write("any-deep-inline-tables.toml", "x = " + "{a = " * 2000 + "1" + "}" * 2000 + "\n")
write("any-many-keys.toml", VALID + "".join(f"ukendt{i} = {i}\n" for i in range(3000)))
write("any-curly-quotes.toml", valid_with('name = "Prøve Kommune"', "name = \u201cPrøve Kommune\u201d"))
write("any-nbsp-key.toml", valid_with('short_name = "Prøve"', 'short_name\u00a0= "Prøve"'))

# --- Mistakes an editor makes by hand or by pasting from a word processor (issue 17). ---------
LONG = valid_with(
    'text = "Du får tilbudt behandling inden for 14 dage."',
    'text = """\nDu får tilbudt behandling.\n"""\n\n[tasks]\ntext = """\nVi hjælper dig.\n"""',
)
write("err-syntax-unclosed-triple-quote.toml", replace(LONG, 'behandling.\n"""\n', "behandling.\n"))
write("err-syntax-long-text-one-quote.toml", replace(LONG, '[tasks]\ntext = """', '[tasks]\ntext = "'))
write("err-syntax-tab-in-key.toml", valid_with("days = 14", "da\tys = 14"))
write("err-syntax-nbsp-value.toml", valid_with("days = 14", "days =\u00a014"))
write("err-syntax-curly-apostrophes.toml", valid_with('phone = "12 34 56 78"', "phone = \u201912 34 56 78\u2019"))
write("err-syntax-missing-equals.toml", valid_with("days = 14", "days 14"))
write("err-syntax-prose-outside-text.toml", valid_with("days = 14", "days = 14\nDu får hjælp hurtigt"))
write("err-syntax-yes-in-danish.toml", valid_with('unit = "center"', 'unit = "center"\nanonymous = ja'))
write("err-value-hours-name-weekdays.toml",
      valid_with('phone = "12 34 56 78"', 'phone = "12 34 56 78"\n\n[[units.hours]]\nlabel = "Åbningstid"\nmonday = "man-fre 8-15"'))

count = sum(1 for n in os.listdir(ROOT) if n.startswith(("err-", "link-", "any-")))
print(f"{count} cases")
