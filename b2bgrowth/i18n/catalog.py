"""Maintain the gettext catalogs: extract message ids, merge them into each .po, compile .mo.

    python -m b2bgrowth.i18n.catalog          # extract + update every .po + compile every .mo
    python -m b2bgrowth.i18n.catalog --check  # exit 1 listing problems (what the tests check)
    python -m b2bgrowth.i18n.catalog --translations my.tsv   # also fill zh_CN from "msgid<TAB>译文" lines

Message ids come from `_()`/`gettext()`/`ngettext()` in templates (any b2bgrowth/**/templates)
and Python, from `N_()` markers and from `add_nav(path, label)` calls. After running it, fill in
the empty `msgstr ""` entries of locales/zh_CN/LC_MESSAGES/messages.po and run it again.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

from b2bgrowth.i18n import LANGUAGES, LOCALES_DIR

PACKAGE_DIR = Path(__file__).resolve().parent.parent
METHOD_MAP = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "add_nav": (2,)}
SKIP_DIRS = ("locales", "static", "__pycache__", "migrations")


def _wanted(path: str) -> bool:
    return not any(part in SKIP_DIRS for part in Path(path).parts)


def extract() -> Catalog:
    template = Catalog(project="b2bgrowth", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(PACKAGE_DIR), METHOD_MAP, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True, directory_filter=lambda d: _wanted(d),
    ):
        if isinstance(message, (list, tuple)) and not all(message):
            continue
        if not message:
            continue
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def po_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / "messages.po"


def mo_path(lang: str) -> Path:
    return LOCALES_DIR / lang / "LC_MESSAGES" / "messages.mo"


def read_catalog(lang: str) -> Catalog:
    path = po_path(lang)
    if not path.exists():
        return Catalog(locale=lang, project="b2bgrowth", fuzzy=False)
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def compiled_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def translated_messages(catalog: Catalog) -> dict:
    """What a catalog means at run time: (context, msgid) → translation, for every translated,
    non-fuzzy message (what gettext would use)."""
    meaning = {}
    for message in catalog:
        if not message.id or message.fuzzy or _missing(message):
            continue
        key = (message.context, tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id)
        meaning[key] = tuple(message.string) if isinstance(message.string, (list, tuple)) else message.string
    return meaning


def compiled_messages(mo: bytes) -> dict:
    """The same mapping read back from compiled .mo bytes. The .mo is compared by meaning, not by
    bytes: another Babel version writes other bytes (header order, hash table) for the same catalog."""
    return translated_messages(read_mo(io.BytesIO(mo)))


def update_all() -> None:
    template = extract()
    for lang in LANGUAGES:
        catalog = read_catalog(lang)
        catalog.update(template, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        if lang == "en":  # ids are English: the en catalog is the identity
            for message in catalog:
                if message.id and _missing(message):
                    message.string = tuple(message.id) if isinstance(message.id, (list, tuple)) else message.id
        po_path(lang).parent.mkdir(parents=True, exist_ok=True)
        with po_path(lang).open("wb") as fh:
            write_po(fh, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False)
        compile_all([lang])


def compile_all(languages=LANGUAGES) -> None:
    for lang in languages:
        mo_path(lang).write_bytes(compiled_bytes(read_catalog(lang)))


def _missing(message) -> bool:
    if isinstance(message.string, (list, tuple)):
        return not all(message.string)
    return not message.string


def problems() -> list[str]:
    found = []
    template = extract()
    for lang in LANGUAGES:
        catalog = read_catalog(lang)
        if not mo_path(lang).exists() or compiled_messages(mo_path(lang).read_bytes()) != translated_messages(catalog):
            found.append(f"{mo_path(lang)} is not the compiled {po_path(lang).name}: run python -m b2bgrowth.i18n.catalog")
        for message in template:
            if not message.id:
                continue
            entry = catalog.get(message.id, context=message.context)
            if entry is None or _missing(entry) or entry.fuzzy:
                where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
                msgid = message.id if isinstance(message.id, str) else message.id[0]
                found.append(f"{lang}: no translation for {msgid!r} (used in {where})")
    return found


def apply_translations(tsv: Path, lang: str = "zh_CN") -> int:
    """Fill `lang` from a file of "msgid<TAB>translation" lines (for a plural message: the singular
    msgid, then one translation per plural form, tab-separated); returns how many were set."""
    catalog = read_catalog(lang)
    count = 0
    for number, line in enumerate(tsv.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        msgid, sep, text = line.partition("\t")
        if not sep or not text.strip():
            raise SystemExit(f"{tsv}:{number}: want 'msgid<TAB>translation'")
        entry = catalog.get(msgid)
        if entry is None:
            entry = catalog.add(msgid, text)
        elif entry.pluralizable:
            # "singular<TAB>form 0[<TAB>form 1 …]": one form per plural category of the language
            # (zh_CN has one); missing ones repeat the last. A plain string here would be written
            # one character per form.
            forms = [f for f in text.split("\t")]
            forms += [forms[-1]] * (catalog.num_plurals - len(forms))
            entry.string = tuple(forms[: catalog.num_plurals])
            entry.flags.discard("fuzzy")
        else:
            entry.string = text
            entry.flags.discard("fuzzy")
        count += 1
    with po_path(lang).open("wb") as fh:
        write_po(fh, catalog, width=100, omit_header=False, sort_output=True, include_lineno=False)
    compile_all([lang])
    return count


def main(argv: list[str]) -> int:
    # Several people (or agents) may run this at once: one at a time, so nobody's
    # translations are overwritten by a stale read of the .po file.
    import fcntl

    LOCALES_DIR.mkdir(parents=True, exist_ok=True)
    with open(LOCALES_DIR / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _main(argv)


def _main(argv: list[str]) -> int:
    if "--translations" in argv:
        tsv = Path(argv[argv.index("--translations") + 1])
        update_all()
        print(f"{apply_translations(tsv)} translation(s) applied from {tsv}")
        update_all()
    if "--check" in argv:
        issues = problems()
        for issue in issues:
            print(issue)
        return 1 if issues else 0
    update_all()
    issues = problems()
    for issue in issues:
        print(issue)
    print(f"catalogs updated; {len(issues)} problem(s)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
