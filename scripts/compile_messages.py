#!/usr/bin/env python3
"""Compile the translation catalogues (locale/*/LC_MESSAGES/*.po) into .mo files, without GNU gettext.

Django's ``compilemessages`` needs ``msgfmt``; this uses polib (requirements.txt) instead, so a fresh
machine, the Docker image and the tests need nothing beyond Python. Fuzzy entries are left out, as
msgfmt leaves them out.

Usage: ``python scripts/compile_messages.py [--check] [locale-dir or .po file ...]`` (default: locale/);
with ``--check`` it compiles only catalogues whose .mo is missing or older than the .po.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def catalogues(locale_dir: Path) -> list[Path]:
    return sorted(locale_dir.glob("*/LC_MESSAGES/*.po"))


def is_stale(po_path: Path) -> bool:
    mo_path = po_path.with_suffix(".mo")
    return not mo_path.exists() or mo_path.stat().st_mtime < po_path.stat().st_mtime


def compile_catalogue(po_path: Path) -> Path:
    # polib writes only translated entries: like msgfmt, it leaves out fuzzy and untranslated ones.
    po = polib.pofile(str(po_path))
    mo_path = po_path.with_suffix(".mo")
    tmp = mo_path.with_suffix(".mo.tmp")
    po.save_as_mofile(str(tmp))
    tmp.replace(mo_path)
    return mo_path


def compile_all(locale_dir: Path = ROOT / "locale", only_stale: bool = False) -> list[Path]:
    return [compile_catalogue(po) for po in catalogues(locale_dir) if not only_stale or is_stale(po)]


def _po_files(paths: list[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found.extend([path] if path.suffix == ".po" else catalogues(path))
    return found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", type=Path, help="locale directories or .po files (default: locale/)")
    parser.add_argument("--check", action="store_true", help="compile only what is missing or out of date")
    args = parser.parse_args(argv)
    po_files = _po_files(args.paths or [ROOT / "locale"])
    if not po_files:
        print("no .po files found", file=sys.stderr)
        return 1
    for po in po_files:
        if not args.check or is_stale(po):
            print(f"compiled {compile_catalogue(po)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
