from django.urls import path

from . import views

p = "o/<slug:slug>/<int:fy>/reports/"
urlpatterns = [
    path(p, views.report_index, name="report_index"),
    path(p + "<str:kind>/", views.report_preview, name="report_preview"),
    path(p + "<str:kind>/pdf/", views.report_pdf, name="report_pdf"),
]
