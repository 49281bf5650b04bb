"""Regenerate the generic fill-in templates in ``workbook_templates/`` (no school config).

    python scripts/make_templates.py

``tests/test_templates_files.py`` fails when the committed files differ from a fresh build,
so run this after changing a template or a record kind's fields.
"""

from __future__ import annotations

from pathlib import Path

from toolkit.render.templates.write import write_templates

TARGET = Path(__file__).resolve().parent.parent / "workbook_templates"


def main() -> None:
    TARGET.mkdir(exist_ok=True)
    for path in write_templates(TARGET):
        print(path.relative_to(TARGET.parent))


if __name__ == "__main__":
    main()
