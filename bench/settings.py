"""maca's settings, with one page more: the trivial view the load benchmark measures as its
baseline. Used only by `bench/` (never by a deployment)."""

from maca.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
