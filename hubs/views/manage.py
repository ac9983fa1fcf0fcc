from django.http import Http404


def hub_list(request, *args, **kwargs):
    raise Http404


def hub_create(request, *args, **kwargs):
    raise Http404


def hub_edit(request, *args, **kwargs):
    raise Http404


def schedule_list(request, *args, **kwargs):
    raise Http404


def schedule_create(request, *args, **kwargs):
    raise Http404


def schedule_edit(request, *args, **kwargs):
    raise Http404


def schedule_delete(request, *args, **kwargs):
    raise Http404


def closure_list(request, *args, **kwargs):
    raise Http404


def closure_edit(request, *args, **kwargs):
    raise Http404


def closure_delete(request, *args, **kwargs):
    raise Http404


def stop_list(request, *args, **kwargs):
    raise Http404


def stop_delete(request, *args, **kwargs):
    raise Http404


def closing_days(request, *args, **kwargs):
    raise Http404


def closing_day_edit(request, *args, **kwargs):
    raise Http404


def citywide_closures(request, *args, **kwargs):
    raise Http404


def norm_report(request, *args, **kwargs):
    raise Http404
