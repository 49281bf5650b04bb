"""``docs/口径.md``: every output's 口径 table, rendered from the same tables as the 口径说明
sheets (``python scripts/make_definitions_doc.py`` writes it; a test keeps it current)."""

from __future__ import annotations

from pathlib import Path

from toolkit.definitions import DefinitionTable, markdown
from toolkit.feedback.definitions import FEEDBACK_DEFINITIONS
from toolkit.homework.definitions import HOMEWORK_DEFINITIONS
from toolkit.items.definitions import ITEM_DEFINITIONS, ITEM_DISTRICT_DEFINITIONS
from toolkit.lekao.definitions import LEKAO_DEFINITIONS
from toolkit.observation.definitions import OBSERVATION_DEFINITIONS
from toolkit.pack.definitions import MONTHLY_DEFINITIONS, TERM_DEFINITIONS
from toolkit.scores.definitions import SCORE_DEFINITIONS, SCORE_DISTRICT_DEFINITIONS
from toolkit.weakpoints.definitions import WEAKPOINT_DEFINITIONS

DOC = Path("docs") / "口径.md"


def all_tables() -> list[DefinitionTable]:
    """Every 口径 table, in the order of the README's commands."""
    return [
        SCORE_DEFINITIONS,
        SCORE_DISTRICT_DEFINITIONS,
        ITEM_DEFINITIONS,
        ITEM_DISTRICT_DEFINITIONS,
        FEEDBACK_DEFINITIONS,
        HOMEWORK_DEFINITIONS,
        OBSERVATION_DEFINITIONS,
        WEAKPOINT_DEFINITIONS,
        LEKAO_DEFINITIONS,
        MONTHLY_DEFINITIONS,
        TERM_DEFINITIONS,
    ]


def definitions_doc() -> str:
    return markdown(all_tables())
