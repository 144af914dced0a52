"""/staff/complaints/: handling complaints."""

from django.urls import path

from . import staff_views as v

app_name = "complaints_staff"
urlpatterns = [
    path("", v.dashboard, name="dashboard"),
    path("log.csv", v.log_csv, name="log_csv"),
    path("new/", v.record_new, name="record_new"),
    path("letters/", v.letter_templates, name="letter_templates"),
    path("letters/<str:kind>/", v.letter_template_edit, name="letter_template_edit"),
    path("policy/", v.policy, name="policy"),
    path("figures/", v.learning, name="figures"),
    path("figures/figures.pdf", v.learning_pdf, name="figures_pdf"),
    path("<int:pk>/", v.detail, name="detail"),
    path("<int:pk>/acknowledge/", v.acknowledge, name="acknowledge"),
    path("<int:pk>/holding/", v.holding, name="holding"),
    path("<int:pk>/respond/", v.respond, name="respond"),
    path("<int:pk>/note/", v.note, name="note"),
    path("<int:pk>/close/", v.close, name="close"),
    path("<int:pk>/formal/", v.make_formal, name="make_formal"),
    path("<int:pk>/subjects/", v.subjects, name="subjects"),
    path("<int:pk>/panel/", v.panel, name="panel"),
    path("<int:pk>/decide/", v.decide, name="decide"),
    path("<int:pk>/actions/", v.actions, name="actions"),
    path("<int:pk>/appeal/", v.appeal_request, name="appeal_request"),
    path("<int:pk>/links/revoke/", v.links_revoke, name="links_revoke"),
    path("<int:pk>/links/new/", v.links_new, name="links_new"),
    path("<int:pk>/attachments/<int:attachment_id>/", v.attachment, name="attachment"),
    path("<int:pk>/letters/<int:letter_id>.pdf", v.letter, name="letter"),
]
