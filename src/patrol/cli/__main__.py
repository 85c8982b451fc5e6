"""``python -m patrol.cli``: the ``patrol`` command."""

import sys

from patrol.cli import main

sys.exit(main())
