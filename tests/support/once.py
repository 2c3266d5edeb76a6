"""Scenes built once for a module's tests, inside a transaction rolled back after them.

A scene that costs seconds (the demo loaded, a partnership of 150 cases) is built once per
module (per xdist worker running the module's tests) instead of once per test. Each test still
runs in its own savepoint within that transaction (it asks for pytest-django's `db` as well),
so what one test writes is gone before the next, exactly as with a scene built per test.

    @pytest.fixture(scope="module")
    def demo(django_db_setup, django_db_blocker):
        with once.rolled_back(django_db_blocker):
            yield load()
"""

from contextlib import contextmanager

from django.db import transaction


@contextmanager
def rolled_back(django_db_blocker):
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
