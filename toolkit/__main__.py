"""``python -m toolkit`` is the same as the ``xueqing`` command."""

from toolkit.cli import run

run()
