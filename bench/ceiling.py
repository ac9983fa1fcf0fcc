"""The ceiling: the fastest page this stack can serve — a trivial view with a tiny
template, through the same middleware, served by the same gunicorn. Every key page's
throughput is reported as a share of it.

Routed only when the environment says ``BENCH_CEILING=true`` (bench/run.py sets it
for the server it starts), so it never exists in a normal run and the permission
matrix test, which walks every URL pattern, never meets it.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.template import engines
from django.views.decorators.http import require_safe

# Through the project's own template engine (and, with the request, its context
# processors), as every page is rendered.
TEMPLATE = engines["django"].from_string(
    '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>{{ title }}'
    "</title></head><body><p>{{ title }}</p></body></html>"
)


@login_not_required
@require_safe
def ceiling(request):
    return HttpResponse(TEMPLATE.render({"title": "Wijkhubs"}, request))
