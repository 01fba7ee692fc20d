"""``python -m kida``: the Kida command-line interface."""

import sys

from kida.cli import main

sys.exit(main())
