from django.urls import path

from .views import attachments, drafting, workflow

app_name = "proposals"

urlpatterns = [
    # Drafting and reading (views/drafting.py)
    path("", drafting.proposal_list, name="list"),
    path("nieuw/<slug:slug>/", drafting.proposal_create, name="create"),
    path("<int:pk>/", drafting.proposal_detail, name="detail"),
    path("<int:pk>/bewerken/", drafting.proposal_edit, name="edit"),
    # The workflow (views/workflow.py)
    path("<int:pk>/status/", workflow.transition, name="transition"),
    path("<int:pk>/bericht/", workflow.message, name="message"),
    path("<int:pk>/antwoord/", workflow.answer_draft, name="answer_draft"),
    path("<int:pk>/besluit/", workflow.decide, name="decide"),
    path("<int:pk>/openbaar/", workflow.publication, name="publication"),
    # Attachments (views/attachments.py): files only reachable through the download view
    path("<int:pk>/bijlagen/", attachments.attachment_add, name="attachment_add"),
    path(
        "bijlagen/<int:attachment_id>/",
        attachments.attachment_download,
        name="attachment_download",
    ),
    path(
        "bijlagen/<int:attachment_id>/verwijderen/",
        attachments.attachment_remove,
        name="attachment_remove",
    ),
]
