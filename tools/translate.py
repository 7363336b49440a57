"""Sets French translations in i18n/chainon_fr.ts from a JSON object
{source: translation} on stdin (for small batches of new strings).
Usage: python tools/translate.py < new_strings.json"""
import json
import sys
from pathlib import Path

import update_ts

ROOT = Path(__file__).resolve().parents[1]


def main():
    path = ROOT / "i18n" / "chainon_fr.ts"
    translations = update_ts.read_ts(path)
    translations.update(json.load(sys.stdin))
    update_ts.write_ts(path, "fr", update_ts.extract(), translations)
    update_ts.main("fr")


if __name__ == "__main__":
    main()
