from django.urls import path

from . import views

app_name = "users"

urlpatterns = [
    path("", views.user_list, name="list"),
    path("nieuw/", views.user_create, name="create"),
    path("importeren/", views.user_import, name="import"),
    path("<int:pk>/", views.user_edit, name="edit"),
    path("<int:pk>/uitnodigen/", views.user_invite, name="invite"),
]
