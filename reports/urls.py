from django.urls import path

from . import public_views, views

p = "o/<slug:slug>/<int:fy>/reports/"
v = "public/<slug:slug>/<int:fy>/<str:kind>/"
urlpatterns = [
    path(p, views.report_index, name="report_index"),
    path(p + "settings/", views.report_settings, name="report_settings"),
    path(p + "introduction/", views.report_intro, name="report_intro"),
    path(p + "titles/", views.report_titles, name="report_titles"),
    path(p + "comments/<int:pk>/read/", views.comment_read, name="comment_read"),
    path(p + "renders/<int:pk>/", views.render_status, name="render_status"),
    path(p + "renders/<int:pk>/pdf/", views.render_file, name="render_file"),
    path(p + "publishing/<int:pk>/", views.publish_progress, name="publish_progress"),
    path(p + "publishing/<int:pk>/status/", views.publish_status, name="publish_status"),
    path(p + "<str:kind>/", views.report_preview, name="report_preview"),
    path(p + "<str:kind>/pdf/", views.report_pdf, name="report_pdf"),
    path(p + "<str:kind>/docx/", views.report_docx, name="report_docx"),
    path(p + "<str:kind>/publish/", views.report_publish, name="report_publish"),
    path(p + "<str:kind>/approve/", views.report_approve, name="approve"),
    path("o/<slug:slug>/<int:fy>/audit/", views.audit_trail, name="audit_trail"),
    path("public/", public_views.directory, name="public_directory"),
    path("public/<slug:slug>/", public_views.organisation, name="public_org"),
    path(v, public_views.version_page, name="public_latest"),
    path(v + "v<int:number>/", public_views.version_page, name="public_version"),
    path(v + "v<int:number>/comment/", public_views.comment, name="public_comment"),
    path(v + "v<int:number>/<str:filename>", public_views.version_file, name="public_file"),
]
