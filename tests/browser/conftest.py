import pytest
import time_machine


@pytest.fixture(autouse=True)
def _travel(request):
    """``@pytest.mark.travel(moment)``: the test runs at ``moment``, its clock ticking, from
    before its first fixture. As a decorator, ``time_machine.travel`` started only after
    the fixtures had made their data at the real time: a question "of today" made at
    00:30 was not today's at the travelled 10:00 of another day."""
    marker = request.node.get_closest_marker("travel")
    if marker is None:
        yield
        return
    with time_machine.travel(marker.args[0], tick=True):
        yield
