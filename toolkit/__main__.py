"""``python -m toolkit`` is the same as the ``xueqing`` command."""

from toolkit.cli.parser import run

run()
