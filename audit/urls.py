from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.audit_log, name="log"),
    path("avg/", views.data_request, name="data_request"),
    path("avg/export/", views.data_export, name="data_export"),
    path("avg/wissen/", views.data_erase, name="data_erase"),
]
