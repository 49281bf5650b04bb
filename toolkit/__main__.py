"""``python -m toolkit`` is the same as the ``xueqing`` command."""

from toolkit.cli import main

raise SystemExit(main())
