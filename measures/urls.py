from django.urls import path

from . import evidence_views, views, word_views, year_views

p = "o/<slug:slug>/<int:fy>/"
urlpatterns = [
    path("o/<slug:slug>/start/", year_views.start_year, name="start_year"),
    path(p, year_views.year_dashboard, name="dashboard"),
    path(p + "analysis/", views.analysis, name="analysis"),
    path(p + "measures/", views.measure_list, name="measure_list"),
    path(p + "measures/new/", views.measure_edit, name="measure_new"),
    path(p + "measures/copy-previous/", views.measure_copy_previous, name="measure_copy_previous"),
    path(p + "measures/copy-previous/undo/", views.measure_copy_undo, name="measure_copy_undo"),
    path(p + "measures/import-word/", word_views.word_import, name="word_import"),
    path(p + "measures/<int:pk>/", views.measure_edit, name="measure_edit"),
    path(p + "measures/<int:pk>/steps/", views.measure_steps, name="measure_steps"),
    path(p + "measures/trash/", views.measure_trash, name="measure_trash"),
    path(p + "measures/trash/<int:pk>/restore/", views.measure_restore, name="measure_restore"),
    path(p + "measures/<int:pk>/delete/", views.measure_delete, name="measure_delete"),
    path(p + "measures/<int:pk>/move/<str:direction>/", views.measure_move, name="measure_move"),
    path(p + "progress/", views.progress, name="progress"),
    path(p + "progress/<int:round_id>/", views.progress, name="progress_round"),
    path(p + "progress/<int:round_id>/<int:pk>/", views.progress_save, name="progress_save"),
    path(p + "oit/", views.checklist, name="checklist"),
    path(p + "oit/<str:code>/", views.checklist_save, name="checklist_save"),
    path(p + "evidence/", evidence_views.evidence_page, name="evidence"),
    path(p + "evidence/<int:pk>/delete/", evidence_views.evidence_delete, name="evidence_delete"),
    path("evidence/<int:pk>/<str:name>", evidence_views.evidence_download, name="evidence_download"),
]
