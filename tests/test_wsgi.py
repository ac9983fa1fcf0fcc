"""The WSGI entry point gunicorn serves (docker-compose.yml, make bench)."""

import gc
import importlib


def test_the_loaded_project_is_kept_out_of_the_garbage_collectors_walks():
    gc.unfreeze()
    import wijkhubs.wsgi

    importlib.reload(wijkhubs.wsgi)
    try:
        assert callable(wijkhubs.wsgi.application)
        assert gc.get_freeze_count() > 10_000  # the modules, URL patterns, settings...
    finally:
        gc.unfreeze()
