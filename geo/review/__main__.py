"""``python -m geo.review`` (see :mod:`geo.review.cli`)."""

import sys

from geo.review.cli import main

sys.exit(main())
